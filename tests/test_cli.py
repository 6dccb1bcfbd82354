from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import record, write_record
from finelog import formats
from finelog.cli import app
from finelog.formats import SUMMARY_KEYS
from finelog.vocab import GroupBy, RankBy


def run(runner: CliRunner, data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, [*args, "--data", str(data)] if args[0] not in ("validate", "laws") else list(args)
    )
    return result.exit_code, result.stdout, result.stderr


def ids_of(stdout: str) -> list[str]:
    return [row["id"] for row in json.loads(stdout)]


def test_list_json_is_data_only_and_the_count_goes_to_stderr(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(runner, small_set, "list", "--json")
    assert code == 0
    assert len(json.loads(out)) == 7
    assert err == "finelog: 7 decisions\n"


def test_list_is_newest_first_by_default_and_sorts_on_request(runner: CliRunner, small_set: Path) -> None:
    assert ids_of(run(runner, small_set, "list", "--json")[1])[0] == "fr-cnil-2024-bigco"
    assert (
        ids_of(run(runner, small_set, "list", "--json", "--sort", "amount", "--asc")[1])[0]
        == "fr-cnil-2023-acme"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--regulator", "cnil"], ["fr-cnil-2024-bigco", "fr-cnil-2023-acme", "fr-cnil-2022-acme"]),
        (["--regulator", "Information Commissioner (ICO)"], ["uk-ico-2022-clearface"]),
        (["--country", "NO"], ["no-datatilsynet-2021-datingapp"]),
        (["--country", "no"], ["no-datatilsynet-2021-datingapp"]),
        (["--country", "Norway"], ["no-datatilsynet-2021-datingapp"]),
        (
            ["--min", "5M", "--max", "1e7"],
            ["uk-ico-2022-clearface", "no-datatilsynet-2021-datingapp"],
        ),
        (["--article", "28"], ["fr-cnil-2024-bigco", "de-hh-2020-acme-brackets"]),
        (["--law", "national"], ["fr-cnil-2023-acme"]),
        (
            ["--sector", "Media, Telecoms and Broadcasting"],
            ["fr-cnil-2024-bigco", "no-datatilsynet-2021-datingapp"],
        ),
        (["--type", "security"], ["it-garante-2021-unnamed"]),
        (["--role", "processor"], ["de-hh-2020-acme-brackets"]),
        (["--status", "reduced"], ["fr-cnil-2024-bigco"]),
        (["--kind", "penalty_payment"], ["fr-cnil-2023-acme"]),
        (["--group", "bigco"], ["fr-cnil-2024-bigco"]),
        (["--since", "2023", "--until", "2023-12"], ["fr-cnil-2023-acme"]),
        (
            ["--year", "2020", "--year", "2021"],
            [
                "no-datatilsynet-2021-datingapp",
                "it-garante-2021-unnamed",
                "de-hh-2020-acme-brackets",
            ],
        ),
        (["--search", "clearface", "--limit", "1"], ["uk-ico-2022-clearface"]),
    ],
)
def test_list_filters(runner: CliRunner, small_set: Path, args: list[str], expected: list[str]) -> None:
    code, out, _ = run(runner, small_set, "list", "--json", *args)
    assert (code, ids_of(out)) == (0, expected)


def test_an_empty_result_is_a_success_with_a_note(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(runner, small_set, "list", "--json", "--year", "1999")
    assert (code, out, err) == (0, "[]\n", "finelog: no decisions match\n")
    assert run(runner, small_set, "list", "--year", "1999") == (0, "", "finelog: no decisions match\n")


@pytest.mark.parametrize(
    ("args", "note"),
    [
        ([], "finelog: 7 decisions\n"),
        (["--regulator", "NO-DATATILSYNET"], "finelog: 1 decision\n"),
        (["-n", "1"], "finelog: 1 of 7 decisions\n"),
        (["-n", "7"], "finelog: 7 decisions\n"),
    ],
)
def test_the_count_note_says_how_many_matched_when_a_limit_cut_them(
    runner: CliRunner, small_set: Path, args: list[str], note: str
) -> None:
    assert run(runner, small_set, "list", "--json", *args)[2] == note


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--since", "2023-02-30"], "no such date: '2023-02-30'"),
        (["list", "--format", "xml"], "'xml' is not one of"),
        (["list", "--regulator", "Atlantis"], "unknown regulator 'Atlantis'"),
        (["list", "--regulator", "CNPD"], "regulator 'CNPD' is ambiguous: LU-CNPD, PT-CNPD"),
        (["list", "--min", "lots"], "not an amount: 'lots'"),
        (["list", "--article", "GDPR"], "not an article reference"),
        (["list", "--sector", "mining"], "unknown value 'mining'"),
        (["list", "--no-such-option"], "No such option: --no-such-option"),
        (["top", "--by", "size"], "'size' is not one of"),
        (
            ["summary", "--by", "size"],
            "Invalid value for '--by': 'size' is not one of 'regulator', 'country', 'year', 'quarter', "
            "'month', 'sector', 'type', 'article', 'law', 'status', 'role', 'kind', 'entity', 'group'. ",
        ),
        (["summary", "--by", "year,size"], "Invalid value for '--by': 'size' is not one of 'regulator'"),
        (["summary", "--by", "year", "--by", "Year"], "Invalid value for '--by': 'year' is given twice"),
        (["summary", "--by", "regulator,year,regulator"], "'regulator' is given twice"),
        (["list", "--since", "2025", "--until", "2024"], "'--since' and '--until': 2025 is after 2024"),
        (["top", "--since", "2024-06-02", "--until", "2024-05"], "2024-06-02 is after 2024-05"),
        (["list", "--year", "2020", "--since", "2024"], "'--year': 2020 is outside --since 2024, so nothing"),
        (
            ["top", "--year", "2019", "--year", "2026", "--since", "2020", "--until", "2025-06"],
            "2019, 2026 is outside --since 2020 and --until 2025-06",
        ),
        (["top", "--group", "regulator", "--by", "date"], "use --by amount or standing, not date"),
        (["top", "-g", "year", "--by", "affected"], "'--by' and '--group': --group ranks groups by"),
        (["summary", "--min", "10M", "--max", "1M"], "'--min' and '--max': 10M is more than 1M"),
        (["top", "--group", "year", "--min", "1e7", "--max", "9999999"], "1e7 is more than 9999999"),
        (
            ["list", "--min", "2,5M"],
            "'2,5M': a comma only separates thousands (1,000,000); for decimals write 2.5M",
        ),
        (["list", "--max", "1.500"], "'1.500' is ambiguous: write 1500 or 1.5"),
        (["list", "--min", "1.500.000"], "a point marks decimals; separate thousands with commas"),
        (["list", "--year", "2023", "--year", "23"], "'--year': 23: give the year in full"),
        (["list", "--json", "--format", "csv"], "--json and --format csv ask for different formats"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    runner: CliRunner, small_set: Path, args: list[str], message: str
) -> None:
    code, out, err = run(runner, small_set, *args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("finelog: error: ")
    assert message in err


def test_top_ranks_by_euros(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "top", "--by", "amount", "--limit", "2", "--json")
    assert (code, ids_of(out)) == (0, ["fr-cnil-2024-bigco", "uk-ico-2022-clearface"])


def test_top_by_group_ranks_group_totals(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "top", "--group", "country", "--json")
    rows = json.loads(out)
    assert [r["key"] for r in rows][:2] == ["FR", "GB"]
    assert rows[0]["total_eur"] == 51_100_000


def test_top_by_group_takes_the_corporate_group_filter(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(
        runner, small_set, "top", "--group", "regulator", "--corporate-group", "clearface", "--json"
    )
    assert [r["key"] for r in json.loads(out)] == ["UK-ICO"]


def test_summary_json_contract(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "summary", "--by", "year", "--json")
    rows = json.loads(out)
    assert code == 0
    assert list(rows[0]) == [
        "key",
        "label",
        "count",
        "amounts_known",
        "total_eur",
        "median_eur",
        "mean_eur",
        "max_eur",
        "share",
        "amounts",
    ]
    assert [r["key"] for r in rows] == ["2020", "2021", "2022", "2023", "2024"]
    assert {r["amounts"] for r in rows} == {"imposed"}


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2021-12", "--until", "2021-12-01"],
        ["--min", "6.5M", "--max", "6500000"],
        ["--year", "2021", "--year", "2019", "--since", "2021-12-31"],
    ],
)
def test_a_range_that_ends_where_it_starts_is_no_error(
    runner: CliRunner, small_set: Path, args: list[str]
) -> None:
    code, out, _ = run(runner, small_set, "list", *args, "--json")
    assert (code, ids_of(out)) == (0, ["no-datatilsynet-2021-datingapp"])


TWO_KEY_FIELDS = ["regulator", "regulator_label", "year", "year_label", *SUMMARY_KEYS[2:]]


@pytest.mark.parametrize("by", [["--by", "regulator", "--by", "year"], ["--by", "regulator,year"]])
def test_summary_by_two_keys_gives_each_key_its_field(
    runner: CliRunner, small_set: Path, by: list[str]
) -> None:
    code, out, _ = run(runner, small_set, "summary", *by, "--json")
    rows = json.loads(out)
    assert code == 0
    assert all(list(row) == TWO_KEY_FIELDS for row in rows)
    assert [(r["regulator"], r["year"]) for r in rows][:4] == [
        ("FR-CNIL", "2022"), ("FR-CNIL", "2023"), ("FR-CNIL", "2024"), ("UK-ICO", "2022")
    ]  # fmt: skip
    assert rows[0]["regulator_label"] == "French Data Protection Authority"


def test_summary_limit_counts_rows_of_pairs(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(
        runner, small_set, "summary", "--by", "year", "--by", "type", "--limit", "3", "--json"
    )
    assert [(r["year"], r["type"]) for r in json.loads(out)] == [
        ("2020", "processing_agreement"), ("2021", "legal_basis"), ("2021", "security")
    ]  # fmt: skip
    assert err == "finelog: 3 of 7 groups\nfinelog: not in the totals: 1 decision with no amount in euros\n"


@pytest.mark.parametrize(
    ("fmt", "header"),
    [
        ("csv", ",".join(TWO_KEY_FIELDS)),
        ("tsv", "\t".join(TWO_KEY_FIELDS)),
        ("markdown", "| regulator | year | count | total EUR | median EUR | mean EUR | max EUR | share |"),
    ],
)
def test_summary_by_two_keys_heads_a_column_per_key(
    runner: CliRunner, small_set: Path, fmt: str, header: str
) -> None:
    for since in ("2020", "2030"):  # also with nothing to list
        code, out, _ = run(
            runner, small_set, "summary", "--by", "regulator,year", "--since", since, "-f", fmt
        )
        assert (code, out.splitlines()[0]) == (0, header)


def test_a_narrow_two_key_table_keeps_both_keys(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out = run(runner, small_set, "summary", "--by", "status", "--by", "regulator")[1]
    assert out.splitlines()[0].split()[:4] == ["status", "regulator", "count", "total"]
    assert out.splitlines()[2].split()[:3] == ["reduced", "FR-CNIL", "1"]


def test_summary_standing_changes_the_totals(runner: CliRunner, small_set: Path) -> None:
    imposed = json.loads(run(runner, small_set, "summary", "--by", "regulator", "--json")[1])
    standing = json.loads(run(runner, small_set, "summary", "--by", "regulator", "--standing", "--json")[1])
    assert {r["key"]: r["total_eur"] for r in imposed}["FR-CNIL"] == 51_100_000
    assert {r["key"]: r["total_eur"] for r in standing}["FR-CNIL"] == 21_100_000
    assert {r["amounts"] for r in standing} == {"standing"}


@pytest.mark.parametrize("args", [["summary", "--standing"], ["top", "--group", "year", "--by", "standing"]])
def test_a_standing_summary_says_so_in_its_headers(
    runner: CliRunner, small_set: Path, args: list[str]
) -> None:
    csv_header = run(runner, small_set, *args, "--format", "csv")[1].splitlines()[0]
    markdown_header = run(runner, small_set, *args, "--format", "markdown")[1].splitlines()[0]
    assert csv_header.endswith(",amounts") and "standing total EUR" in markdown_header


def test_tables_escape_markup_in_data(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "list", "--role", "processor")
    assert code == 0
    assert "Acme [/] Ltd [bold]x[/bold]" in out


def test_table_shows_amounts_with_separators_and_currency(runner: CliRunner, small_set: Path) -> None:
    out = run(runner, small_set, "top")[1]
    assert "GBP 7,552,800" in out
    assert re.search(r"EUR 50,000,000\s+50,000,000\s+20,000,000", out)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "jsonl"])
def test_every_format_works_on_every_listing_command(runner: CliRunner, small_set: Path, fmt: str) -> None:
    for command in (["list"], ["top"], ["summary", "--by", "sector"], ["regulators"]):
        code, out, _ = run(runner, small_set, *command, "--format", fmt)
        assert code == 0
        assert out.strip()


def test_show_prints_one_decision_in_full(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "show", "fr-cnil-2022-acme")
    assert code == 0
    assert "Enforced by" in out and "fr-cnil-2023-acme" in out
    code, out, _ = run(runner, small_set, "show", "uk-ico-2022-clearface")
    assert "GBP 7,552,800" in out and "ECB reference rate" in out


def test_show_json_is_one_object(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "show", "fr-cnil-2024-bigco", "--json")
    row = json.loads(out)
    assert (row["status"], row["standing_eur"], row["events"][1]["kind"]) == (
        "reduced",
        20000000,
        "reduced",
    )


def test_show_and_json_carry_both_tracker_ids(runner: CliRunner, tmp_path: Path) -> None:
    write_record(tmp_path, record(references={"etid": "ETid-23", "privacyaffairs": "202"}))
    for _ in range(2):  # parsed, then from the cache
        row = json.loads(run(runner, tmp_path, "list", "--json")[1])[0]
        assert (row["etid"], row["privacyaffairs"]) == ("ETid-23", "202")
    code, out, _ = run(runner, tmp_path, "show", "fr-cnil-2022-acme")
    assert (
        code == 0 and re.search(r"Tracker id\s+ETid-23", out) and re.search(r"PrivacyAffairs id\s+202", out)
    )


def test_show_takes_several_ids_as_paths_or_file_names_in_any_case(
    runner: CliRunner, small_set: Path
) -> None:
    named = ("FR-CNIL-2022-ACME", str(small_set / "uk-ico-2022-clearface.yaml"), "fr-cnil-2024-bigco.YML")
    code, out, _ = run(runner, small_set, "show", *named, "--json")
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [
        "fr-cnil-2022-acme",
        "uk-ico-2022-clearface",
        "fr-cnil-2024-bigco",
    ]
    code, out, _ = run(runner, small_set, "show", "fr-cnil-2022-acme", "uk-ico-2022-clearface")
    assert out.count("╭") == 2 and "\n\n╭" in out
    code, out, _ = run(runner, small_set, "show", *named[:2], "--format", "markdown")
    assert out.count("\n## ") == 1 and out.startswith("## ")


def test_show_names_every_unknown_id_and_shows_nothing(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(
        runner, small_set, "show", "fr-cnil-2022-acm", "fr-cnil-2022-acme", "nothing-like-it"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "finelog: error: no decision with id 'fr-cnil-2022-acm'; "
        "did you mean fr-cnil-2022-acme, fr-cnil-2023-acme, fr-cnil-2024-bigco?",
        "finelog: error: no decision with id 'nothing-like-it'; `finelog list` shows the ids",
    ]


def test_show_unknown_id_exits_1_and_suggests(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(runner, small_set, "show", "fr-cnil-2022-acm")
    assert (code, out) == (1, "")
    assert "did you mean fr-cnil-2022-acme" in err


def test_regulators_counts_and_totals(runner: CliRunner, small_set: Path) -> None:
    rows = {r["code"]: r for r in json.loads(run(runner, small_set, "regulators", "--json")[1])}
    assert (rows["FR-CNIL"]["count"], rows["FR-CNIL"]["total_eur"]) == (3, 51_100_000)
    assert rows["AT-DSB"]["count"] == 0
    assert rows["NO-DATATILSYNET"]["country"] == "NO"


def test_query_commands_stop_on_invalid_data_unless_skipping(runner: CliRunner, small_set: Path) -> None:
    (small_set / "fr-cnil-2022-broken.yaml").write_text("id: fr-cnil-2022-broken\nregulator: [\n")
    code, out, err = run(runner, small_set, "list", "--json")
    assert (code, out) == (1, "")
    assert "fr-cnil-2022-broken.yaml:" in err and "--skip-invalid" in err
    code, out, err = run(runner, small_set, "list", "--json", "--skip-invalid")
    assert code == 0
    assert len(json.loads(out)) == 7
    assert "skipped 1 invalid file\n" in err


def test_validate_reports_every_problem_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    write_record(tmp_path, record())
    write_record(
        tmp_path,
        record(id="fr-cnil-2022-bad", regulator="Atlantis", entity={"name": "B", "role": "boss"}),
    )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(
        re.match(r".+fr-cnil-2022-bad\.yaml:\d+:\d+: (regulator|entity\.role): ", line) for line in lines
    )
    assert result.stderr == "finelog: 2 problems in 1 of 2 files\n"


def test_validate_json_for_ci_annotations(runner: CliRunner, tmp_path: Path) -> None:
    write_record(tmp_path, record(id="fr-cnil-2022-bad", regulator="Atlantis"))
    result = runner.invoke(app, ["validate", "--format", "json", str(tmp_path)])
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert list(problems[0]) == ["path", "line", "column", "field", "message"]
    assert problems[0]["field"] == "regulator"


def test_validate_a_valid_set_exits_0(runner: CliRunner, small_set: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_set)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "finelog: 7 files valid\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_list_on_a_pipe_names_what_is_wrong(runner: CliRunner, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    result = runner.invoke(app, ["list", "--data", str(pipe)])
    assert result.exit_code == 1
    assert "pipe.yaml:1:1: file: not a regular file or folder\n" in result.stderr


def test_validate_with_data_checks_the_paths_against_that_data_set(
    runner: CliRunner, small_set: Path
) -> None:
    copy = small_set.parent / "copy" / "fr-cnil-2022-acme.yaml"
    copy.parent.mkdir()
    copy.write_bytes((small_set / "fr-cnil-2022-acme.yaml").read_bytes())
    assert runner.invoke(app, ["validate", str(copy)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--data", str(small_set), str(copy)])
    assert result.exit_code == 1
    assert "duplicate id: 'fr-cnil-2022-acme' is also in " in result.stdout


def test_validate_the_same_file_twice_reads_it_once(runner: CliRunner, small_set: Path) -> None:
    path = str(small_set / "fr-cnil-2022-acme.yaml")
    result = runner.invoke(app, ["validate", path, path])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "finelog: 1 file valid\n")


def test_validate_a_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["validate", str(missing)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"finelog: error: Invalid value for 'PATH': no such file or directory: {missing} "
        "(see 'finelog validate --help')\n"
    )


DATA_COMMANDS = [
    ["list"],
    ["top"],
    ["summary"],
    ["show", "fr-cnil-2022-acme"],
    ["regulators"],
    ["check"],
    ["validate"],
]


@pytest.mark.parametrize("command", DATA_COMMANDS)
def test_a_data_path_that_is_not_there_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "imported"
    result = runner.invoke(app, [*command, "--data", str(missing)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"finelog: error: Invalid value for '--data': no such file or directory: {missing} "
        f"(see 'finelog {command[0]} --help')\n"
    )


@pytest.mark.parametrize("command", DATA_COMMANDS)
def test_a_data_path_without_records_says_so_as_a_usage_error(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a record\n")
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, [*command, "--data", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"finelog: error: Invalid value for '--data': no records in {tmp_path}: no .yaml or .yml files "
        f"there (see 'finelog {command[0]} --help')\n"
    )


def test_validate_names_the_folder_without_records(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"'PATH': no records in {tmp_path}: no .yaml or .yml files there" in result.stderr


def test_the_data_directory_comes_from_the_environment(runner: CliRunner, small_set: Path) -> None:
    result = runner.invoke(app, ["list", "--json"], env={"FINELOG_DATA": str(small_set)})
    assert len(json.loads(result.stdout)) == 7


def test_version_comes_from_package_metadata(runner: CliRunner) -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"finelog {version('finelog')}\n")


def test_internal_errors_are_one_line_unless_debugging(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("finelog.query.select", explode)
    code, _, err = run(runner, small_set, "list")
    assert code == 1
    assert err == (
        "finelog: internal error: RuntimeError: boom "
        "(for the traceback, run `finelog --debug list ...` or set FINELOG_DEBUG=1)\n"
    )
    monkeypatch.setenv("FINELOG_DEBUG", "0")  # --debug sets it: put back as it was after the test
    result = runner.invoke(app, ["--debug", "list", "--data", str(small_set)])  # just as the hint says
    assert isinstance(result.exception, RuntimeError)
    monkeypatch.setenv("FINELOG_DEBUG", "1")
    result = runner.invoke(app, ["list", "--data", str(small_set)])
    assert isinstance(result.exception, RuntimeError)


def test_no_command_shows_the_commands_with_their_short_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert not result.stderr.startswith("finelog: error")
    assert re.search(r"\n\s+top\s+Rank the largest decisions", result.stderr)


def test_show_an_order_without_a_deadline(runner: CliRunner, tmp_path: Path) -> None:
    write_record(tmp_path, record(orders=[{"description": "Delete the data"}]))
    code, out, _ = run(runner, tmp_path, "show", "fr-cnil-2022-acme")
    assert code == 0
    assert "Delete the data" in out and "None" not in out


def test_the_cache_is_written_used_bypassed_and_cleared(
    runner: CliRunner, small_set: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = runner.invoke(app, ["--no-cache", "list", "--json", "--data", str(small_set)])
    assert first.exit_code == 0 and not list(private_cache.iterdir())
    monkeypatch.setenv("FINELOG_NO_CACHE", "1")
    assert runner.invoke(app, ["list", "--json", "--data", str(small_set)]).stdout == first.stdout
    assert not list(private_cache.iterdir())
    monkeypatch.delenv("FINELOG_NO_CACHE")
    for _ in range(2):
        assert runner.invoke(app, ["list", "--json", "--data", str(small_set)]).stdout == first.stdout
    assert len(list(private_cache.glob("*.cache"))) == 1
    cleared = runner.invoke(app, ["clear-cache"])
    assert cleared.exit_code == 0 and re.search(r"removed 1 cache file\b", cleared.stderr)
    assert not list(private_cache.iterdir())


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["top", "--by", "amount"], "top"),
        (["--no-cache", "--debug", "list", "--json"], "list"),
        (["--help"], None),
        (["-h", "top"], None),
        ([], None),
        (["--data", "x", "top"], None),
    ],
)
def test_the_command_a_command_line_runs(argv: list[str], expected: str | None) -> None:
    from finelog.cli import invoked_command

    assert invoked_command(argv) == expected


def test_main_builds_only_the_named_command_and_answers_as_the_full_cli(
    small_set: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer.main

    from finelog import cli

    everything = list(cli.app.registered_commands)
    seen: list[list[str | None]] = []
    real = typer.main.get_group

    def spying(typer_app: typer.Typer) -> typer.core.TyperGroup:
        seen.append([command.name for command in typer_app.registered_commands])
        return real(typer_app)

    monkeypatch.setattr(typer.main, "get_group", spying)
    monkeypatch.setattr("sys.argv", ["finelog", "--no-cache", "top", "--json", "--data", str(small_set)])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 0
    assert seen == [["top"]]
    assert cli.app.registered_commands == everything
    full = CliRunner().invoke(app, ["--no-cache", "top", "--json", "--data", str(small_set)])
    assert json.loads(capsys.readouterr().out) == json.loads(full.stdout)


@pytest.mark.parametrize("width", ["40", "200"])
@pytest.mark.parametrize("by", list(RankBy))
def test_top_shows_the_value_it_ranks_by(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch, by: RankBy, width: str
) -> None:
    shown = {
        "amount": "amount_eur",
        "standing": "standing_eur",
        "affected": "affected",
        "date": "decision_date",
    }
    rows = json.loads(run(runner, small_set, "top", "--by", by, "--json")[1])
    monkeypatch.setenv("COLUMNS", width)
    out = run(runner, small_set, "top", "--by", by)[1]
    for row in rows:
        value = row[shown[by]]
        text = value if isinstance(value, str) else formats.thousands(value)
        assert re.search(rf"(?<![\d,]){re.escape(text)}(?![\d,])", out)


def test_a_table_too_narrow_for_every_column_names_those_it_hides(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(runner, small_set, "list")[2] == "finelog: 7 decisions\n"
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(runner, small_set, "list")
    assert code == 0
    assert err.splitlines()[0] == (
        "finelog: hidden at this width: date, regulator, amount "
        "(widen the terminal, or use --format csv/json)"
    )
    assert "reduced" in out and "20,000,000" in out


def test_show_as_markdown_is_the_whole_record(runner: CliRunner, small_set: Path) -> None:
    code, out, _ = run(runner, small_set, "show", "fr-cnil-2024-bigco", "-f", "markdown")
    assert code == 0
    assert out.startswith("## BigCo Ireland Limited\n\n`fr-cnil-2024-bigco`\n\n| field | value |\n")
    assert "| Status | reduced |\n| Stands at | EUR 20,000,000 |\n" in out
    assert "\nA test decision written for the test suite.\n" in out
    assert (
        "### Events\n\n- 2024-05-01: appeal lodged (Conseil d'État)\n"
        "- 2025-02-01: reduced to EUR 20,000,000 (Conseil d'État)\n"
    ) in out
    assert out.endswith("### Sources\n\n- https://www.cnil.fr/en/example (authority)\n")
    enforced = run(runner, small_set, "show", "fr-cnil-2022-acme", "-f", "markdown")[1]
    assert "| Enforced by | fr-cnil-2023-acme |\n" in enforced


def test_shell_completion_of_by_goes_on_after_a_comma() -> None:
    from finelog.cli import _complete_group_by

    assert _complete_group_by("ye") == ["year"]
    assert _complete_group_by("regulator,ye") == ["regulator,year"]
    assert len(_complete_group_by("")) == len(GroupBy)


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (["top", "--kind", "fine"], "2 of 5 decisions"),
        (["summary", "--by", "year", "--kind", "fine"], "2 of 4 groups"),
        (["top", "--group", "year", "--kind", "fine"], "2 of 4 groups"),
    ],
)
def test_top_and_summary_say_how_many_a_limit_left_out(
    runner: CliRunner, small_set: Path, args: list[str], note: str
) -> None:
    assert run(runner, small_set, *args, "-n", "2", "--json")[2] == f"finelog: {note}\n"


def test_a_limit_of_zero_says_how_many_matched(runner: CliRunner, small_set: Path) -> None:
    assert run(runner, small_set, "list", "-n", "0", "--json")[1:] == ("[]\n", "finelog: 0 of 7 decisions\n")


def test_a_full_disk_is_named_as_such_not_as_an_internal_error(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(formats, "write_rows", full)
    code, _, err = run(runner, small_set, "list", "--json")
    assert (code, err) == (1, f"finelog: cannot write the output: {os.strerror(errno.ENOSPC)}\n")


def test_top_counts_and_names_the_decisions_it_cannot_rank(runner: CliRunner, small_set: Path) -> None:
    code, out, err = run(runner, small_set, "top", "--by", "affected", "-n", "5", "--json")
    assert code == 0 and ids_of(out) == ["uk-ico-2022-clearface"]
    assert err == "finelog: 1 decision\nfinelog: not ranked: 6 decisions with no number of people affected\n"


def tied_set(directory: Path, fines: list[tuple[str, str]]) -> Path:
    """Fines (regulator, amount in EUR) on distinct entities, written as a data set."""
    for n, (regulator, amount) in enumerate(fines):
        entity = {"name": f"Entity {n}", "role": "controller"}
        write_record(directory, record(id=f"{regulator.lower()}-2022-e{n}", regulator=regulator,
                                       amount=amount, entity=entity))  # fmt: skip
    return directory


TIED = [("FR-CNIL", "5000000"), ("FR-CNIL", "3000000"), ("FR-CNIL", "3000000"), ("IE-DPC", "3000000"),
        ("IE-DPC", "2000000")]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (
            ["top", "-n", "2"],
            "finelog: 2 of 5 decisions\nfinelog: 2 more decisions tie with #2; --limit 4 shows them\n",
        ),
        (
            ["top", "-n", "3"],
            "finelog: 3 of 5 decisions\nfinelog: 1 more decision ties with #3; --limit 4 shows them\n",
        ),
        (["top", "-n", "4"], "finelog: 4 of 5 decisions\n"),
        (["top", "-n", "1"], "finelog: 1 of 5 decisions\n"),
    ],
)
def test_top_says_when_its_limit_cuts_through_a_tie(
    runner: CliRunner, tmp_path: Path, args: list[str], note: str
) -> None:
    code, out, err = run(runner, tied_set(tmp_path, TIED), *args, "--json")
    assert (code, err) == (0, note)


def test_top_group_says_when_its_limit_cuts_through_a_tie(runner: CliRunner, tmp_path: Path) -> None:
    fines = [("FR-CNIL", "4000000"), ("IE-DPC", "4000000"), ("NL-AP", "1000000")]
    code, out, err = run(
        runner, tied_set(tmp_path, fines), "top", "--group", "regulator", "-n", "1", "--json"
    )
    assert code == 0 and [row["key"] for row in json.loads(out)] == ["FR-CNIL"]
    assert err == "finelog: 1 of 3 groups\nfinelog: 1 more group ties with #1; --limit 2 shows them\n"


@pytest.mark.parametrize(("key", "header"), [("affected", "affected"), ("standing", "standing")])
def test_list_keeps_the_value_it_is_sorted_by_in_view(
    runner: CliRunner, small_set: Path, monkeypatch: pytest.MonkeyPatch, key: str, header: str
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(runner, small_set, "list", "--sort", key)
    assert code == 0 and header in out.splitlines()[0].split()


@pytest.mark.parametrize("args", [["top", "--by", "standing"], ["list", "--sort", "standing"]])
def test_ranking_by_what_stands_shows_it_even_where_no_appeal_changed_it(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    write_record(tmp_path, record())
    write_record(tmp_path, record(id="fr-cnil-2023-bigco", amount="3000000"))
    header = run(runner, tmp_path, *args)[1].splitlines()[0]
    assert "standing EUR" in header
    assert "standing EUR" not in run(runner, tmp_path, "top", "--by", "amount")[1].splitlines()[0]


def test_top_as_markdown_has_the_rank_column_of_the_table(runner: CliRunner, small_set: Path) -> None:
    for args in (["top"], ["top", "--group", "regulator"]):
        lines = run(runner, small_set, *args, "--format", "markdown")[1].splitlines()
        assert lines[0].startswith("| # | ") and lines[2].startswith("| 1 | ")
    assert run(runner, small_set, "list", "--format", "markdown")[1].startswith("| date |")


def unnamed_set(directory: Path) -> Path:
    """Three unrelated parties no authority named, beside a named one with two fines."""
    for regulator, amount in [("IT-GARANTE", "3000000"), ("ES-AEPD", "2000000"), ("FR-CNIL", "1000000")]:
        write_record(directory, record(id=f"{regulator.lower()}-2023-not-disclosed", regulator=regulator,
                                       amount=amount, entity={"description": "not disclosed",
                                                              "role": "unknown"}))  # fmt: skip
    write_record(directory, record())
    write_record(directory, record(id="fr-cnil-2023-acme", decision_date="2023-01-05"))
    return directory


@pytest.mark.parametrize(
    "args", [["top", "--group", "entity"], ["summary", "--by", "entity"], ["summary", "--by", "group"]]
)
def test_unnamed_parties_are_each_a_group_of_their_own(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    code, out, _ = run(runner, unnamed_set(tmp_path), *args, "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert code == 0 and (rows["Acme SAS"]["label"], rows["Acme SAS"]["count"]) == ("Acme SAS", 2)
    unnamed = {key: row for key, row in rows.items() if key != "Acme SAS"}
    assert sorted(unnamed) == [
        f"[unnamed] {r}-2023-not-disclosed" for r in ("es-aepd", "fr-cnil", "it-garante")
    ]
    assert all((row["count"], row["label"]) == (1, "[unnamed: not disclosed]") for row in unnamed.values())


def test_a_group_without_a_known_amount_has_no_total_and_the_decisions_left_out_are_counted(
    runner: CliRunner, tmp_path: Path
) -> None:
    write_record(tmp_path, record(amount=None, currency=None))
    write_record(tmp_path, record(id="fr-cnil-2023-bigco", entity={"name": "BigCo", "role": "controller"}))
    code, out, err = run(runner, tmp_path, "summary", "--by", "entity", "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert code == 0 and [*rows] == ["BigCo", "Acme SAS"]  # a known total before an unknown one
    assert {k: rows["Acme SAS"][k] for k in ("count", "amounts_known", "total_eur", "share")} == {
        "count": 1, "amounts_known": 0, "total_eur": None, "share": None
    }  # fmt: skip
    assert err == "finelog: 2 groups\nfinelog: not in the totals: 1 decision with no amount in euros\n"
    code, out, err = run(runner, tmp_path, "summary", "--by", "entity")
    acme = next(line for line in out.splitlines() if line.startswith("Acme SAS"))
    assert acme.split() == ["Acme", "SAS", "1"]  # no total, no share: neither is 0
    _, out, err = run(runner, tmp_path, "top", "--group", "entity", "--json")
    assert [row["key"] for row in json.loads(out)] == ["BigCo", "Acme SAS"]
    assert err.endswith("finelog: not in the totals: 1 decision with no amount in euros\n")
    _, out, _ = run(runner, tmp_path, "regulators", "--json")
    assert {row["code"]: row["total_eur"] for row in json.loads(out)}["FR-CNIL"] == 1_000_000


def test_show_says_where_an_imported_record_came_from(runner: CliRunner, tmp_path: Path) -> None:
    provenance = "imported from a CMS Enforcement Tracker export (ETid-23); check it"
    write_record(tmp_path, record(provenance=provenance))
    write_record(tmp_path, record(id="fr-cnil-2023-acme", decision_date="2023-01-05"))
    for _ in range(2):  # parsed, then from the cache
        rows = json.loads(run(runner, tmp_path, "list", "--json")[1])
        assert [row["provenance"] for row in rows] == [None, provenance]
        assert [*rows[0]][-1] == "provenance"
    code, out, _ = run(runner, tmp_path, "show", "fr-cnil-2022-acme")
    assert code == 0 and re.search(r"Provenance\s+imported from a CMS Enforcement Tracker export", out)
    _, out, _ = run(runner, tmp_path, "show", "fr-cnil-2022-acme", "--format", "markdown")
    assert f"| Provenance | {provenance} |" in out
    _, out, _ = run(runner, tmp_path, "show", "fr-cnil-2023-acme")
    assert "Provenance" not in out


@pytest.mark.parametrize("command", ["validate", "check"])
def test_report_commands_list_their_formats_in_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert "--format <text|json>" in result.stdout
