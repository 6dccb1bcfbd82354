"""Time finelog against its baselines at several data-set sizes, side by side, as ratios."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARSE = (
    "import sys, glob, yaml\n"
    "for f in glob.glob(sys.argv[1] + '/*.yaml'):\n"
    "    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MiB of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def best(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """The median time and the largest peak memory over several runs."""
    runs = [timed(command, env) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def main() -> None:
    """Generate data sets, time every command, print a table of times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    finelog = shutil.which("finelog") or sys.exit("install finelog first: pip install .")
    jq = shutil.which("jq")
    python = sys.executable
    subprocess.run([python, "-m", "compileall", "-q", str(Path(finelog).parent.parent)], env=env, check=False)
    base, _ = best([python, "-c", "pass"], env, args.repeat)
    version, _ = best([finelog, "--version"], env, args.repeat)
    print(f"python -c pass: {base:.3f} s; finelog --version: {version:.3f} s ({version / base:.1f}x)")
    print(
        "| decisions | C-loader parse | jq on one JSON | finelog top | top / parse | top / jq | top / python | peak MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            data = Path(scratch) / str(size)
            subprocess.run([python, str(HERE / "generate.py"), str(size), str(data)], check=True)
            parse, _ = best([python, "-c", PARSE, str(data)], env, args.repeat)
            dump = Path(scratch) / f"{size}.json"
            with dump.open("w") as out:
                subprocess.run(
                    [finelog, "list", "--json", "--data", str(data)],
                    stdout=out,
                    stderr=subprocess.DEVNULL,
                    check=True,
                    env=env,
                )
            jq_time = (
                best([jq, "sort_by(-.amount_eur) | .[:10]", str(dump)], env, args.repeat)[0]
                if jq
                else float("nan")
            )
            top, peak = best([finelog, "top", "--by", "amount", "--data", str(data)], env, args.repeat)
            print(
                f"| {size} | {parse:.2f} s | {jq_time:.2f} s | {top:.2f} s | {top / parse:.1f}x | {top / jq_time:.1f}x | {top / base:.0f}x | {peak:.0f} |"
            )


if __name__ == "__main__":
    main()
