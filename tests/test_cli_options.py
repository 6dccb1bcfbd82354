"""Options the query commands share: --article with --law, unknown names, --limit 0, help, closed pipes."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import record, write_record
from finelog import cli
from finelog.cli import app


def run(runner: CliRunner, data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def help_text(runner: CliRunner, *command: str) -> str:
    """A command's help with its line breaks and indents folded into single spaces."""
    return " ".join(runner.invoke(app, [*command, "--help"]).stdout.split())


@pytest.fixture
def cookie_set(small_set: Path) -> Path:
    """The small set and three decisions: Art. 82 under the French law, under the GDPR, and a bare Art. 28."""
    write_record(small_set, record(
        id="fr-cnil-2020-cookies", decision_date="2020-12-07",
        articles=["Art. 82 FR-LIL", "Art. 6(1) GDPR"],
    ))  # fmt: skip
    write_record(
        small_set, record(id="fr-cnil-2021-liable", decision_date="2021-03-01", articles=["Art. 82 GDPR"])
    )
    write_record(
        small_set, record(id="fr-cnil-2019-processor", decision_date="2019-06-01", articles=["Art. 28 GDPR"])
    )
    return small_set


def listed(runner: CliRunner, data: Path, *filters: str) -> list[str]:
    """The ids `list` gives for some filters, in order of id."""
    code, out, _ = run(runner, data, "list", "--json", *filters)
    assert code == 0
    return sorted(row["id"] for row in json.loads(out))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--article", "82", "--law", "GDPR"], ["fr-cnil-2021-liable"]),
        (["--article", "82", "--law", "FR-LIL"], ["fr-cnil-2020-cookies", "fr-cnil-2023-acme"]),
        (["--article", "82", "--law", "national"], ["fr-cnil-2020-cookies", "fr-cnil-2023-acme"]),
        (["--article", "82", "--law", "UK-GDPR", "--law", "GDPR"], ["fr-cnil-2021-liable"]),
        (
            ["--article", "82 FR-LIL", "--law", "GDPR"],
            ["fr-cnil-2020-cookies"],
        ),  # its own law, and a GDPR one
        (["--article", "82"], ["fr-cnil-2020-cookies", "fr-cnil-2021-liable", "fr-cnil-2023-acme"]),
        (["--article", "6", "--law", "FR-LIL"], []),
        (["--law", "FR-LIL"], ["fr-cnil-2020-cookies", "fr-cnil-2023-acme"]),
        (["--article", "28(3)"], ["de-hh-2020-acme-brackets", "fr-cnil-2024-bigco"]),
    ],
)
def test_an_article_naming_no_law_is_cited_under_a_law_asked_for(
    runner: CliRunner, cookie_set: Path, filters: list[str], expected: list[str]
) -> None:
    assert listed(runner, cookie_set, *filters) == expected


def test_list_top_and_summary_share_the_article_and_law_filter(runner: CliRunner, cookie_set: Path) -> None:
    filters = ["--article", "82", "--law", "GDPR", "--json"]
    top = json.loads(run(runner, cookie_set, "top", *filters)[1])
    summary = json.loads(run(runner, cookie_set, "summary", "--by", "regulator", *filters)[1])
    groups = json.loads(run(runner, cookie_set, "top", "--group", "regulator", *filters)[1])
    assert [row["id"] for row in top] == listed(runner, cookie_set, *filters[:-1]) == ["fr-cnil-2021-liable"]
    assert [(row["key"], row["count"]) for row in summary] == [("FR-CNIL", 1)]
    assert [(row["key"], row["count"]) for row in groups] == [("FR-CNIL", 1)]


def test_the_help_says_how_article_and_law_combine(runner: CliRunner) -> None:
    text = help_text(runner, "list")
    assert "28(3) matches 28(3)(a) but not 28 alone" in text
    assert "--article 28 --law GDPR is Art. 28 GDPR" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-r", "fr_cnil"],
            "unknown regulator 'fr_cnil'; did you mean FR-CNIL? (`finelog regulators` lists them)",
        ),
        (["-r", "FR CNIL"], "unknown regulator 'FR CNIL'; did you mean FR-CNIL?"),
        (["-r", "Hamburg"], "unknown regulator 'Hamburg'; did you mean DE-HH?"),
        (["-r", "Atlantis"], "unknown regulator 'Atlantis' (`finelog regulators` lists them)"),
        (["-c", "Norwey"], "unknown country 'Norwey'; did you mean NO? (`finelog regulators` lists every"),
        (["-c", "XX"], "unknown country 'XX' (`finelog regulators` lists every authority's country)"),
        (["--law", "GPDR"], "unknown law 'GPDR'; did you mean GDPR? (`finelog laws` lists them)"),
    ],
)
def test_an_unknown_name_suggests_what_it_may_mean_and_where_they_are_listed(
    runner: CliRunner, small_set: Path, args: list[str], message: str
) -> None:
    code, out, err = run(runner, small_set, "list", *args)
    assert (code, out) == (2, "")
    assert err.startswith("finelog: error: Invalid value for ")
    assert message in err
    assert "--help" not in err  # the listing is the place to look
    assert len(err.splitlines()) == 1


def test_regulators_suggests_a_country_too(runner: CliRunner, small_set: Path) -> None:
    code, _, err = run(runner, small_set, "regulators", "--country", "Germny")
    assert code == 2
    assert "unknown country 'Germny'; did you mean DE?" in err


def test_a_known_country_with_no_decision_matches_nothing_and_says_why(
    runner: CliRunner, small_set: Path
) -> None:
    code, out, err = run(runner, small_set, "list", "--json", "--country", "EU")
    assert (code, out) == (0, "[]\n")
    assert err.splitlines() == [
        "finelog: note: no decision from EU (EU institutions) in the data set; its authorities: EU-EDPS",
        "finelog: no decisions match",
    ]
    assert run(runner, small_set, "list", "--country", "XX")[0] == 2


def test_a_known_authority_with_no_decision_says_so_beside_those_that_match(
    runner: CliRunner, small_set: Path
) -> None:
    code, out, err = run(runner, small_set, "list", "--json", "-r", "EDPS", "-r", "UK-ICO")
    assert (code, [row["id"] for row in json.loads(out)]) == (0, ["uk-ico-2022-clearface"])
    assert "note: no decision by EU-EDPS (European Data Protection Supervisor) in the data set" in err


def test_the_country_help_says_what_eu_means(runner: CliRunner) -> None:
    assert "EU is the EU institutions (their authority: the EDPS), not the member states" in help_text(
        runner, "list"
    )


@pytest.mark.parametrize(
    ("command", "note"),
    [
        (["list"], "finelog: 0 of 7 decisions\n"),
        (["top"], "finelog: 0 of 6 decisions\n"),
        (["top", "--group", "regulator"], "finelog: 0 of 5 groups\n"),
        (["summary"], "finelog: 0 of 5 groups\n"),
    ],
)
def test_limit_0_gives_only_the_count_everywhere(
    runner: CliRunner, small_set: Path, command: list[str], note: str
) -> None:
    code, out, err = run(runner, small_set, *command, "--limit", "0", "--json")
    assert (code, out) == (0, "[]\n")
    assert err.startswith(note)  # and no tie note: nothing was shown to tie with
    assert "tie" not in err


def test_the_debug_option_shows_its_environment_variable(runner: CliRunner) -> None:
    assert "[env: FINELOG_DEBUG]" in help_text(runner)


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_the_date_options_say_that_partly_dated_decisions_match_by_overlap(
    runner: CliRunner, option: str
) -> None:
    text = help_text(runner, "list")
    described = text.split(f"{option} DATE", 1)[1].split(" --", 1)[0]
    assert "dated only to a month or year matches when that period overlaps" in described


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--json"],
        ["list", "--format", "jsonl"],
        ["list", "--format", "csv"],
        ["list"],
        ["top", "--format", "markdown"],
        ["summary", "--format", "tsv"],
        ["summary"],
        ["show", "fr-cnil-2022-acme"],
        ["show", "fr-cnil-2022-acme", "--json"],
    ],
)
def test_a_reader_that_went_away_ends_every_format_quietly_with_0(
    small_set: Path, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -1` that has read its line: every write now fails
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(sys, "argv", ["finelog", *command, "--data", str(small_set)])
    with open(write_end, "w", encoding="utf-8") as gone:
        monkeypatch.setattr(sys, "stdout", gone)
        with pytest.raises(SystemExit) as stopped:
            cli.main()
    assert stopped.value.code == 0
    assert not re.search(r"error|Traceback", capsys.readouterr().err)
