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
STARTUP = ("--version", "--help", "top --help")
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


class Rounds:
    """Commands timed in turn, round after round, so that the machine's drift hits them alike."""

    def __init__(self, env: dict[str, str], repeat: int) -> None:
        self.env, self.repeat = env, repeat
        self.times: dict[str, list[float]] = {}
        self.peaks: dict[str, float] = {}

    def run(
        self, commands: dict[str, list[str]], before: dict[str, Callable[[], None]] | None = None
    ) -> None:
        """Time every command once per round, each after its `before` step (if any)."""
        for _ in range(self.repeat):
            for name, command in commands.items():
                (before or {}).get(name, lambda: None)()
                took, peak = timed(command, self.env)
                self.times.setdefault(name, []).append(took)
                self.peaks[name] = max(self.peaks.get(name, 0.0), peak)

    def median(self, name: str) -> float:
        """The median time of one command."""
        return statistics.median(self.times[name])

    def ratio(self, name: str, baseline: str) -> float:
        """The median, over rounds, of the command's time over the baseline's in the same round."""
        return statistics.median(t / b for t, b in zip(self.times[name], self.times[baseline], strict=True))


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
        start = Rounds(env, args.repeat * 2)
        start.run({"python": [python, "-c", "pass"], **{w: [finelog, *w.split()] for w in STARTUP}})
        print(f"python -c pass: {start.median('python'):.3f} s")
        for what in STARTUP:
            print(f"finelog {what}: {start.median(what):.3f} s ({start.ratio(what, 'python'):.1f}x python)")
        print()
        print("| decisions | python | C-loader parse | jq on one JSON | cold top | cold / parse "
              "| warm top | warm --json | warm / python | warm / jq | warm peak MiB | one file edited |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in args.sizes:
            _one_size(size, Path(scratch), finelog, jq, python, env, args.repeat)


def _one_size(
    size: int,
    scratch: Path,
    finelog: str,
    jq: str,
    python: str,
    env: dict[str, str],
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
    top = [finelog, "top", "--by", "amount", "--data", str(data)]

    def forget() -> None:  # the data set's cache; the ECB table is built once per installation
        for path in cache_dir.glob("data-*.cache"):
            path.unlink()

    cold = Rounds(env, max(1, repeat // 2) if size > 10_000 else repeat)
    cold.run({"parse": [python, "-c", PARSE, str(data)], "cold": top}, before={"cold": forget})
    timed(top, env)
    warm = Rounds(env, repeat)
    jq_rank = [jq, "sort_by(-.amount_eur) | .[:10]", str(dump)]
    warm.run({"python": [python, "-c", "pass"], "jq": jq_rank, "warm": top, "json": [*top, "--json"]})
    edited = sorted(data.iterdir())[size // 2]

    def edit() -> None:
        edited.write_text(
            edited.read_text().replace("kind: fine", "kind: fine ", 1).replace("fine  ", "fine")
        )

    incremental = Rounds(env, repeat)
    incremental.run({"edited": top}, before={"edited": edit})
    print(f"| {size:,} | {warm.median('python'):.3f} s | {cold.median('parse'):.2f} s | {warm.median('jq'):.2f} s "
          f"| {cold.median('cold'):.2f} s | {cold.ratio('cold', 'parse'):.2f}x "
          f"| {warm.median('warm'):.3f} s | {warm.median('json'):.3f} s | {warm.ratio('warm', 'python'):.1f}x "
          f"| {warm.ratio('warm', 'jq'):.2f}x | {warm.peaks['warm']:.0f} | {incremental.median('edited'):.3f} s |",
          flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
