"""Docs as tests: every command has help that opens with an example and is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from finelog import formats
from finelog.cli import app
from finelog.dataset import bundled_data_dir

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = [str(command.name) for command in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_opening_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "-h"])
    assert result.exit_code == 0
    first_paragraph = result.stdout.split("\n\n")[1].strip()
    assert first_paragraph.startswith(f"Example: finelog {command}")
    assert "Exit codes:" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert re.search(rf"^finelog {command}\b", README, re.MULTILINE) or f"`finelog {command}" in README


@pytest.mark.parametrize("key", [*formats.DECISION_KEYS, *formats.SUMMARY_KEYS])
def test_every_json_key_is_documented_in_the_readme(key: str) -> None:
    assert f"`{key}`" in README


def test_the_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, re.DOTALL)
    assert "finelog top --by amount" in blocks[0]
    assert "pytest" in blocks[1]


def test_the_record_format_example_states_the_bundled_record_s_facts() -> None:
    text = (Path(__file__).parents[1] / "docs" / "record-format.md").read_text(encoding="utf-8")
    example = yaml.safe_load(text.split("```yaml\n", 1)[1].split("```", 1)[0])
    bundled = yaml.safe_load((bundled_data_dir() / f"{example['id']}.yaml").read_text(encoding="utf-8"))
    facts = [key for key in example if key not in ("summary", "sources", "notes")]
    assert {key: example[key] for key in facts} == {key: bundled[key] for key in facts}
    assert example["sources"][0]["url"] == bundled["sources"][0]["url"]
