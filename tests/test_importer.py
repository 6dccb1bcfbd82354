"""Importing exports: every row in exactly one place, nothing overwritten, re-imports write nothing."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import record, write_record
from finelog import check, importer, loader, validation
from finelog.importer import Fate
from finelog.registry import normalise
from finelog.trackers import SPECS, Table, fallback_token, read_table, slug
from finelog.vocab import Tracker

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 1, 1)


def run(name: str, tracker: Tracker, out: Path, *, dry_run: bool = False) -> importer.ImportResult:
    table = importer.read_export(FIXTURES / name, tracker)
    return importer.import_export(table, tracker, out, dry_run=dry_run, today=TODAY)


def fates(result: importer.ImportResult) -> list[tuple[int, str]]:
    return [(o.row, o.fate.value) for o in result.outcomes]


def snapshot(directory: Path) -> dict[str, tuple[float, bytes]]:
    return {p.name: (p.stat().st_mtime, p.read_bytes()) for p in sorted(directory.iterdir())}


def test_privacyaffairs_rows_each_end_in_one_place(tmp_path: Path) -> None:
    result = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    assert fates(result) == [
        (1, "written"),
        (2, "written"),
        (3, "written"),
        (4, "written"),
        (5, "rejected"),
        (6, "rejected"),
        (7, "rejected"),
        (8, "written"),
        (9, "written"),
        (10, "written"),
        (11, "written"),
        (12, "written"),
    ]
    outcome = {o.row: o for o in result.outcomes}
    assert outcome[5].reasons == (
        "unknown authority 'Data Protection Authority' (not in the registry: `finelog regulators`)",
    )
    assert outcome[6].reasons[0].startswith("unknown authority 'Private person'")
    assert outcome[7].reasons[0].startswith("placeholder date 1970-01-01")
    assert outcome[11].id == "es-aepd-2019-xfera-moviles-pa-11"
    assert outcome[11].warnings == (
        "may be the same decision as es-aepd-2019-xfera-moviles (same regulator and amount, decided "
        "2019-10-16 and 2019-10-16); see `finelog check`",
    )
    assert (outcome[8].id, outcome[9].id) == (
        "es-aepd-2019-private-person",
        "es-aepd-2019-private-person-pa-9",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{o.id}.yaml" for o in result.outcomes if o.fate is Fate.WRITTEN
    )


def test_what_is_written_validates_and_keeps_unknown_amounts_unknown(tmp_path: Path) -> None:
    run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    run("cms_export.csv", Tracker.CMS, tmp_path)
    loaded = validation.load([tmp_path], TODAY)
    assert loaded.problems == []
    by_id = {d.id: d for d in loaded.decisions}
    assert by_id["uk-ico-2019-british-airways"].amount is None
    assert by_id["de-be-2021-deutsche-wohnen"].amount is None
    assert by_id["pl-uodo-2019-polish-mayor"].decision_date.start == date(2019, 10, 18)
    assert by_id["uk-ico-2019-life-at-parliament-view"].articles == []
    assert "could not read: 'Data Protection Act 2018'" in (
        by_id["uk-ico-2019-life-at-parliament-view"].notes or ""
    )
    assert by_id["fr-cnil-2021-google"].laws == ["FR-LIL"]
    assert by_id["es-aepd-2019-private-person"].entity.description == "private person"


def test_cms_rows_and_the_snake_case_export_with_a_bom(tmp_path: Path) -> None:
    result = run("cms_export.csv", Tracker.CMS, tmp_path)
    assert [o.fate for o in result.outcomes].count(Fate.WRITTEN) == 8
    assert result.outcomes[-1].reasons == (
        "unknown country 'ATLANTIS'",
        "unknown authority 'Atlantis Privacy Board' (not in the registry: `finelog regulators`)",
    )
    snake = run("cms_snake_bom.csv", Tracker.CMS, tmp_path)
    assert fates(snake) == [(1, "written"), (2, "written")]
    meta = (tmp_path / "ie-dpc-2023-meta-platforms-ireland.yaml").read_text()
    assert "sector: media_telecoms" in meta and "Sector:" not in meta and "etid: ETid-1844" in meta


def test_reimporting_writes_nothing_and_skips_every_row_written(tmp_path: Path) -> None:
    first = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    run("cms_export.csv", Tracker.CMS, tmp_path)
    before = snapshot(tmp_path)
    again = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    cms_again = run("cms_export.csv", Tracker.CMS, tmp_path)
    assert snapshot(tmp_path) == before
    assert again.count(Fate.WRITTEN) == cms_again.count(Fate.WRITTEN) == 0
    assert [o.id for o in again.outcomes if o.fate is Fate.SKIPPED] == [
        o.id for o in first.outcomes if o.fate is not Fate.REJECTED
    ]


def test_a_dry_run_writes_nothing_and_plans_what_a_real_run_does(tmp_path: Path) -> None:
    out = tmp_path / "new"
    dry = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, out, dry_run=True)
    assert not out.exists()
    real = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, out)
    assert [o.as_dict() for o in dry.outcomes] == [o.as_dict() for o in real.outcomes]


def aepd_record(ident: str, decided: str, name: str, amount: str) -> dict[str, object]:
    """A hand-written record of an AEPD fine."""
    entity = {"name": name, "role": "controller"}
    return record(id=ident, regulator="ES-AEPD", decision_date=decided, entity=entity, amount=amount)


def test_a_hand_written_record_is_never_overwritten(tmp_path: Path) -> None:
    mine = aepd_record("es-aepd-2019-xfera-moviles", "2019-03-01", "Xfera Móviles", "70000")
    path = write_record(tmp_path, mine)
    before = path.read_bytes()
    result = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    assert path.read_bytes() == before
    assert {o.row: o.id for o in result.outcomes}[10] == "es-aepd-2019-xfera-moviles-pa-10"


def test_a_row_is_rejected_when_both_its_ids_are_taken(tmp_path: Path) -> None:
    for ident in ("pl-uodo-2019-polish-mayor", "pl-uodo-2019-polish-mayor-pa-1"):
        (tmp_path / f"{ident}.yaml").write_text("not: a valid record\n")
    result = run("privacyaffairs.csv", Tracker.PRIVACYAFFAIRS, tmp_path)
    assert result.outcomes[0].fate is Fate.REJECTED
    assert "are taken by other records" in result.outcomes[0].reasons[0]
    assert "2 invalid files in " in result.warnings[0]
    assert (tmp_path / "pl-uodo-2019-polish-mayor.yaml").read_text() == "not: a valid record\n"


def test_the_same_tracker_id_already_in_the_data_set_is_a_skip(tmp_path: Path) -> None:
    write_record(tmp_path, record(id="fr-cnil-2019-google-hand-written", references={"etid": "ETid-23"}))
    result = run("cms_export.csv", Tracker.CMS, tmp_path)
    assert result.outcomes[0].fate is Fate.SKIPPED
    assert result.outcomes[0].reasons == (
        "ETid-23 is already the tracker id of fr-cnil-2019-google-hand-written",
    )


def test_a_look_alike_of_a_record_already_there_is_written_with_a_warning(tmp_path: Path) -> None:
    entity = {"name": "Google LLC", "role": "controller"}
    google = record(
        id="fr-cnil-2019-google-llc", decision_date="2019-01-21", entity=entity, amount="50000000"
    )
    write_record(tmp_path, google)
    export = tmp_path / "export.csv"
    export.write_text(
        "ETid,Authority,Date of Decision,Fine [€],Controller/Processor,Quoted Art.,Type,Source\n"
        "ETid-1,French Data Protection Authority (CNIL),2019-01-24,50000000,Google Inc.,Art. 6 GDPR,"
        "Insufficient legal basis for data processing,https://www.cnil.fr/x\n"
        "ETid-2,French Data Protection Authority (CNIL),2019-02-24,50000000,Google Inc.,Art. 6 GDPR,"
        "Insufficient legal basis for data processing,https://www.cnil.fr/y\n"
    )
    table = importer.read_export(export, Tracker.CMS)
    result = importer.import_export(table, Tracker.CMS, tmp_path, today=TODAY)
    first, second = result.outcomes
    assert (first.fate, first.id) == (Fate.WRITTEN, "fr-cnil-2019-google")
    assert first.warnings == (
        "may be the same decision as fr-cnil-2019-google-llc (same regulator and amount, decided "
        "2019-01-21 and 2019-01-24); see `finelog check`",
    )
    assert (second.fate, second.warnings) == (Fate.WRITTEN, ())
    assert result.doubtful() == 1


def test_files_are_written_whole_and_never_over_another(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    importer.write_new(target, "id: a\n")
    with pytest.raises(FileExistsError):
        importer.write_new(target, "id: b\n")
    assert target.read_text() == "id: a\n"
    assert os.listdir(tmp_path) == ["a.yaml"]


COLUMNS = [
    "ETid",
    "Authority",
    "Date of Decision",
    "Fine [€]",
    "Controller/Processor",
    "Quoted Art.",
    "Type",
    "Source",
]
AUTHORITIES = [
    "French Data Protection Authority (CNIL)",
    "Spanish Data Protection Authority (AEPD)",
    "Nowhere Board",
    "",
]
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "ETid": st.one_of(st.just(""), st.integers(1, 30).map(lambda n: f"ETid-{n}")),
            "Authority": st.sampled_from(AUTHORITIES),
            "Date of Decision": st.sampled_from(["2020-01-02", "2021-05-06", "1970-01-01", "x", "2021-05"]),
            "Fine [€]": st.sampled_from(["1,000", "0", "", "Unknown", "5000", "abc"]),
            "Controller/Processor": st.sampled_from(
                ["Acme SA", "Acme S.A.", "Private person", "", "Beta Ltd"]
            ),
            "Quoted Art.": st.sampled_from(["Art. 6 GDPR", "Unknown", "Art. 9 Nowhere Act", ""]),
            "Type": st.sampled_from(["Insufficient legal basis for data processing", "?"]),
            "Source": st.sampled_from(["https://www.cnil.fr/x", "https://example.org/y", "none"]),
        }
    ),
    max_size=25,
)


def warned_pairs(result: importer.ImportResult) -> set[frozenset[str]]:
    """The pairs of records the import wrote with a look-alike warning."""
    return {
        frozenset({str(o.id), match[1]})
        for o in result.outcomes
        for warning in o.warnings
        if (match := re.match(r"may be the same decision as (\S+) \(", warning))
    }


def check_pairs(records: list[loader.Loaded]) -> set[frozenset[str]]:
    """The pairs of records `finelog check` calls likely duplicates."""
    return {
        frozenset({Path(f.path).stem, match[1]})
        for f in check.check(records)
        if f.code == check.Code.DUPLICATE and (match := re.match(r"the same decision as (\S+) \(", f.message))
    }


def cms_table(rows: list[dict[str, str]]) -> Table:
    """Rows as a CMS export would hold them, read back."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return read_table(buffer.getvalue(), SPECS[Tracker.CMS])


@settings(max_examples=40, deadline=None)
@given(ROWS)
def test_for_any_rows_the_counts_add_up_and_a_rerun_writes_nothing(rows: list[dict[str, str]]) -> None:
    table = cms_table(rows)
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        result = importer.import_export(table, Tracker.CMS, out, today=TODAY)
        assert len(result.outcomes) == len(rows)
        assert sum(result.count(fate) for fate in Fate) == len(rows)
        assert len(list(out.glob("*.yaml"))) == result.count(Fate.WRITTEN)
        assert validation.load([out], TODAY).problems == []
        again = importer.import_export(table, Tracker.CMS, out, today=TODAY)
        assert again.count(Fate.WRITTEN) == 0
        assert again.count(Fate.REJECTED) == result.count(Fate.REJECTED)


@pytest.mark.parametrize(
    "changes",
    [
        {"amout": "5"},
        {"summary": None},
        {"id": "Not An Id"},
        {"amount": "a lot"},
        {"decision_date": "2022-10-17", "announced_date": "2022-10-01"},
        {"decision_date": "2030-01-01"},
    ],
)
def test_the_importer_rejects_a_record_in_the_words_validate_uses(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    data = record(**changes)
    path = write_record(tmp_path, data, name=str(data["id"]))
    said_by_validate = {f"{p.field}: {p.message}" for p in validation.load([path], TODAY).problems}
    spec = SPECS[Tracker.CMS]
    imp = importer.Importer(spec, importer.DataSet.read(tmp_path / "empty", TODAY), dry_run=True, today=TODAY)
    _, problems = imp.validate(data)
    said_by_import = set(problems)
    assert said_by_import
    assert said_by_import == said_by_validate


VALID_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "ETid": st.one_of(st.just(""), st.integers(1, 6).map(lambda n: f"ETid-{n}")),
            "Authority": st.sampled_from(AUTHORITIES[:2]),
            "Date of Decision": st.sampled_from(["2021-05", "2021-05-03", "2021-05-06", "2021-05-20"]),
            "Fine [€]": st.sampled_from(["1,000,000", "1000000", "2,000,000"]),
            "Controller/Processor": st.sampled_from(["Acme SA", "Acme S.A.", "Acme Holding SA", "Beta Ltd"]),
            "Quoted Art.": st.just("Art. 6 GDPR"),
            "Type": st.just("Insufficient legal basis for data processing"),
            "Source": st.just("https://www.cnil.fr/x"),
        }
    ),
    max_size=12,
)


@dataclass
class Held:
    """A record in the model: its id, the tracker id it carries, and the row of the export holding it."""

    id: str
    etid: str
    claimed: str


def expected_fates(rows: list[dict[str, str]]) -> list[tuple[Fate, str | None]]:
    """A model of the importer: a row is skipped when a record has its tracker id, or its facts
    and no other tracker id; rejected when another row of the export took that record."""
    by_etid: dict[str, Held] = {}
    by_facts: dict[tuple[str, ...], list[Held]] = {}
    fates: list[tuple[Fate, str | None]] = []
    for row in rows:
        etid = row["ETid"]
        facts = (
            row["Authority"],
            row["Date of Decision"],
            normalise(row["Controller/Processor"]),
            row["Fine [€]"].replace(",", ""),
        )
        same = by_etid.get(etid) if etid else None
        alike = [h for h in by_facts.get(facts, []) if not (etid and h.etid and h.etid != etid)]
        if same is None:
            same = next((h for h in alike if not etid or h.claimed in ("", etid)), None)
        if same is None and alike:
            fates.append((Fate.REJECTED, None))
            continue
        if same is None:
            base = f"{'fr-cnil' if 'CNIL' in row['Authority'] else 'es-aepd'}-2021-"
            base += slug(row["Controller/Processor"])
            suffix = etid.lower().removeprefix("etid-") or fallback_token(
                base[:7].upper(), row["Date of Decision"], row["Controller/Processor"], facts[3]
            )
            taken = {h.id for held in by_facts.values() for h in held}
            same = Held(base if base not in taken else f"{base}-etid-{suffix}", etid, etid)
            by_facts.setdefault(facts, []).append(same)
            fates.append((Fate.WRITTEN, same.id))
        else:
            same.claimed = same.claimed or etid
            fates.append((Fate.SKIPPED, same.id))
        if etid:
            by_etid.setdefault(etid, same)
    return fates


def cnil_row(etid: str, name: str) -> dict[str, str]:
    return {
        "ETid": etid,
        "Authority": AUTHORITIES[0],
        "Date of Decision": "2021-05",
        "Fine [€]": "1,000,000",
        "Controller/Processor": name,
        "Quoted Art.": "Art. 6 GDPR",
        "Type": "Insufficient legal basis for data processing",
        "Source": "https://www.cnil.fr/x",
    }


@settings(max_examples=60, deadline=None)
@given(VALID_ROWS)
@example([cnil_row("", "Acme SA"), cnil_row("ETid-1", "Acme SA"), cnil_row("ETid-1", "Acme S.A.")])
def test_the_import_warns_of_exactly_the_look_alikes_check_finds(rows: list[dict[str, str]]) -> None:
    table = cms_table(rows)
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        result = importer.import_export(table, Tracker.CMS, out, today=TODAY)
        assert [(o.fate, o.id) for o in result.outcomes] == expected_fates(rows)
        assert warned_pairs(result) == check_pairs(validation.load([out], TODAY).loaded)
        assert importer.import_export(table, Tracker.CMS, out, today=TODAY).count(Fate.WRITTEN) == 0


def test_dotted_thousands_are_written_as_the_amount_they_group(tmp_path: Path) -> None:
    row = {"Authority": AUTHORITIES[0], "Date of Decision": "2020-01-02", "Quoted Art.": "Art. 6 GDPR"}
    rows = [
        {**row, "ETid": "ETid-1", "Fine [€]": "1.500", "Controller/Processor": "Acme SA"},
        {**row, "ETid": "ETid-2", "Fine [€]": "2.000.000", "Controller/Processor": "Beta Ltd"},
        {**row, "ETid": "ETid-3", "Fine [€]": "1500.000", "Controller/Processor": "Gamma SA"},
    ]
    rows = [{**r, "Type": "?", "Source": "https://www.cnil.fr/x"} for r in rows]
    result = importer.import_export(cms_table(rows), Tracker.CMS, tmp_path, today=TODAY)
    amounts = {d.id: d.amount for d in validation.load([tmp_path], TODAY).decisions}
    assert amounts == {"fr-cnil-2020-acme": 1500, "fr-cnil-2020-beta": 2000000}
    assert result.outcomes[2].reasons[0].startswith("unreadable amount '1500.000'")


def failing_after(calls: int) -> Callable[[Path, str], None]:
    """A write_new that writes `calls` files, then fails as a read-only directory does."""
    real = importer.write_new
    done: list[Path] = []

    def write(path: Path, text: str) -> None:
        if len(done) == calls:
            raise PermissionError(13, "Permission denied")
        real(path, text)
        done.append(path)

    return write


def test_a_write_that_fails_stops_the_import_after_the_rows_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "write_new", failing_after(2))
    result = run("cms_export.csv", Tracker.CMS, tmp_path)
    assert [o.fate for o in result.outcomes] == [Fate.WRITTEN, Fate.WRITTEN]
    assert result.stopped == f"cannot write {tmp_path}/fr-cnil-2022-clearview-al.yaml: Permission denied"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{o.id}.yaml" for o in result.outcomes)


def test_an_out_directory_that_cannot_be_made_stops_the_import_before_any_row(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run("cms_export.csv", Tracker.CMS, tmp_path / "file" / "d")
    assert (result.outcomes, result.stopped) == ([], f"cannot create {tmp_path}/file/d: Not a directory")


@pytest.mark.parametrize("last", [1, 5, 9])
def test_a_callback_stops_the_import_after_the_row_it_was_given(tmp_path: Path, last: int) -> None:
    def stop_at(outcome: importer.Outcome) -> None:
        if outcome.row == last:
            raise importer.StopImport("enough")

    table = importer.read_export(FIXTURES / "cms_export.csv", Tracker.CMS)
    result = importer.import_export(table, Tracker.CMS, tmp_path, today=TODAY, on_outcome=stop_at)
    assert ([o.row for o in result.outcomes], result.stopped) == (list(range(1, last + 1)), "enough")
    written = {f"{o.id}.yaml" for o in result.outcomes if o.fate is Fate.WRITTEN}
    assert {p.name for p in tmp_path.iterdir()} == written


def test_ctrl_c_within_a_row_stops_the_import_leaving_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_link = os.link
    links: list[str] = []

    def link_then_interrupt(source: str, target: str) -> None:
        if len(links) == 2:
            raise KeyboardInterrupt
        real_link(source, target)
        links.append(target)

    monkeypatch.setattr(os, "link", link_then_interrupt)
    result = run("cms_export.csv", Tracker.CMS, tmp_path)
    assert (len(result.outcomes), result.stopped, result.signal_number) == (2, "interrupted", signal.SIGINT)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{o.id}.yaml" for o in result.outcomes)


PA_HEADER = "id,picture,country,price,authority,date,org_fined,articleViolated,type,source,summary\n"


def pa_row(row_id: str, source: str) -> str:
    return (
        f"{row_id},x.svg,Spain,75000,Spanish Data Protection Authority (AEPD),2020-02-03,"
        f'"Vodafone España, S.A.U.",Art. 6 GDPR,Non-compliance with lawful basis for data processing,'
        f"{source},<p>Row {row_id}.</p>\n"
    )


def pa_import(tmp_path: Path, *rows: str) -> importer.ImportResult:
    export = tmp_path / "export.csv"
    export.write_text(PA_HEADER + "".join(rows))
    table = importer.read_export(export, Tracker.PRIVACYAFFAIRS)
    return importer.import_export(table, Tracker.PRIVACYAFFAIRS, tmp_path / "out", today=TODAY)


def test_two_decisions_on_one_day_told_apart_by_their_sources_are_both_written(tmp_path: Path) -> None:
    rows = (
        pa_row("202", "https://www.aepd.es/es/documento/ps-00270-2019.pdf"),
        pa_row("206", "https://www.aepd.es/es/documento/ps-00278-2019.pdf"),
    )
    result = pa_import(tmp_path, *rows)
    assert [(o.fate, o.id) for o in result.outcomes] == [
        (Fate.WRITTEN, "es-aepd-2020-vodafone-espana"),
        (Fate.WRITTEN, "es-aepd-2020-vodafone-espana-pa-206"),
    ]
    assert (
        result.outcomes[1].warnings[0].startswith("may be the same decision as es-aepd-2020-vodafone-espana ")
    )
    loaded = validation.load([tmp_path / "out"], TODAY)
    assert loaded.problems == []
    assert check_pairs(loaded.loaded) == {frozenset(o.id for o in result.outcomes)}
    again = pa_import(tmp_path, *rows)
    assert [(o.fate, o.id) for o in again.outcomes] == [(Fate.SKIPPED, o.id) for o in result.outcomes]


def test_a_privacyaffairs_row_id_a_record_already_holds_is_a_skip_whatever_its_facts(tmp_path: Path) -> None:
    hand = aepd_record("es-aepd-2020-vodafone", "2020-02-03", "Vodafone España, S.A.U.", "60000")
    (tmp_path / "out").mkdir()
    write_record(tmp_path / "out", {**hand, "references": {"privacyaffairs": "202"}})
    result = pa_import(tmp_path, pa_row("202", "https://www.aepd.es/es/documento/ps-00270-2019.pdf"))
    assert [(o.fate, o.id, o.reasons) for o in result.outcomes] == [
        (
            Fate.SKIPPED,
            "es-aepd-2020-vodafone",
            ("row id 202 is already the tracker id of es-aepd-2020-vodafone",),
        )
    ]


def test_a_second_row_id_on_a_record_without_marks_is_rejected_until_it_has_some(tmp_path: Path) -> None:
    source = "https://www.aepd.es/es/documento/ps-00270-2019.pdf"
    hand = aepd_record("es-aepd-2020-vodafone", "2020-02-03", "Vodafone España, S.A.U.", "75000")
    hand["sources"] = [{"url": source, "kind": "authority"}]
    (tmp_path / "out").mkdir()
    write_record(tmp_path / "out", hand)
    first = pa_import(tmp_path, pa_row("7", source), pa_row("8", source))
    assert [(o.fate, o.id) for o in first.outcomes] == [
        (Fate.SKIPPED, "es-aepd-2020-vodafone"),
        (Fate.REJECTED, None),
    ]
    assert first.outcomes[1].reasons == (
        "same regulator, date, amount and entity as es-aepd-2020-vodafone, which holds row id 7 of this "
        "export, and nothing in it tells the two apart: if they are separate decisions, give it the "
        "tracker id of its row (`references: {privacyaffairs: 7}`), then import again",
    )
    write_record(tmp_path / "out", {**hand, "references": {"privacyaffairs": "7"}})
    again = pa_import(tmp_path, pa_row("7", source), pa_row("8", source))
    assert [(o.fate, o.id) for o in again.outcomes] == [
        (Fate.SKIPPED, "es-aepd-2020-vodafone"),
        (Fate.WRITTEN, "es-aepd-2020-vodafone-espana"),
    ]
    assert validation.load([tmp_path / "out"], TODAY).problems == []
