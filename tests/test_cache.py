"""The cache never changes an answer: every test compares cached with uncached results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL_SET, record, write_record
from finelog import cache, dataset

Answer = tuple[list[dict[str, Any]], list[str]]


def answer(root: Path, *, use_cache: bool = True, warnings: list[str] | None = None) -> Answer:
    """Everything a command could print: each valid decision's row and every problem."""
    warn = warnings.append if warnings is not None else None
    loaded = dataset.load(root, use_cache=use_cache, warn=warn)
    return [loaded.row(e) for e in loaded.entries], [str(p) for p in loaded.problems]


def assert_same_as_uncached(root: Path) -> dataset.Dataset:
    """Load through the cache, check it against a cold load, and return the cached load."""
    cached = dataset.load(root)
    rows = [cached.row(e) for e in cached.entries]
    assert (rows, [str(p) for p in cached.problems]) == answer(root, use_cache=False)
    return cached


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust time stamps at once, as if every file had been written long ago."""
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)


@pytest.fixture
def data(small_set: Path) -> Path:
    return small_set


def test_a_warm_run_reuses_every_entry_and_answers_the_same(data: Path, trusting: None) -> None:
    cold = assert_same_as_uncached(data)
    warm = assert_same_as_uncached(data)
    assert (cold.parsed, cold.reused) == (len(SMALL_SET), 0)
    assert (warm.parsed, warm.reused) == (0, len(SMALL_SET))


def test_cached_entries_hold_the_values_of_parsed_ones(data: Path, trusting: None) -> None:
    dataset.load(data)
    warm = dataset.load(data)
    cold = dataset.load(data, use_cache=False)
    assert warm.reused == len(SMALL_SET)
    assert [e.values()._replace(row="") for e in warm.entries] == [
        e.values()._replace(row="") for e in cold.entries
    ]


def test_a_warm_ranking_unmarshals_only_the_columns_it_reads(data: Path, trusting: None) -> None:
    from finelog import query
    from finelog.entry import Values
    from finelog.vocab import RankBy

    dataset.load(data)
    warm = dataset.load(data)
    assert warm.stored is not None
    query.top(warm.entries, RankBy.AMOUNT, 3)
    loaded = {Values._fields[i] for i, column in enumerate(warm.stored.table.columns) if column is not None}
    assert loaded <= {"id", "imposed_eur"}, loaded


def test_files_changed_within_the_racy_window_are_read_again(data: Path) -> None:
    assert_same_as_uncached(data)
    assert assert_same_as_uncached(data).parsed == len(SMALL_SET)


def test_an_edit_of_the_same_size_with_the_same_mtime_is_seen(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    path = data / "fr-cnil-2022-acme.yaml"
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("1000000", "2000000"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    warm = assert_same_as_uncached(data)
    assert warm.parsed == 1
    assert any(row["amount"] == 2_000_000 for row in map(warm.row, warm.entries))


def test_an_added_file_is_the_only_one_read(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    write_record(data, record(id="fr-cnil-2022-newco", entity={"name": "Newco SA", "role": "controller"}))
    warm = assert_same_as_uncached(data)
    assert (warm.parsed, warm.reused) == (1, len(SMALL_SET))


def test_a_removed_file_disappears_without_reading_the_others(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    (data / "fr-cnil-2022-acme.yaml").unlink()
    warm = assert_same_as_uncached(data)
    assert warm.parsed == 0
    assert "fr-cnil-2022-acme" not in {e.id for e in warm.entries}


def test_a_renamed_file_is_read_again_and_checked(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    (data / "fr-cnil-2022-acme.yaml").rename(data / "fr-cnil-2022-renamed.yaml")
    warm = assert_same_as_uncached(data)
    assert warm.parsed == 1
    assert any("differs from the file name" in p.message for p in warm.problems)


def test_a_file_made_invalid_is_reported_every_time(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    (data / "fr-cnil-2022-acme.yaml").write_text("id: [unclosed\n")
    for _ in range(2):
        warm = assert_same_as_uncached(data)
        assert [p.field for p in warm.problems] == ["yaml", "links.enforces"]  # and a link to it dangles


def test_a_duplicate_added_beside_cached_records_is_found(data: Path, trusting: None) -> None:
    assert_same_as_uncached(data)
    sub = data / "more"
    sub.mkdir()
    write_record(sub, record())
    warm = assert_same_as_uncached(data)
    assert any("duplicate id" in p.message for p in warm.problems)


def test_two_data_sets_keep_separate_caches(tmp_path: Path, trusting: None) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write_record(first, record())
    write_record(second, record(amount="5"))
    for root in (first, second, first, second):
        assert_same_as_uncached(root)
    assert cache.cache_path(first) != cache.cache_path(second)


def test_a_cache_from_another_build_is_not_used(
    data: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same_as_uncached(data)
    monkeypatch.setattr(cache, "fingerprint", lambda: "another finelog")
    assert assert_same_as_uncached(data).reused == 0


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def _garble(path: Path) -> None:
    path.write_bytes(b"\x00\xff" * 500)


def _flip(offset: int) -> Any:
    def damage(path: Path) -> None:
        raw = bytearray(path.read_bytes())
        raw[offset] ^= 0xFF
        path.write_bytes(bytes(raw))

    return damage


@pytest.mark.parametrize(
    "damage",
    [_truncate, _garble, _flip(40), _flip(-5), _flip(-500), lambda p: p.write_bytes(b"")],
    ids=["truncated", "garbage", "header", "last-row", "a-row", "empty"],
)
def test_a_damaged_cache_never_changes_an_answer(data: Path, trusting: None, damage: Any) -> None:
    assert_same_as_uncached(data)
    damage(cache.cache_path(data))
    assert_same_as_uncached(data)  # a damaged index is a miss; a damaged row is read from its file
    assert_same_as_uncached(data)  # ... and the cache is rebuilt
    assert assert_same_as_uncached(data).reused == len(SMALL_SET)


def test_an_unwritable_cache_warns_and_answers_the_same(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("FINELOG_CACHE_DIR", str(blocker / "cache"))
    warnings: list[str] = []
    assert answer(data, warnings=warnings) == answer(data, use_cache=False)
    assert len(warnings) == 1 and "cannot write the cache" in warnings[0]


def test_a_cache_folder_that_is_a_file_is_called_so(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("FINELOG_CACHE_DIR", str(blocker))
    warnings: list[str] = []
    answer(data, warnings=warnings)
    assert len(warnings) == 1 and f"in {blocker} (it is a file, not a folder)" in warnings[0]


def test_no_cache_neither_reads_nor_writes(data: Path, private_cache: Path) -> None:
    answer(data, use_cache=False)
    assert not list(private_cache.iterdir())


def test_the_cache_lives_outside_the_data_set(data: Path, private_cache: Path) -> None:
    before = sorted(data.iterdir())
    answer(data)
    assert sorted(data.iterdir()) == before
    assert cache.cache_path(data).parent == private_cache


def test_clear_removes_every_cache(data: Path, private_cache: Path) -> None:
    answer(data)
    assert cache.cache_path(data) in cache.clear()
    assert not list(private_cache.iterdir())


def test_the_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FINELOG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "finelog"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache.cache_dir() == Path.home() / ".cache" / "finelog"


VARIANTS = [record(id=f"fr-cnil-2022-party-{n}", entity={"name": f"Party {n}", "role": "controller"},
                   amount=str(1000 + n)) for n in range(4)]  # fmt: skip
Operation = tuple[str, int]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["write", "edit", "remove", "break"]), st.integers(0, 3)), max_size=12)
)
def test_any_sequence_of_changes_gives_the_uncached_answer(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, steps: list[Operation]
) -> None:
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)
    monkeypatch.setenv("FINELOG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = tmp_path_factory.mktemp("data")
    for number, (operation, which) in enumerate(steps):
        path = root / f"{VARIANTS[which]['id']}.yaml"
        if operation == "write":
            write_record(root, VARIANTS[which])
        elif operation == "edit" and path.exists():
            write_record(root, VARIANTS[which] | {"summary": "Edited. " + "x" * number})  # a new size
        elif operation == "remove" and path.exists():
            path.unlink()
        elif operation == "break":
            path.write_text("id: [" + "x" * number)
        assert_same_as_uncached(root)


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run Python code in a fresh interpreter, as the installed tool would start."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=(os.environ | (env or {})),
        check=False,
    )


def test_version_and_help_import_neither_pydantic_models_nor_rich() -> None:
    code = """
        import sys
        from finelog.cli import main
        sys.argv = ["finelog", *sys.argv[1:]]
        try:
            main()
        except SystemExit:
            pass
        heavy = {"pydantic", "finelog.models", "rich", "yaml", "currency_converter", "hashlib", "statistics"}
        heavy |= {"finelog.query", "finelog.articles", "finelog.registry", "finelog.dataset", "finelog.cache"}
        print("LOADED", sorted(heavy & set(sys.modules)), file=sys.stderr)
    """
    for args in (["--version"], ["--help"], ["top", "--help"]):
        result = _run(code, *args)
        assert "LOADED []" in result.stderr, (args, result.stderr)


def test_a_warm_run_opens_no_decision_file(data: Path) -> None:
    code = """
        import sys
        opened = []
        sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
        from finelog import cache
        from finelog.cli import main
        cache.RACY_WINDOW_NS = 0  # as if the files were older than the racy window
        sys.argv = ["finelog", "top", "--json", "--data", sys.argv[1]]
        try:
            main()
        except SystemExit:
            pass
        print("OPENED", sum(path.endswith(".yaml") and sys.argv[-1] in path for path in opened), file=sys.stderr)
    """
    cold = _run(code, str(data))
    warm = _run(code, str(data))
    assert f"OPENED {len(SMALL_SET)}" in cold.stderr, cold.stderr
    assert "OPENED 0" in warm.stderr, warm.stderr
    assert json.loads(warm.stdout) == json.loads(cold.stdout)


def test_concurrent_runs_never_corrupt_the_cache(data: Path, trusting: None) -> None:
    code = """
        import sys
        from finelog import cache, dataset
        cache.RACY_WINDOW_NS = 0
        loaded = dataset.load(__import__("pathlib").Path(sys.argv[1]))
        print(len(loaded.entries), loaded.parsed + loaded.reused)
    """
    env = {"FINELOG_CACHE_DIR": os.environ["FINELOG_CACHE_DIR"]}
    for round_ in range(3):
        write_record(
            data, record(id=f"fr-cnil-2022-round-{round_}", entity={"name": f"R{round_}", "role": "unknown"})
        )
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(code), str(data)],
                stdout=subprocess.PIPE,
                text=True,
                env=os.environ | env,
            )
            for _ in range(4)
        ]
        outputs = {run.communicate()[0] for run in runs}
        assert len(outputs) == 1
        assert assert_same_as_uncached(data).reused == len(SMALL_SET) + round_ + 1


def test_parsing_on_several_cores_gives_the_serial_answer(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data / "broken.yaml").write_text("id: [\n")
    files = [file for file, _ in dataset.scan(data).files]
    serial = dataset.parse_files(data, files, date(2026, 11, 23))
    monkeypatch.setattr(dataset, "PARALLEL_FROM", 2)
    if dataset._workers(len(files)) < 2:
        pytest.skip("one core, or no fork: finelog parses serially here")
    assert dataset.parse_files(data, files, date(2026, 11, 23)) == serial


def test_the_console_script_answers_version_without_building_the_cli() -> None:
    code = """
        import sys
        from finelog.entrypoint import main
        sys.argv = ["finelog", "--version"]
        main()
        print("LOADED", sorted({"typer", "pydantic", "rich", "finelog.cli"} & set(sys.modules)), file=sys.stderr)
    """
    result = _run(code)
    assert result.stdout.startswith("finelog ") and "LOADED []" in result.stderr, result.stderr
