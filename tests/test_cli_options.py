"""Options the query commands share: --article with --law, unknown names, --limit 0, help, closed pipes."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finelog import cli
from finelog.cli import app


def run(runner: CliRunner, data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def help_text(runner: CliRunner, *command: str) -> str:
    """A command's help with its line breaks and indents folded into single spaces."""
    return " ".join(runner.invoke(app, [*command, "--help"]).stdout.split())


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
