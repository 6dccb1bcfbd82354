from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finelog.articles import (
    ArticleError,
    ArticleRef,
    parse_pattern,
    parse_reference,
    parse_references,
)


def texts(refs: list[ArticleRef]) -> list[str]:
    return [str(ref) for ref in refs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Art. 5 (1) a), c) GDPR, Art. 6 (1) GDPR",
            ["Art. 5(1)(a) GDPR", "Art. 5(1)(c) GDPR", "Art. 6(1) GDPR"],
        ),
        ("Art. 13 GDPR, Art. 14 GDPR", ["Art. 13 GDPR", "Art. 14 GDPR"]),
        ("Art. 28 (3) g) GDPR", ["Art. 28(3)(g) GDPR"]),
        ("Art. 82 loi Informatique et Libertes", ["Art. 82 FR-LIL"]),
        ("Art. 82 loi Informatique et Libertés", ["Art. 82 FR-LIL"]),
        ("Art. 130 Codice della privacy", ["Art. 130 IT-PRIVACY-CODE"]),
        ("UK GDPR Art. 5(1)(f)", ["Art. 5(1)(f) UK-GDPR"]),
        ("Article 28(3)(g) GDPR", ["Art. 28(3)(g) GDPR"]),
        ("Art. 15, 17 GDPR", ["Art. 15 GDPR", "Art. 17 GDPR"]),
        ("Art. 5 para. 1 lit. a GDPR", ["Art. 5(1)(a) GDPR"]),
        ("Art. 28 par. 3 GDPR", ["Art. 28(3) GDPR"]),
        ("Art. 28 par 3 lit. a GDPR", ["Art. 28(3)(a) GDPR"]),
        ("Art. 4(11) GDPR", ["Art. 4(11) GDPR"]),
        ("Art. 130(3-bis) IT-PRIVACY-CODE", ["Art. 130(3-bis) IT-PRIVACY-CODE"]),
        ("Art. 2 quinquies Codice della privacy", ["Art. 2-quinquies IT-PRIVACY-CODE"]),
        ("Art. L. 34-5 CPCE", ["Art. L34-5 FR-CPCE"]),
    ],
)
def test_tracker_spellings_parse_into_canonical_references(text: str, expected: list[str]) -> None:
    assert texts(parse_references(text)) == expected


def test_a_reference_without_a_law_takes_the_default() -> None:
    assert texts(parse_references("Art. 5(1)(f)", default_law="UK-GDPR")) == ["Art. 5(1)(f) UK-GDPR"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Art. 5(1)(f)", "no law named"),
        ("Unknown", "no article reference"),
        ("Art. 5 Made Up Act", "unknown law 'Made Up Act'"),
        ("Art. GDPR", "no article number"),
    ],
)
def test_unreadable_references_are_errors(text: str, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        parse_references(text)


def test_a_record_item_holds_exactly_one_reference() -> None:
    assert parse_reference("Art. 46(1) GDPR") == ArticleRef("GDPR", "46", "1")
    with pytest.raises(ArticleError, match="one reference per item, found 2"):
        parse_reference("Art. 13 GDPR, Art. 14 GDPR")


@pytest.mark.parametrize(
    ("pattern", "reference", "expected"),
    [
        ("5", "Art. 5 GDPR", True),
        ("5", "Art. 5(1) GDPR", True),
        ("5", "Art. 5(1)(f) GDPR", True),
        ("5(1)", "Art. 5(1)(f) GDPR", True),
        ("5(1)", "Art. 5(2) GDPR", False),
        ("5(1)", "Art. 5 GDPR", False),
        ("5", "Art. 50 GDPR", False),
        ("28(3) GDPR", "Art. 28(3)(g) GDPR", True),
        ("28(3) GDPR", "Art. 28(3)(g) UK-GDPR", False),
        ("Art. 82 FR-LIL", "Art. 82 FR-LIL", True),
    ],
)
def test_article_patterns_match_by_prefix(pattern: str, reference: str, expected: bool) -> None:
    assert parse_pattern(pattern).matches(parse_reference(reference)) is expected


def test_a_pattern_is_one_article() -> None:
    with pytest.raises(ArticleError):
        parse_pattern("5, 6")
    with pytest.raises(ArticleError):
        parse_pattern("GDPR")


references = st.builds(
    ArticleRef,
    law=st.sampled_from(["GDPR", "UK-GDPR", "FR-LIL", "IT-PRIVACY-CODE", "DE-BDSG"]),
    article=st.integers(1, 99).map(str),
    paragraph=st.one_of(st.none(), st.integers(1, 12).map(str)),
    point=st.none() | st.sampled_from("abcdefgh"),
).filter(lambda ref: ref.paragraph is not None or ref.point is None)


@given(references)
def test_the_canonical_form_parses_back_to_the_same_reference(ref: ArticleRef) -> None:
    assert parse_reference(str(ref)) == ref


@given(st.lists(references, min_size=1, max_size=6))
def test_a_comma_separated_list_of_canonical_forms_parses_to_all_of_them(
    refs: list[ArticleRef],
) -> None:
    assert parse_references(", ".join(str(ref) for ref in refs)) == refs


@given(references)
def test_every_reference_matches_its_own_article_as_a_pattern(ref: ArticleRef) -> None:
    assert parse_pattern(ref.article).matches(ref)


@given(st.integers(1, 99), st.sampled_from(["GDPR", "UK-GDPR"]))
def test_every_article_the_gdpr_has_is_read(number: int, law: str) -> None:
    assert parse_reference(f"Art. {number}(1) {law}").article == str(number)


@given(st.one_of(st.integers(100, 10_000), st.just(0)), st.sampled_from(["GDPR", "UK-GDPR"]))
def test_an_article_the_gdpr_does_not_have_is_refused(number: int, law: str) -> None:
    with pytest.raises(ArticleError, match=rf"the {law} has articles 1 to 99, not '{number}'"):
        parse_reference(f"Art. {number} {law}")


def test_national_laws_are_not_held_to_the_gdprs_numbering() -> None:
    assert parse_reference("Art. 130 IT-PRIVACY-CODE").article == "130"


@given(st.integers(1, 999), st.integers(1, 99), st.sampled_from(["GDPR", "FR-LIL", "ES-LOPDGDD"]))
def test_a_dotted_paragraph_is_refused_saying_how_to_write_it_never_guessed(
    article: int, paragraph: int, law: str
) -> None:
    advice = f"write Art. {article}({paragraph}) for paragraph {paragraph} of article {article}: "
    for read in (parse_reference, parse_pattern):
        with pytest.raises(ArticleError) as caught:
            read(f"Art. {article}.{paragraph} {law}")
        assert str(caught.value).startswith(advice)
    with pytest.raises(ArticleError, match=re.escape(advice)):
        parse_pattern(f"{article}.{paragraph}")
