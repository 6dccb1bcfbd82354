"""`check`: each class of data-quality problem is found where it is, and nothing in clean data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL_SET, record, write_record
from finelog import check, validation
from finelog.check import Code
from finelog.entry import entry_of
from finelog.models import Decision
from finelog.trackers import UNREAD_ARTICLES, unread_articles_note


def codes_by_file(directory: Path) -> dict[str, list[str]]:
    result = validation.load([directory])
    assert result.problems == []
    found: dict[str, list[str]] = {}
    for finding in check.check(result.loaded):
        found.setdefault(Path(finding.path).stem, []).append(finding.code)
    return found


PROBLEMS = [
    record(
        id="fr-cnil-2022-clearview-ai",
        entity={"name": "Clearview AI Inc.", "role": "controller"},
        amount="20000000",
    ),
    record(
        id="uk-ico-2022-clearview-al",
        regulator="UK-ICO",
        decision_date="2022-05-18",
        amount="7552800",
        currency="GBP",
        entity={"name": "Clearview Al Inc.", "role": "controller"},
        articles=["Art. 6 UK-GDPR"],
    ),
    record(
        id="fr-cnil-2021-placeholder",
        decision_date="1970-01-01",
        entity={"name": "Placeholder Co", "role": "controller"},
    ),
    record(
        id="fr-cnil-2022-swapped",
        decision_date="2022-03-10",
        announced_date="2022-10-12",
        entity={"name": "Swapped Dates SARL", "role": "controller"},
        amount="3000",
    ),
    record(
        id="de-be-2021-deutsche-wohnen",
        regulator="DE-BE",
        decision_date="2021-02-23",
        amount=None,
        currency=None,
        entity={"name": "Deutsche Wohnen SE", "role": "controller"},
        summary="Originally EUR 14,500,000; a court later annulled the fine.",
        sources=[{"url": "https://www.datenschutz-berlin.de/pm/20191105-PM.pdf", "kind": "authority"}],
    ),
    record(
        id="fr-cnil-2018-early",
        decision_date="2018-03-01",
        entity={"name": "Early Bird SAS", "role": "controller"},
        amount="4000",
    ),
    record(
        id="fr-cnil-2023-zero",
        decision_date="2023-01-05",
        amount="0",
        entity={"name": "Zero Euro SAS", "role": "controller"},
    ),
    record(
        id="fr-cnil-2023-no-articles",
        decision_date="2023-02-05",
        articles=[],
        amount="6000",
        entity={"name": "No Articles SAS", "role": "controller"},
        notes=f"{UNREAD_ARTICLES}: 'Data Protection Act of Atlantis'.",
    ),
    record(
        id="fr-cnil-2024-beta",
        decision_date="2024-01-10",
        amount="500000",
        entity={"name": "Beta Ltd", "role": "controller"},
    ),
    record(
        id="fr-cnil-2024-beta-limited",
        decision_date="2024-01-13",
        amount="500000",
        entity={"name": "Beta Limited", "role": "controller"},
    ),
    record(
        id="fr-cnil-2023-uk-law",
        decision_date="2023-03-01",
        amount="7000",
        entity={"name": "Wrong Law SAS", "role": "processor"},
        articles=["Art. 28(3) UK-GDPR"],
    ),
    record(
        id="fr-cnil-2024-gamma",
        decision_date="2024-01-13",
        amount="500000",
        entity={"name": "Gamma Inc.", "role": "controller"},
    ),
]


def test_each_class_of_problem_is_found_in_its_file(tmp_path: Path) -> None:
    for data in PROBLEMS:
        write_record(tmp_path, data)
    assert codes_by_file(tmp_path) == {
        "fr-cnil-2022-clearview-ai": [Code.NAME_VARIANT],
        "uk-ico-2022-clearview-al": [Code.NAME_VARIANT],
        "fr-cnil-2021-placeholder": [Code.BEFORE_GDPR, Code.PLACEHOLDER_DATE],
        "fr-cnil-2022-swapped": [Code.SWAPPED_DATE],
        "de-be-2021-deutsche-wohnen": [Code.DATE_AFTER_SOURCE, Code.APPEAL_OVERWRITE, Code.UNKNOWN_AMOUNT],
        "fr-cnil-2018-early": [Code.BEFORE_GDPR],
        "fr-cnil-2023-zero": [Code.ZERO_AMOUNT],
        "fr-cnil-2023-no-articles": [Code.UNKNOWN_ARTICLES, Code.UNKNOWN_ARTICLES],
        "fr-cnil-2024-beta-limited": [Code.DUPLICATE],
        "fr-cnil-2023-uk-law": [Code.FOREIGN_LAW],
    }


@pytest.mark.parametrize(
    ("penalty_date", "code"),
    [
        ("2022-01-11", Code.SWAPPED_DATE),
        ("2022-01-20", Code.BEFORE_ENFORCED),
        ("1970-01-01", Code.BEFORE_ENFORCED),
    ],
)
def test_a_penalty_dated_before_the_fine_it_enforces_is_a_swap_only_if_a_swap_fixes_it(
    tmp_path: Path, penalty_date: str, code: Code
) -> None:
    write_record(tmp_path, record(decision_date="2022-10-17"))
    penalty = record(id="fr-cnil-2023-acme-penalty", kind="penalty_payment", decision_date=penalty_date,
                     amount="100000", links={"enforces": "fr-cnil-2022-acme"})  # fmt: skip
    write_record(tmp_path, penalty)
    found = [f for f in check.check(validation.load([tmp_path]).loaded) if "enforces" in f.message]
    assert [f.code for f in found] == [code]


def test_unread_article_text_is_quoted_whole_even_with_dots(tmp_path: Path) -> None:
    notes = unread_articles_note(["Art. 13 TKG", "§ 88 TKG"]) + " The tracker cites the GDPR."
    write_record(tmp_path, record(id="de-bfdi-2023-dotted", regulator="DE-BFDI", notes=notes))
    [finding] = [
        f for f in check.check(validation.load([tmp_path]).loaded) if f.code == Code.UNKNOWN_ARTICLES
    ]
    assert finding.message == "article text not recognised: 'Art. 13 TKG'; '§ 88 TKG'"


def test_findings_point_at_the_key_and_say_why(tmp_path: Path) -> None:
    write_record(tmp_path, PROBLEMS[3])
    [finding] = check.check(validation.load([tmp_path]).loaded)
    assert str(finding) == (
        f"{finding.path}:3:16: swapped-date: 2022-03-10 is 216 days before the announcement (2022-10-12); "
        "day and month swapped? (2022-10-03)"
    )


def test_a_law_of_another_country_is_found_where_it_is_cited_but_the_ico_citing_the_gdpr_is_not(
    tmp_path: Path,
) -> None:
    parts = [
        {"amount": "600000", "description": "cookies", "articles": ["Art. 82 FR-LIL"]},
        {"amount": "400000", "description": "marketing", "articles": ["Art. 7 DE-TTDSG"]},
    ]
    write_record(tmp_path, record(articles=["Art. 6(1) GDPR", "Art. 5 UK-GDPR"], parts=parts))
    write_record(tmp_path, record(id="uk-ico-2023-acme", regulator="UK-ICO", decision_date="2023-04",
                                  currency="GBP", articles=["Art. 8 GDPR", "Art. 5 UK-GDPR"]))  # fmt: skip
    found = [(f.line, f.column, f.message) for f in check.check(validation.load([tmp_path]).loaded)]
    assert found == [
        (13, 3, "UK-GDPR is a law of GB, but FR-CNIL is an authority of FR: a typo?"),
        (28, 5, "DE-TTDSG is a law of DE, but FR-CNIL is an authority of FR: a typo?"),
    ]


def test_nothing_is_found_in_clean_data(small_set: Path) -> None:
    assert len(SMALL_SET) == 7
    assert codes_by_file(small_set) == {}


def test_numbered_names_are_not_typos() -> None:
    assert not check._typo("synthetic-company-1", "synthetic-company-2")
    assert check._typo("clearview-al", "clearview-ai")
    assert check._typo("vodafone-espana", "vodafnoe-espana")


@settings(max_examples=60)
@given(st.text(min_size=1, max_size=30).filter(str.strip))
def test_records_with_the_same_facts_are_always_likely_duplicates(name: str) -> None:
    entity = {"name": name, "role": "controller"}
    a = Decision.model_validate(record(entity=entity, case_number="A-1"))
    b = Decision.model_validate(record(id="fr-cnil-2022-acme-2", entity=entity, case_number="A-2"))
    assert entry_of(a).identity == entry_of(b).identity
    assert check.likely_same_decision(a, b)
