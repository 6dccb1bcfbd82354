"""Time `finelog import cms` on a deterministic CMS-shaped export: a first import, then a re-import.

The export mimics the tracker's table: the CMS column names, quoted amounts with thousands
separators, a few empty / Unknown / 0 amounts, articles in the tracker's free text, some
rows listed twice and some with an authority the registry does not know, so every fate
(written, skipped, rejected) is exercised.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUTHORITIES = [
    ("FRANCE", "French Data Protection Authority (CNIL)", "https://www.cnil.fr/en/"),
    ("SPAIN", "Spanish Data Protection Authority (aepd)", "https://www.aepd.es/"),
    ("ITALY", "Italian Data Protection Authority (Garante)", "https://www.garanteprivacy.it/"),
    ("IRELAND", "Data Protection Authority of Ireland", "https://www.dataprotection.ie/"),
    ("GERMANY", "Data Protection Authority of Baden-Wuerttemberg", "https://example.org/news/"),
    (
        "ROMANIA",
        "Romanian National Supervisory Authority for Personal Data Processing (ANSPDCP)",
        "https://example.org/ro/",
    ),
    ("UNITED KINGDOM", "Information Commissioner (ICO)", "https://ico.org.uk/"),
    ("THE NETHERLANDS", "Dutch Supervisory Authority for Data Protection (AP)", "https://example.org/nl/"),
    ("SWEDEN", "Data Protection Authority of Sweden", "https://www.imy.se/"),
    ("ATLANTIS", "Atlantis Data Board", "https://example.org/atlantis/"),
]
SECTORS = [
    "Industry and Commerce",
    "Media, Telecoms and Broadcasting",
    "Finance, Insurance and Consulting",
    "Public Sector and Education",
    "Health Care",
    "Employment",
    "Not assigned",
]
TYPES = [
    "Insufficient legal basis for data processing",
    "Insufficient technical and organisational measures to ensure information security",
    "Insufficient fulfilment of data subjects rights",
    "Non-compliance with general data processing principles",
    "Unknown",
]
ARTICLES = [
    "Art. 5 (1) a), c) GDPR, Art. 6 (1) GDPR",
    "Art. 32 GDPR",
    "Art. 13 GDPR, Art. 14 GDPR",
    "Art. 28 (3) GDPR",
    "Art. 82 loi Informatique et Libertés",
    "Unknown",
    "Art. 15 GDPR, Art. 17 GDPR",
]
WORDS = "the controller processed customer data without consent and ignored access requests from employees".split()
COLUMNS = [
    "ETid",
    "Country",
    "Authority",
    "Date of Decision",
    "Fine [€]",
    "Controller/Processor",
    "Sector",
    "Quoted Art.",
    "Type",
    "Summary",
    "Source",
]


def rows(count: int, seed: int) -> list[list[str]]:
    """A deterministic CMS-shaped table: about 1% unknown authorities and 2% rows listed twice."""
    rng = random.Random(seed)
    table: list[list[str]] = []
    for index in range(count):
        if table and rng.random() < 0.02:
            table.append(list(rng.choice(table)))
            continue
        country, authority, site = rng.choice(AUTHORITIES[:-1] if rng.random() > 0.01 else AUTHORITIES)
        amount = int(10 ** rng.uniform(2.5, 7.5))
        fine = rng.choice([f"{amount:,}"] * 12 + ["", "Unknown", "0"])
        summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))).capitalize() + "."
        table.append([
            f"ETid-{index + 1}", country, authority,
            f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", fine,
            f"Company {index + 1} {rng.choice(['Ltd', 'S.A.', 'GmbH', 'S.p.A.', ''])}".strip(),
            rng.choice(SECTORS), rng.choice(ARTICLES), rng.choice(TYPES), summary, f"{site}decision-{index + 1}",
        ])  # fmt: skip
    return table


def write_export(path: Path, count: int, seed: int) -> None:
    """Write the table as the tracker's CSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows(count, seed))


def timed(command: list[str]) -> tuple[float, str]:
    """Wall time of one run and its last line on stderr (the counts)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {done.stderr}")
    return elapsed, done.stderr.strip().splitlines()[-1]


def main() -> None:
    """Generate, import, re-import; print seconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--finelog", default=shutil.which("finelog") or "finelog")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__import__("finelog").__file__).parent)],
                   check=False, capture_output=True)  # fmt: skip
    with tempfile.TemporaryDirectory() as workdir:
        export = Path(workdir) / "cms.csv"
        write_export(export, args.rows, args.seed)
        first: list[float] = []
        again: list[float] = []
        for run in range(args.repeat):
            out = Path(workdir) / f"out-{run}"
            seconds, counts = timed([args.finelog, "import", "cms", str(export), "--out", str(out)])
            first.append(seconds)
            print(f"import    {seconds:6.2f} s   {counts}")
            seconds, counts = timed([args.finelog, "import", "cms", str(export), "--out", str(out)])
            again.append(seconds)
            print(f"re-import {seconds:6.2f} s   {counts}")
        print(f"median of {args.repeat}: import {statistics.median(first):.2f} s, "
              f"re-import {statistics.median(again):.2f} s for {args.rows} rows")  # fmt: skip


if __name__ == "__main__":
    main()
