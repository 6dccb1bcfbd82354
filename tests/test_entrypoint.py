"""The console script as a user's shell runs it: a real process, with the locale it has."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import record, write_record


def finelog(*args: str, encoding: str, cache: Path) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m finelog` with stdout and stderr in a legacy encoding, as Windows pipes are."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0", "FINELOG_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "finelog", *args], capture_output=True, env=env, check=False)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_output_to_a_file_is_utf8_whatever_the_locale(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "data").mkdir()
    write_record(tmp_path / "data", record(entity={"name": "Śląsk Łódź Sp. z o.o.", "role": "controller"}))
    done = finelog(
        "list", "--data", str(tmp_path / "data"), "--format", fmt, encoding="cp1252", cache=tmp_path
    )
    assert (done.returncode, done.stderr.decode("utf-8")) == (0, "finelog: 1 decision\n")
    assert "Śląsk Łódź" in done.stdout.decode("utf-8")
