"""Tracker rows to records: columns by name, every field read or refused, never guessed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finelog import trackers
from finelog.models import ID_MAX_LENGTH, ID_PATTERN, Sector, ViolationType
from finelog.trackers import SPECS, ExportError, Field, Mapped, Rejected, Row
from finelog.vocab import Tracker

TODAY = date(2026, 1, 1)
CMS = SPECS[Tracker.CMS]
PA = SPECS[Tracker.PRIVACYAFFAIRS]


@pytest.mark.parametrize(
    "header",
    [
        [
            "ETid",
            "Country",
            "Authority",
            "Date of Decision",
            "Fine [€]",
            "Controller/Processor",
            "Quoted Art.",
            "Type",
            "Source",
        ],
        [
            "etid",
            "country",
            "authority",
            "decision_date",
            "amount_eur",
            "controller_or_processor",
            "quoted_articles",
            "type",
            "source_url",
        ],
        ["ETID", "COUNTRY", "AUTHORITY", "DATE", "FINE", "CONTROLLER", "ARTICLES", "TYPE", "URL"],
    ],
)
def test_columns_are_matched_by_name_whatever_their_spelling(header: list[str]) -> None:
    found = trackers.match_columns(header, CMS)
    assert [found[f] for f in (Field.TRACKER_ID, Field.DATE, Field.AMOUNT, Field.ENTITY, Field.SOURCE)] == [
        0,
        3,
        4,
        5,
        8,
    ]


def test_privacyaffairs_names_its_columns_its_own_way() -> None:
    header = [
        "id",
        "picture",
        "name",
        "price",
        "authority",
        "date",
        "controller",
        "articleViolated",
        "type",
        "source",
        "summary",
    ]
    found = trackers.match_columns(header, PA)
    assert (found[Field.TRACKER_ID], found[Field.COUNTRY], found[Field.AMOUNT], found[Field.ENTITY]) == (
        0,
        2,
        3,
        6,
    )


def test_a_missing_column_is_named() -> None:
    with pytest.raises(ExportError, match="no column for the amount, date"):
        trackers.match_columns(["Authority", "Controller", "Source"], CMS)


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(ExportError, match="both look like the amount"):
        trackers.match_columns(["Authority", "Date", "Fine [€]", "amount_eur", "Controller", "Source"], CMS)


BOTH = ["Country", "Authority", "Date", "Fine", "Controller", "Source"]


@pytest.mark.parametrize(
    ("header", "spec", "message"),
    [
        (
            ["ETid", *BOTH],
            PA,
            "CMS Enforcement Tracker export (it has an ETid column): use `finelog import cms`",
        ),
        (["enforcement_tracker_id", *BOTH], PA, "(it has an enforcement_tracker_id column)"),
        (["id", "picture", *BOTH], CMS, "(it has a picture column): use `finelog import privacyaffairs`"),
    ],
)
def test_another_trackers_export_is_refused_naming_the_command_to_use(
    header: list[str], spec: trackers.TrackerSpec, message: str
) -> None:
    with pytest.raises(ExportError, match=f"^looks like a .*{re.escape(message)}"):
        trackers.match_columns(header, spec)


def test_an_export_with_its_own_trackers_column_is_read_whatever_else_it_has() -> None:
    assert trackers.match_columns(["ETid", "id", *BOTH], CMS)[Field.TRACKER_ID] == 0
    assert trackers.match_columns(["ETid", "id", "picture", *BOTH], PA)[Field.TRACKER_ID] == 1
    assert Field.TRACKER_ID not in trackers.match_columns(BOTH, PA)


def test_a_bom_is_dropped_and_bad_bytes_are_reported_with_their_line() -> None:
    assert trackers.decode("\ufeffETid,x\n".encode()) == "ETid,x\n"
    with pytest.raises(ExportError, match="not UTF-8 text \\(line 2\\)"):
        trackers.decode(b"a,b\n\xff\n")


def test_rows_know_their_number_and_first_line_and_blank_lines_are_not_rows() -> None:
    text = 'Authority,Date,Fine,Controller,Source,Summary\nCNIL,2020-01-01,1,A,http://a.fr,"two\nlines"\n\nCNIL,2020-01-02,2,B,http://b.fr,x\n'
    table = trackers.read_table(text, CMS)
    assert [(r.number, r.line) for r in table.rows] == [(1, 2), (2, 5)]


def test_a_row_with_too_few_cells_carries_a_problem() -> None:
    table = trackers.read_table("Authority,Date,Fine,Controller,Source\nCNIL,2020-01-01\n", CMS)
    assert table.rows[0].problem == "the row has 2 columns where the header has 5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200,000,000", Decimal("1200000000")),
        ("9380", Decimal("9380")),
        ("2,200", Decimal("2200")),
        ("€ 1.250.000", Decimal("1250000")),
        ("1 500", Decimal("1500")),
        ("1500.50", Decimal("1500.50")),
        ("", None),
        ("Unknown", None),
        ("0", None),
    ],
)
def test_amount_forms(text: str, expected: Decimal | None) -> None:
    amount, _, reason = trackers.read_amount(text)
    assert (amount, reason) == (expected, None)


def test_a_dot_or_comma_before_three_digits_separates_thousands_either_way() -> None:
    for text in ("1.500", "1,500", "1 500", "€1.500", "1500"):
        assert trackers.read_amount(text) == (Decimal(1500), None, None), text
    assert trackers.read_amount("2.000.000")[0] == trackers.read_amount("2,000,000")[0] == Decimal(2000000)
    assert trackers.read_amount("1.500,50")[0] == trackers.read_amount("1,500.50")[0] == Decimal("1500.50")


@pytest.mark.parametrize(
    "text", ["1500.000", "0.500", "12.3456", "1,500,50", "1.500.50", "1.500,000", "01,500"]
)
def test_an_amount_that_fits_no_reading_is_rejected_naming_it(text: str) -> None:
    amount, _, reason = trackers.read_amount(text)
    assert amount is None and reason is not None and reason.startswith(f"unreadable amount {text!r}")


THOUSANDS = st.sampled_from([",", ".", " ", "\u00a0", "\u202f", "'"])


def grouped(n: int, separator: str) -> str:
    """An integer written with a thousands separator."""
    return f"{n:,}".replace(",", separator)


@given(st.integers(1, 10**15), st.one_of(st.just(""), THOUSANDS))
def test_any_integer_in_any_accepted_grouping_reads_as_itself(n: int, separator: str) -> None:
    assert trackers.read_amount(grouped(n, separator)) == (Decimal(n), None, None)


@given(st.integers(0, 10**15), st.integers(1, 99), THOUSANDS, st.sampled_from([".", ","]))
def test_cents_after_the_other_mark_are_cents(n: int, cents: int, separator: str, mark: str) -> None:
    if separator != mark:
        text = f"{grouped(n, separator)}{mark}{cents:02d}"
        assert trackers.read_amount(text)[0] == n + Decimal(cents) / 100


@given(st.text(alphabet="0123456789.,", min_size=1, max_size=14))
def test_an_amount_is_read_at_its_written_scale_or_rejected(text: str) -> None:
    amount, _, reason = trackers.read_amount(text)
    tail = text.replace(",", ".").rsplit(".", 1)[-1] if "." in text.replace(",", ".") else ""
    digits = "".join(c for c in text if c.isdigit())
    if amount is not None:
        decimals = len(tail) if len(tail) in (1, 2) else 0
        assert amount.scaleb(decimals) == int(digits)
    elif reason is None:
        assert int(digits) == 0


def test_a_zero_amount_is_unknown_with_a_note_and_a_range_is_refused() -> None:
    assert trackers.read_amount("0")[1] == trackers.ZERO_AMOUNT_NOTE
    assert trackers.read_amount("between 46,900 and 53,600")[2] is not None


@pytest.mark.parametrize(
    ("text", "us", "expected"),
    [
        ("2019-10-18", False, "2019-10-18"),
        ("2019-10", False, "2019-10"),
        ("10/18/2019", True, "2019-10-18"),
        ("1/2/2020", True, "2020-01-02"),
    ],
)
def test_dates_iso_or_the_formats_own(text: str, us: bool, expected: str) -> None:
    when, reason = trackers.read_date(text, us_dates=us, today=TODAY)
    assert (str(when), reason) == (expected, None)


@pytest.mark.parametrize(
    ("text", "us", "reason"),
    [
        ("10/18/2019", False, "unreadable date '10/18/2019' (expected YYYY-MM-DD)"),
        ("13/01/2019", True, "unreadable date"),
        ("1970-01-01", False, "placeholder date 1970-01-01"),
        ("2030-01-01", False, "date 2030-01-01 is in the future"),
        ("", False, "no decision date"),
    ],
)
def test_dates_that_cannot_be_used(text: str, us: bool, reason: str) -> None:
    when, why = trackers.read_date(text, us_dates=us, today=TODAY)
    assert when is None and why is not None and why.startswith(reason)


def code_of(authority: str, country: str) -> str | None:
    regulator, _ = trackers.read_regulator(authority, country)
    return regulator.code if regulator else None


def test_authorities_resolve_through_the_aliases_and_an_unknown_one_is_named() -> None:
    assert code_of("Data Protection Commision of Bulgaria (KZLD)", "Bulgaria") == "BG-CPDP"
    assert trackers.read_regulator("Data Protection Authority", "Germany") == (
        None,
        ["unknown authority 'Data Protection Authority' (not in the registry: `finelog regulators`)"],
    )


def test_a_shared_alias_is_settled_by_the_rows_country_never_guessed_without_one() -> None:
    assert code_of("CNPD", "Portugal") == "PT-CNPD"
    assert code_of("CNPD", "LUXEMBOURG") == "LU-CNPD"
    regulator, reasons = trackers.read_regulator("CNPD", "")
    assert regulator is None and "ambiguous" in reasons[0]


def test_an_authority_of_another_country_is_refused() -> None:
    regulator, reasons = trackers.read_regulator("French Data Protection Authority (CNIL)", "Spain")
    assert regulator is None and "is in FR, but the row's country is 'Spain'" in reasons[0]


def test_articles_keep_what_parses_and_return_the_rest() -> None:
    refs, unread = trackers.read_articles("Art. 5 (1) a), c) GDPR, Art. 6 (1) GDPR", "GDPR")
    assert [str(r) for r in refs] == ["Art. 5(1)(a) GDPR", "Art. 5(1)(c) GDPR", "Art. 6(1) GDPR"]
    assert unread == []
    refs, unread = trackers.read_articles("Art. 32 GDPR, Art. 9 Atlantis Privacy Act", "GDPR")
    assert ([str(r) for r in refs], unread) == (["Art. 32 GDPR"], ["Art. 9 Atlantis Privacy Act"])
    assert trackers.read_articles("Unknown", "GDPR") == ([], [])
    refs, _ = trackers.read_articles('<a href="https://x.eu/32.htm">Art. 32 GDPR</a>', "GDPR")
    assert [str(r) for r in refs] == ["Art. 32 GDPR"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Insufficient legal basis for data processing", ["legal_basis"]),
        ("Non-compliance with lawful basis for data processing", ["legal_basis"]),
        (
            "Failure to implement sufficient measures to ensure information security and information obligation non-compliance",
            ["security", "information"],
        ),
        ("Non-compliance with subjects' rights protection safeguards", ["data_subject_rights"]),
        ("Lack of cooperation with Data Protection Authority", ["cooperation"]),
        ("No data protection officer appointed", ["dpo_appointment"]),
        ("Insufficient involvement of data protection officer", ["dpo_involvement"]),
        ("Several", ["unknown"]),
        ("Unknown", ["unknown"]),
    ],
)
def test_violation_types_into_the_vocabulary(text: str, expected: list[str]) -> None:
    types, note = trackers.read_types(text)
    assert ([t.value for t in types], note) == (expected, None)


def test_an_unrecognised_type_is_unknown_with_a_note() -> None:
    types, note = trackers.read_types("https://example.org/a-url-in-the-wrong-column")
    assert types == [ViolationType.UNKNOWN] and note is not None


def test_the_sector_prefix_of_a_summary_is_recognised() -> None:
    assert trackers.split_sector("Sector: Health Care. The rest.") == ("Health Care", "The rest.")
    assert Sector.from_text("Media, Telecoms and Broadcasting") is Sector.MEDIA_TELECOMS


def test_html_is_stripped() -> None:
    assert trackers.plain_text("<p>The town&#8217;s <b>bulletin</b>.</p>\n") == "The town’s bulletin."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Meta Platforms Ireland Limited", "meta-platforms-ireland"),
        ("Amazon Europe Core S.à.r.l.", "amazon-europe-core"),
        ("Lyngby-Taarbæk Municipality", "lyngby-taarbaek-municipality"),
        ("Vodafone España, S.A.U.", "vodafone-espana"),
        ("Google LLC", "google"),
        ("Ltd", "ltd"),
    ],
)
def test_slugs(name: str, expected: str) -> None:
    assert trackers.slug(name) == expected


def test_unnamed_parties_are_described_not_named() -> None:
    assert trackers.entity_fields("Private person") == {"description": "private person"}
    assert trackers.entity_fields("Not disclosed") == {"description": "not disclosed"}
    assert trackers.entity_fields("An Post") == {"name": "An Post"}


def cms_row(**values: str) -> Row:
    base = {
        Field.TRACKER_ID: "ETid-23",
        Field.COUNTRY: "FRANCE",
        Field.AUTHORITY: "French Data Protection Authority (CNIL)",
        Field.DATE: "2019-01-21",
        Field.AMOUNT: "50,000,000",
        Field.ENTITY: "Google LLC",
        Field.ARTICLES: "Art. 6 GDPR",
        Field.TYPE: "Insufficient legal basis for data processing",
        Field.SOURCE: "https://www.cnil.fr/en/x",
    }
    return Row(1, 2, base | {Field(k.replace("_", " ")): v for k, v in values.items()})


def test_a_row_becomes_a_record_with_its_provenance_and_sources() -> None:
    mapped = trackers.map_row(cms_row(), CMS, TODAY)
    assert isinstance(mapped, Mapped)
    assert mapped.base_id == "fr-cnil-2019-google" and mapped.suffix == "etid-23"
    assert mapped.record["sources"] == [
        {
            "url": "https://www.cnil.fr/en/x",
            "kind": "authority",
            "title": "Source given by the CMS Enforcement Tracker export (ETid-23)",
        }
    ]
    assert mapped.record["references"] == {"etid": "ETid-23"}
    assert "ETid-23" in str(mapped.record["provenance"]) and "tracker's" in str(mapped.record["provenance"])
    assert "no summary" in str(mapped.record["summary"])


def test_a_source_url_ends_at_a_control_character_which_the_record_may_not_hold() -> None:
    row = cms_row(source="https://www.cnil.fr/en/x\x1b]8;;https://evil.example\x1b\\ \u202eetc")
    mapped = trackers.map_row(row, CMS, TODAY)
    assert isinstance(mapped, Mapped)
    [source] = cast(list[dict[str, str]], mapped.record["sources"])
    assert source["url"] == "https://www.cnil.fr/en/x"


def test_a_uk_decision_after_brexit_cites_the_uk_gdpr() -> None:
    row = cms_row(country="UNITED KINGDOM", authority="Information Commissioner (ICO)", date="2022-05-18")
    mapped = trackers.map_row(row, CMS, TODAY)
    assert isinstance(mapped, Mapped) and mapped.record["articles"] == ["Art. 6 UK-GDPR"]


def test_a_row_collects_every_reason_it_is_rejected() -> None:
    rejected = trackers.map_row(
        cms_row(authority="Atlantis Board", date="1970-01-01", amount="lots"), CMS, TODAY
    )
    assert isinstance(rejected, Rejected)
    assert len(rejected.reasons) == 3 and "Atlantis Board" in rejected.reasons[0]


@given(st.dictionaries(st.sampled_from(list(Field)), st.text(max_size=40)))
def test_any_row_maps_or_is_rejected_without_raising(values: dict[Field, str]) -> None:
    for spec in (CMS, PA):
        outcome = trackers.map_row(Row(1, 2, values), spec, TODAY)
        assert isinstance(outcome, Mapped) or outcome.reasons


@given(st.sampled_from(["Google LLC", "Private person", "Acme S.A.", "Ørsted A/S"]), st.integers(1, 9999))
def test_the_same_row_always_gets_the_same_ids(entity: str, etid: int) -> None:
    first = trackers.map_row(cms_row(entity=entity, tracker_id=f"ETid-{etid}"), CMS, TODAY)
    again = trackers.map_row(cms_row(entity=entity, tracker_id=f"ETid-{etid}"), CMS, TODAY)
    assert isinstance(first, Mapped) and isinstance(again, Mapped)
    assert (first.base_id, first.suffix, first.record) == (again.base_id, again.suffix, again.record)


@given(st.lists(st.text(min_size=1), min_size=1), st.text())
def test_the_unread_articles_note_gives_back_what_it_kept(unread: list[str], after: str) -> None:
    note = f"{trackers.unread_articles_note(unread)} {after}"
    assert trackers.unread_articles(note) == "; ".join(repr(piece) for piece in unread)


def test_a_plain_id_column_does_not_make_an_export_look_like_privacyaffairs() -> None:
    assert Field.AUTHORITY in trackers.match_columns(["id", *BOTH], CMS)


def test_a_long_name_gives_ids_that_fit_cut_after_a_whole_word() -> None:
    words = ["Alpha" * 6, "Bravo" * 6, "Charlie" * 4, "Delta" * 6]
    name = " ".join(words * 3)
    mapped = trackers.map_row(cms_row(entity=name, tracker_id="ETid-123456"), CMS, TODAY)
    assert isinstance(mapped, Mapped)
    longest = f"{mapped.base_id}-{mapped.suffix}"
    assert len(longest) <= ID_MAX_LENGTH
    assert mapped.base_id == "fr-cnil-2019-" + "-".join(words[:3]).lower()


@given(st.text(min_size=1, max_size=400), st.integers(0, 10**12))
def test_for_any_name_and_tracker_id_both_ids_are_valid_ids(name: str, tracker_id: int) -> None:
    mapped = trackers.map_row(cms_row(entity=name, tracker_id=f"ETid-{tracker_id}"), CMS, TODAY)
    if isinstance(mapped, Mapped):
        for candidate in (mapped.base_id, f"{mapped.base_id}-{mapped.suffix}"):
            assert re.fullmatch(ID_PATTERN, candidate) and len(candidate) <= ID_MAX_LENGTH, candidate
