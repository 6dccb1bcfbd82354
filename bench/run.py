"""Time finelog cold and warm against its baselines at several data-set sizes, as ratios."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARSE = (
    "import sys, glob, yaml\n"
    "for f in glob.glob(sys.argv[1] + '/*.yaml'):\n"
    "    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)
RACY_WINDOW_S = 2.1  # files younger than this are re-read by design; let them age first


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MiB of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def median_of(
    command: list[str], env: dict[str, str], repeat: int, before: Callable[[], None] = lambda: None
) -> tuple[float, float]:
    """The median time and the largest peak memory over several runs."""
    runs = []
    for _ in range(repeat):
        before()
        runs.append(timed(command, env))
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def main() -> None:
    """Generate data sets, time every command, print tables of times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000, 30000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    finelog = shutil.which("finelog") or sys.exit("install finelog first: pip install .")
    jq = shutil.which("jq") or sys.exit("install jq first")
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        caches = Path(scratch) / "cache"
        env = {
            k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "FINELOG_NO_CACHE")
        }
        env["FINELOG_CACHE_DIR"] = str(caches)
        subprocess.run([python, "-m", "compileall", "-q", str(Path(finelog).resolve().parent.parent)], env=env,
                       check=False, stdout=subprocess.DEVNULL)  # fmt: skip
        base, _ = median_of([python, "-c", "pass"], env, args.repeat * 2)
        print(f"python -c pass: {base:.3f} s")
        for what in (["--version"], ["--help"], ["top", "--help"]):
            took, _ = median_of([finelog, *what], env, args.repeat * 2)
            print(f"finelog {' '.join(what)}: {took:.3f} s ({took / base:.1f}x python)")
        print()
        print("| decisions | python | C-loader parse | jq on one JSON | cold top | cold / parse "
              "| warm top | warm --json | warm / python | warm / jq | warm peak MiB | one file edited |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in args.sizes:
            _one_size(size, Path(scratch), finelog, jq, python, env, base, args.repeat)


def _one_size(
    size: int,
    scratch: Path,
    finelog: str,
    jq: str,
    python: str,
    env: dict[str, str],
    base: float,
    repeat: int,
) -> None:
    """Time one data-set size and print its row."""
    data = scratch / str(size)
    subprocess.run([python, str(HERE / "generate.py"), str(size), str(data)], check=True)
    dump = scratch / f"{size}.json"
    with dump.open("w") as out:
        subprocess.run([finelog, "--no-cache", "list", "--json", "--data", str(data)], stdout=out,
                       stderr=subprocess.DEVNULL, check=True, env=env)  # fmt: skip
    time.sleep(RACY_WINDOW_S)
    cache_dir = Path(env["FINELOG_CACHE_DIR"])
    slow = max(1, repeat // 2) if size > 10_000 else repeat
    parse, _ = median_of([python, "-c", PARSE, str(data)], env, slow)
    jq_time, _ = median_of([jq, "sort_by(-.amount_eur) | .[:10]", str(dump)], env, repeat)
    top = [finelog, "top", "--by", "amount", "--data", str(data)]

    def forget() -> None:  # the data set's cache; the ECB table is built once per installation
        for path in cache_dir.glob("data-*.cache"):
            path.unlink()

    cold, _ = median_of(top, env, slow, before=forget)
    timed(top, env)
    warm, peak = median_of(top, env, repeat)
    warm_json, _ = median_of([*top, "--json"], env, repeat)
    edited = sorted(data.iterdir())[size // 2]

    def edit() -> None:
        edited.write_text(
            edited.read_text().replace("kind: fine", "kind: fine ", 1).replace("fine  ", "fine")
        )

    incremental, _ = median_of(top, env, repeat, before=edit)
    print(f"| {size:,} | {base:.3f} s | {parse:.2f} s | {jq_time:.2f} s | {cold:.2f} s | {cold / parse:.2f}x "
          f"| {warm:.3f} s | {warm_json:.3f} s | {warm / base:.1f}x | {warm / jq_time:.2f}x | {peak:.0f} "
          f"| {incremental:.3f} s |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
