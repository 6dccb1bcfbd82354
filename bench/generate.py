"""Write N realistic, valid synthetic decisions in finelog's record format (deterministic)."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

REGULATORS = [
    ("FR-CNIL", "EUR", "fr"), ("IE-DPC", "EUR", "ie"), ("IT-GARANTE", "EUR", "it"), ("ES-AEPD", "EUR", "es"),
    ("UK-ICO", "GBP", "uk"), ("SE-IMY", "SEK", "se"), ("NO-DATATILSYNET", "NOK", "no"), ("PL-UODO", "PLN", "pl"),
    ("DE-HH", "EUR", "de"), ("NL-AP", "EUR", "nl"), ("CZ-UOOU", "CZK", "cz"), ("HU-NAIH", "HUF", "hu"),
]  # fmt: skip
SECTORS = [
    "industry_commerce",
    "media_telecoms",
    "finance_insurance",
    "public_education",
    "health",
    "employment",
]
TYPES = ["legal_basis", "principles", "security", "data_subject_rights", "information", "cooperation"]
ARTICLES = [
    "Art. 5(1)(a)",
    "Art. 5(1)(f)",
    "Art. 6(1)",
    "Art. 12",
    "Art. 13",
    "Art. 15",
    "Art. 17",
    "Art. 28(3)",
    "Art. 32",
    "Art. 33",
]
WORDS = "data controller processing consent customers breach security notice access request cookies marketing".split()


def record(index: int, rng: random.Random) -> tuple[str, str]:
    """One decision as (id, YAML text)."""
    regulator, currency, country = rng.choice(REGULATORS)
    year = rng.randint(2018, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if year == 2018:
        month = max(month, 6)
    ident = f"{country}-{regulator.split('-')[-1].lower()}-{year}-synthetic-{index:06d}"
    law = "UK-GDPR" if currency == "GBP" and year > 2020 else "GDPR"
    amount = int(10 ** rng.uniform(3, 8.5))
    articles = "\n".join(f"  - {a} {law}" for a in rng.sample(ARTICLES, rng.randint(1, 4)))
    summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(45, 105)))
    events = ""
    if year <= 2023 and rng.random() < 0.2:
        events = f"events:\n  - date: {year + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n    kind: appeal_lodged\n"
        if rng.random() < 0.5:
            events += f"  - date: {year + 2}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n    kind: reduced\n    amount: {amount // 2}\n"
    text = f"""id: {ident}
regulator: {regulator}
decision_date: {year}-{month:02d}-{day:02d}
announced_date: {year}-{month:02d}-{min(day + 3, 28):02d}
case_number: CASE-{year}-{index:06d}
entity:
  name: Synthetic Company {index} Ltd
  role: {rng.choice(["controller", "controller", "processor"])}
sector: {rng.choice(SECTORS)}
kind: fine
amount: {amount}
currency: {currency}
articles:
{articles}
violation_types: [{", ".join(rng.sample(TYPES, rng.randint(1, 2)))}]
{events}summary: >-
  {summary}
affected: {rng.randint(1, 5_000_000)}
sources:
  - url: https://example.org/decisions/{ident}
    kind: authority
    title: Decision of the authority, {year}
  - url: https://news.example.org/{year}/{ident}
    kind: press
    title: Report on the decision against Synthetic Company {index} Ltd
references:
  etid: ETid-{100000 + index}
"""
    return ident, text


def main() -> None:
    """Generate the files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    for index in range(args.count):
        ident, text = record(index, rng)
        (args.out / f"{ident}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
