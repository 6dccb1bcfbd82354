"""Docs as tests: every command has help that opens with an example and is in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import as_entry, record
from finelog import check, cli, formats, query
from finelog.cli import app
from finelog.dataset import bundled_data_dir
from finelog.vocab import GroupBy

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


def _paragraph(opening: str) -> str:
    """The README paragraph that opens with this text."""
    return README.split(opening, 1)[1].lstrip("\n").split("\n\n", 1)[0]


@pytest.mark.parametrize(
    ("opening", "keys"), [("**An authority**", cli.REGULATOR_KEYS), ("**A law**", cli.LAW_KEYS)]
)
def test_the_json_keys_of_regulators_and_laws_are_documented(opening: str, keys: tuple[str, ...]) -> None:
    paragraph = _paragraph(opening)
    assert all(f"`{key}`" in paragraph for key in keys)


def test_the_group_keys_a_summary_makes_up_are_documented() -> None:
    year_only = as_entry(record(decision_date="2025", kind="order", amount=None, currency=None, articles=[]))
    made_up = [
        key for by in (GroupBy.QUARTER, GroupBy.MONTH, GroupBy.ARTICLE, GroupBy.LAW)
        for key in query.group_keys(year_only, by)
    ]  # fmt: skip
    assert made_up == ["2025-Q?", "2025-??", "(none)", "(none)"]
    assert all(f"`{key}`" in README for key in made_up)
    unnamed = as_entry(
        record(
            id="fr-cnil-2025-sporting-goods-retailer", entity={"description": "a retailer", "role": "unknown"}
        )
    )
    assert f"`{query.group_keys(unnamed, GroupBy.ENTITY)[0]}`" in README


def test_the_readme_says_show_json_is_one_object_per_line_as_it_is(small_set: Path) -> None:
    ids = ["fr-cnil-2022-acme", "uk-ico-2022-clearface"]
    result = CliRunner().invoke(app, ["show", *ids, "--json", "--data", str(small_set)])
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ids
    assert "`show --json` is JSON Lines" in _paragraph("## Output formats and the JSON contract")


def test_check_s_finding_codes_are_documented() -> None:
    assert all(f"| `{code}`" in README or f", `{code}`" in README for code in check.Code)
