"""Shared fixtures: records built in the test, small data sets on disk, a CLI runner."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from finelog.entry import Entry, entry_of
from finelog.models import Decision

BASE_RECORD: dict[str, Any] = {
    "id": "fr-cnil-2022-acme",
    "regulator": "FR-CNIL",
    "decision_date": "2022-10-17",
    "entity": {"name": "Acme SAS", "role": "controller"},
    "sector": "industry_commerce",
    "kind": "fine",
    "amount": "1000000",
    "currency": "EUR",
    "articles": ["Art. 6(1) GDPR"],
    "violation_types": ["legal_basis"],
    "summary": "A test decision written for the test suite.",
    "sources": [{"url": "https://www.cnil.fr/en/example", "kind": "authority"}],
}


def as_entry(data: dict[str, Any]) -> Entry:
    """A record as the entry queries work on."""
    return entry_of(Decision.model_validate(data))


def record(**changes: Any) -> dict[str, Any]:
    """A valid record as plain data, with some keys changed (None removes a key)."""
    data = copy.deepcopy(BASE_RECORD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_record(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    """Write one record as YAML, named after its id unless told otherwise."""
    path = directory / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


SMALL_SET: list[dict[str, Any]] = [
    record(),
    record(
        id="fr-cnil-2024-bigco",
        decision_date="2024-03-05",
        entity={"name": "BigCo Ireland Limited", "role": "controller", "group": "BigCo"},
        amount="50000000",
        articles=["Art. 5(1)(a) GDPR", "Art. 28(3)(g) GDPR"],
        violation_types=["principles", "processing_agreement"],
        sector="media_telecoms",
        events=[
            {"date": "2024-05-01", "kind": "appeal_lodged", "court": "Conseil d'État"},
            {
                "date": "2025-02-01",
                "kind": "reduced",
                "amount": "20000000",
                "court": "Conseil d'État",
            },
        ],
    ),
    record(
        id="uk-ico-2022-clearface",
        regulator="UK-ICO",
        decision_date="2022-05-18",
        entity={"name": "Clearface Inc.", "role": "controller", "group": "Clearface"},
        amount="7552800",
        currency="GBP",
        articles=["Art. 5(1)(a) UK-GDPR", "Art. 6 UK-GDPR"],
        violation_types=["legal_basis"],
        affected="1000",
    ),
    record(
        id="no-datatilsynet-2021-datingapp",
        regulator="NO-DATATILSYNET",
        decision_date="2021-12",
        entity={"name": "Dating App AS", "role": "controller"},
        amount="65000000",
        currency="NOK",
        amount_eur="6500000",
        articles=["Art. 9(1) GDPR"],
        violation_types=["legal_basis"],
        sector="media_telecoms",
    ),
    record(
        id="fr-cnil-2023-acme",
        decision_date="2023-04-17",
        kind="penalty_payment",
        amount="100000",
        links={"enforces": "fr-cnil-2022-acme"},
        articles=["Art. 82 FR-LIL"],
        violation_types=["cooperation"],
    ),
    record(
        id="de-hh-2020-acme-brackets",
        regulator="DE-HH",
        decision_date="2020",
        entity={
            "name": "Acme [/] Ltd [bold]x[/bold]",
            "role": "processor",
            "controller": "Big Client",
        },
        amount="2000000",
        articles=["Art. 28(3) GDPR"],
        violation_types=["processing_agreement"],
    ),
    record(
        id="it-garante-2021-unnamed",
        regulator="IT-GARANTE",
        decision_date="2021-06-10",
        entity={"description": "a bank", "role": "controller"},
        amount=None,
        currency=None,
        kind="reprimand",
        articles=["Art. 32 GDPR"],
        violation_types=["security"],
        sector="finance_insurance",
    ),
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets a cache directory of its own, never the user's."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("FINELOG_CACHE_DIR", str(directory))
    monkeypatch.delenv("FINELOG_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """A data set of seven varied decisions, written as YAML files."""
    directory = tmp_path / "decisions"
    directory.mkdir()
    for data in SMALL_SET:
        write_record(directory, data)
    return directory


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner with a fixed terminal width and no inherited data set."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FINELOG_DATA", raising=False)
    monkeypatch.delenv("FINELOG_DEBUG", raising=False)
    return CliRunner()


Invoke = Callable[..., Any]
