"""The bundled data set's own gate: it validates, and it holds what the seeds promise."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from finelog import check, validation
from finelog.dataset import bundled_data_dir
from finelog.models import Decision, EventKind, Kind, Role, Status

# The records of this checkout: a contributor's new file is tested before any reinstall.
DATA = Path(__file__).resolve().parents[1] / "data" / "decisions"
RESULT = validation.load([DATA])
BY_ID = {d.id: d for d in RESULT.decisions}


def test_finelog_reads_the_records_of_this_checkout() -> None:
    def records(folder: Path) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}

    stale = "the installed finelog holds another copy of data/decisions: run `pip install -e .`"
    assert records(bundled_data_dir()) == records(DATA), stale


def test_the_bundled_data_set_validates() -> None:
    assert [str(p) for p in RESULT.problems] == []
    assert RESULT.files == len(RESULT.decisions) > 0


def test_finelog_check_finds_nothing_in_the_bundled_data() -> None:
    assert [str(finding) for finding in check.check(RESULT.loaded)] == []


def test_every_record_has_a_primary_source_or_says_why_not() -> None:
    lacking = [d.id for d in RESULT.decisions if not any(s.primary for s in d.sources) and not d.notes]
    assert lacking == []


def test_every_summary_is_in_a_few_sentences() -> None:
    too_long = [d.id for d in RESULT.decisions if len(d.summary) > 1200]
    assert too_long == []


@pytest.mark.parametrize(
    ("decision_id", "regulator", "amount", "currency"),
    [
        ("fr-cnil-2025-mobius-solutions", "FR-CNIL", 1_000_000, "EUR"),
        ("lu-cnpd-2021-amazon-europe-core", "LU-CNPD", 746_000_000, "EUR"),
        ("fr-cnil-2022-clearview-ai", "FR-CNIL", 20_000_000, "EUR"),
        ("fr-cnil-2023-clearview-ai", "FR-CNIL", 5_200_000, "EUR"),
        ("fr-cnil-2019-google", "FR-CNIL", 50_000_000, "EUR"),
        ("uk-ico-2022-clearview-ai", "UK-ICO", 7_552_800, "GBP"),
        ("it-garante-2022-clearview-ai", "IT-GARANTE", 20_000_000, "EUR"),
    ],
)
def test_the_seed_decisions_are_present_with_their_amounts(
    decision_id: str, regulator: str, amount: int, currency: str
) -> None:
    decision = BY_ID[decision_id]
    assert (decision.regulator, decision.amount, decision.currency) == (
        regulator,
        Decimal(amount),
        currency,
    )


def test_the_clearview_penalty_payment_enforces_the_2022_decision() -> None:
    penalty: Decision = BY_ID["fr-cnil-2023-clearview-ai"]
    assert penalty.kind is Kind.PENALTY_PAYMENT
    assert penalty.links is not None and penalty.links.enforces == "fr-cnil-2022-clearview-ai"
    assert any(o.periodic_penalty for o in BY_ID["fr-cnil-2022-clearview-ai"].orders)


def test_mobius_is_a_processor_acting_for_deezer() -> None:
    entity = BY_ID["fr-cnil-2025-mobius-solutions"].entity
    assert entity.role is Role.PROCESSOR
    assert entity.controller is not None and "Deezer" in entity.controller
    assert BY_ID["fr-cnil-2025-mobius-solutions"].affected == 46_000_000


def test_google_2019_was_upheld_and_amazon_carries_its_appeals() -> None:
    assert BY_ID["fr-cnil-2019-google"].status is Status.UPHELD
    kinds = [e.kind for e in BY_ID["lu-cnpd-2021-amazon-europe-core"].events]
    assert kinds[:2] == [EventKind.APPEAL_LODGED, EventKind.UPHELD]


def test_the_ico_fine_is_in_pounds_under_the_uk_gdpr_and_converted_by_the_ecb_rate() -> None:
    decision = BY_ID["uk-ico-2022-clearview-ai"]
    assert "UK-GDPR" in decision.laws
    assert decision.euro[1] is not None and decision.euro[1].value == "ecb"


def test_groups_are_tagged_so_group_totals_add_up() -> None:
    clearview = {d.id for d in RESULT.decisions if d.entity.group == "Clearview AI"}
    assert {
        "fr-cnil-2022-clearview-ai",
        "it-garante-2022-clearview-ai",
        "uk-ico-2022-clearview-ai",
    } <= clearview
