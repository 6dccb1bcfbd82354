"""`finelog import` and `finelog check` from the command line: streams, exit codes, one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import record, write_record
from finelog import cli
from finelog.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
PA = str(FIXTURES / "privacyaffairs.csv")
CMS = str(FIXTURES / "cms_export.csv")


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_counts_go_to_stderr_with_each_rejection_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = invoke(runner, "import", "privacyaffairs", PA, "--out", str(tmp_path / "d"))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[-1] == "finelog: read 12 rows: 9 written (1 with a warning), 0 skipped, 3 rejected"
    assert lines[0] == (
        f"{PA}:7: row 5 (id 5): rejected: unknown authority 'Data Protection Authority' "
        "(not in the registry: `finelog regulators`)"
    )
    assert lines[3].startswith(f"{PA}:13: row 11 (id 11): wrote ")
    assert len(lines) == 5


def test_one_row_read_is_counted_in_the_singular(runner: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "one.csv"
    lines = (FIXTURES / "cms_snake_bom.csv").read_text(encoding="utf-8-sig").splitlines()
    export.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    code, _, err = invoke(runner, "import", "cms", str(export), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "finelog: read 1 row: 1 written, 0 skipped, 0 rejected\n")


def test_import_exits_0_when_every_row_is_written_or_skipped(runner: CliRunner, tmp_path: Path) -> None:
    snake = str(FIXTURES / "cms_snake_bom.csv")
    assert invoke(runner, "import", "CMS", snake, "--out", str(tmp_path))[::2] == (
        0,
        "finelog: read 2 rows: 2 written, 0 skipped, 0 rejected\n",
    )
    assert invoke(runner, "import", "cms", snake, "-o", str(tmp_path))[::2] == (
        0,
        "finelog: read 2 rows: 0 written, 2 skipped, 0 rejected\n",
    )
    code, out, err = invoke(runner, "validate", "--data", str(tmp_path))
    assert code == 0


def test_report_has_one_json_line_per_row(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    invoke(runner, "import", "privacyaffairs", PA, "--out", str(tmp_path / "d"), "--report", str(report))
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert [r["row"] for r in rows] == list(range(1, 13))
    assert rows[10] == {
        "row": 11,
        "line": 13,
        "tracker_id": "11",
        "fate": "written",
        "id": "es-aepd-2019-xfera-moviles-pa-11",
        "path": str(tmp_path / "d" / "es-aepd-2019-xfera-moviles-pa-11.yaml"),
        "reasons": [],
        "warnings": [
            "may be the same decision as es-aepd-2019-xfera-moviles (same regulator and amount, "
            "decided 2019-10-16 and 2019-10-16); see `finelog check`"
        ],
    }
    assert rows[0]["fate"] == "written" and rows[0]["reasons"] == []


def test_a_dry_run_report_says_would_write_where_a_real_one_says_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, out, err = invoke(
        runner, "import", "cms", CMS, "--out", str(tmp_path), "--report", "-", "--dry-run"
    )
    fates = [json.loads(line)["fate"] for line in out.splitlines()]
    assert (fates.count("would_write"), fates.count("written"), fates.count("rejected")) == (8, 0, 1)
    assert err.splitlines()[-1] == "finelog: read 9 rows: 8 would write, 0 skipped, 1 rejected"
    report = tmp_path / "report.jsonl"
    invoke(runner, "import", "cms", CMS, "--out", str(tmp_path), "--report", str(report))
    assert [json.loads(line)["fate"] for line in report.read_text().splitlines()].count("written") == 8


def test_dry_run_shows_each_rows_fate_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out_dir = tmp_path / "d"
    code, out, err = invoke(runner, "import", "privacyaffairs", PA, "--out", str(out_dir), "--dry-run")
    assert code == 1 and not out_dir.exists()
    lines = out.splitlines()
    assert lines[0] == f"{PA}:2: row 1 (id 1): would write {out_dir}/pl-uodo-2019-polish-mayor.yaml"
    assert lines[10].startswith(
        f"{PA}:13: row 11 (id 11): would write {out_dir}/es-aepd-2019-xfera-moviles-pa-11"
    )
    assert len(lines) == 12
    assert err.splitlines()[-1] == (
        "finelog: read 12 rows: 9 would write (1 with a warning), 0 skipped, 3 rejected"
    )


def test_import_usage_errors_are_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = invoke(runner, "import", "cms", str(tmp_path / "nope.csv"), "--out", str(tmp_path))
    assert code == 2 and len(err.splitlines()) == 1 and "no such file" in err
    code, _, err = invoke(runner, "import", "sometracker", CMS, "--out", str(tmp_path))
    assert code == 2 and len(err.splitlines()) == 1
    afile = tmp_path / "file"
    afile.write_text("x")
    code, _, err = invoke(runner, "import", "cms", CMS, "--out", str(afile))
    assert code == 2 and "is not a directory" in err


def test_a_file_that_is_not_an_export_is_one_line_naming_it_and_exit_1(
    runner: CliRunner, tmp_path: Path
) -> None:
    yaml_file = write_record(tmp_path, record())
    code, _, err = invoke(runner, "import", "cms", str(yaml_file), "--out", str(tmp_path / "d"))
    assert (
        code == 1
        and err.startswith(f"finelog: error: {yaml_file}: no column for the ")
        and len(err.splitlines()) == 1
    )
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    code, _, err = invoke(runner, "import", "cms", str(binary), "--out", str(tmp_path / "d"))
    assert (code, err) == (
        1,
        f"finelog: error: {binary}: not UTF-8 text (line 1); save the export as UTF-8\n",
    )


def test_another_trackers_export_is_refused_in_one_line_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "d"
    code, _, err = invoke(runner, "import", "privacyaffairs", CMS, "--out", str(out))
    assert (code, err) == (
        1,
        f"finelog: error: {CMS}: looks like a CMS Enforcement Tracker export (it has an ETid column): "
        "use `finelog import cms`\n",
    )
    code, _, err = invoke(runner, "import", "cms", PA, "--out", str(out))
    assert code == 1 and err.endswith("(it has a picture column): use `finelog import privacyaffairs`\n")
    assert not out.exists()


class ClosedAfter(io.StringIO):
    """A report stream whose reader goes away after some lines, as `| head -N` does."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def write(self, text: str) -> int:
        if self.getvalue().count("\n") == self.lines:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_closed_report_stops_the_import_after_the_row_saying_how_far_it_got(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = ClosedAfter(2)
    monkeypatch.setattr(cli, "_report_stream", lambda report: contextlib.nullcontext(stream))
    out = tmp_path / "d"
    code, _, err = invoke(runner, "import", "privacyaffairs", PA, "--out", str(out), "--report", "-")
    assert (code, err) == (
        1,
        "finelog: error: report closed (its reader went away): import stopped after 3 of 12 rows; "
        "3 written, 0 skipped, 0 rejected\n",
    )
    reported = {json.loads(line)["id"] + ".yaml" for line in stream.getvalue().splitlines()}
    written = {p.name for p in out.iterdir()}
    assert len(reported) == 2 and len(written) == 3 and reported < written


def test_an_out_directory_that_cannot_be_made_is_one_line_naming_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "d"
    code, _, err = invoke(runner, "import", "cms", CMS, "--out", str(out))
    assert (code, err) == (1, f"finelog: error: cannot create {out}: Not a directory: nothing imported\n")


def test_check_lists_findings_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", "cms", CMS, "--out", str(tmp_path))
    code, out, err = invoke(runner, "check", "--data", str(tmp_path))
    assert code == 1
    assert f"{tmp_path}/de-be-2021-deutsche-wohnen.yaml:8:7: appeal-overwrite: the text says" in out
    assert all(
        ": " in line
        and line.split(": ")[1]
        in {"name-variant", "unknown-amount", "unknown-articles", "appeal-overwrite", "date-after-source"}
        for line in out.splitlines()
    )
    assert err.startswith("finelog: ") and "finding" in err
    code, out, _ = invoke(runner, "check", "--data", str(tmp_path), "--json")
    findings = json.loads(out)
    assert set(findings[0]) == {"path", "line", "column", "code", "message"}


def test_check_exits_0_on_clean_data(runner: CliRunner, small_set: Path) -> None:
    assert invoke(runner, "check", "--data", str(small_set)) == (0, "", "finelog: no findings in 7 files\n")
    assert invoke(runner, "check", "--data", str(small_set), "--format", "json")[:2] == (0, "[]\n")


def test_check_refuses_an_unknown_format(runner: CliRunner, small_set: Path) -> None:
    assert invoke(runner, "check", "--data", str(small_set), "--format", "xml")[0] == 2


def test_a_look_alike_is_written_and_named_on_stderr_with_a_warning(
    runner: CliRunner, tmp_path: Path
) -> None:
    head = "ETid,Authority,Date of Decision,Fine [€],Controller/Processor,Quoted Art.,Type,Source\n"
    row = "French Data Protection Authority (CNIL),{},{},{},Art. 6 GDPR,Unknown,https://www.cnil.fr/x\n"
    export = tmp_path / "export.csv"
    export.write_text(
        head
        + ","
        + row.format("2021-05", "5000", "Acme SA")
        + ","
        + row.format("2021-05-06", "5000", "Acme S.A.")
        + ","
        + row.format("2021-05-06", "1000", "Acme SA")
    )
    out = tmp_path / "d"
    code, stdout, err = invoke(runner, "import", "cms", str(export), "--out", str(out))
    assert (code, stdout) == (0, "")
    written = sorted(p.stem for p in out.iterdir())
    assert len(written) == 3 and written[0] == "fr-cnil-2021-acme"
    [warned, counts] = err.splitlines()
    assert warned.startswith(f"{export}:3: row 2: wrote ") and warned.endswith(
        "; warning: may be the same decision as fr-cnil-2021-acme (same regulator and amount, decided "
        "2021-05 and 2021-05-06); see `finelog check`"
    )
    assert counts == "finelog: read 3 rows: 3 written (1 with a warning), 0 skipped, 0 rejected"


@pytest.mark.parametrize(
    ("signal_number", "said", "code"),
    [(signal.SIGINT, "interrupted", 130), (signal.SIGTERM, "terminated", 143)],
)
def test_a_signal_stops_the_import_after_the_row_in_progress_and_says_how_far_it_got(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signal_number: int,
    said: str,
    code: int,
) -> None:
    from finelog import importer

    real_write = importer.write_new
    written: list[Path] = []

    def write_then_signal(path: Path, text: str) -> None:
        real_write(path, text)
        written.append(path)
        if len(written) == 2:
            os.kill(os.getpid(), signal_number)

    monkeypatch.setattr(importer, "write_new", write_then_signal)
    before = signal.getsignal(signal_number)
    exit_code, _, err = invoke(runner, "import", "cms", CMS, "--out", str(tmp_path))
    assert (exit_code, err) == (
        code,
        f"finelog: {said}: import stopped after 2 of 9 rows; 2 written, 0 skipped, 0 rejected\n",
    )
    assert sorted(tmp_path.iterdir()) == sorted(written)
    assert signal.getsignal(signal_number) is before


def test_check_reports_invalid_files_as_findings_in_json_too(runner: CliRunner, small_set: Path) -> None:
    (small_set / "fr-cnil-2022-broken.yaml").write_text("id: fr-cnil-2022-broken\nregulator: [\n")
    code, out, err = invoke(runner, "check", "--data", str(small_set), "--json")
    findings = json.loads(out)
    assert code == 1 and [f["code"] for f in findings] == ["invalid"]
    assert findings[0]["path"].endswith("fr-cnil-2022-broken.yaml") and findings[0]["message"].startswith(
        "yaml: "
    )
    code, out, err = invoke(runner, "check", "--data", str(small_set))
    assert code == 1 and out.splitlines() == [f"{f['path']}:{f['line']}:{f['column']}: invalid: {f['message']}"
                                              for f in findings]  # fmt: skip
    assert err.splitlines() == [
        "finelog: skipped 1 invalid file: its problems are reported as `invalid` (see `finelog validate`)",
        "finelog: no other findings in 7 checked files",
    ]
