"""The registries' suggestions for a name that answers to no entry."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import record
from finelog.models import Decision
from finelog.registry import Regulator, countries, laws, regulators


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fr_cnil", ["FR-CNIL"]),
        ("FR CNIL", ["FR-CNIL"]),
        ("CNIL", ["FR-CNIL"]),  # an alias: the code a record must give
        ("Hamburg", ["DE-HH"]),  # a word of its names
        ("Garante", ["IT-GARANTE"]),
        ("Atlantis", []),
        ("data", []),  # a word too many names share to mean one
        ("", []),
    ],
)
def test_an_authority_is_found_by_its_letters_a_word_of_its_name_or_a_near_spelling(
    name: str, expected: list[str]
) -> None:
    assert regulators().close(name) == expected


def test_countries_and_laws_are_suggested_the_same_way() -> None:
    assert countries().close("Norwey") == ["NO"]
    assert countries().close("XX") == []
    assert laws().close("GPDR") == ["GDPR"]


@given(
    st.sampled_from(regulators().entries),
    st.sampled_from(["_", " ", "", ".", " - "]),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_every_code_spaced_or_cased_otherwise_is_suggested_first(
    regulator: Regulator, joiner: str, case: Callable[[str], str]
) -> None:
    typed = case(joiner.join(regulator.code.split("-")))
    assert regulators().close(typed)[0] == regulator.code


def test_validate_suggests_the_code_for_a_record_s_regulator_written_otherwise() -> None:
    with pytest.raises(ValidationError, match=r"unknown regulator 'fr_cnil' \(did you mean FR-CNIL\?\)"):
        Decision.model_validate(record(regulator="fr_cnil"))
