"""Paths as problems print them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finelog.entry import display_path

segments = st.lists(st.sampled_from(["data", "decisions", "..", ".", "a b", "é"]), max_size=4)


@given(segments, st.sampled_from(["x.yaml", "fr-cnil-2024-a.yml"]))
def test_a_shown_path_is_the_path_relative_to_here_unless_that_climbs_out(
    parts: list[str], name: str
) -> None:
    path = Path(*parts, name)
    relative = os.path.relpath(path)
    assert display_path(path) == (str(path) if relative.startswith("..") else relative)
    absolute = Path.cwd().joinpath(*parts, name)
    relative = os.path.relpath(absolute)
    assert display_path(absolute) == (str(absolute) if relative.startswith("..") else relative)


def test_a_shown_path_follows_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data" / "x.yaml"
    monkeypatch.chdir(tmp_path)
    assert display_path(path) == os.path.join("data", "x.yaml")
    monkeypatch.chdir(tmp_path.parent)
    assert display_path(path) == os.path.join(tmp_path.name, "data", "x.yaml")
