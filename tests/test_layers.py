"""The layers the README's "Development" names: each module imports only those above it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "finelog"
README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")

# Top first, as the README lists them; a module may import only those before it.
LAYERS = (
    "__init__",  # the version, nothing else
    "strictyaml",
    "registry",
    "vocab",
    "articles",
    "money",
    "models",
    "entry",
    "loader",
    "cache",
    "dataset",
    "validation",
    "query",
    "formats",
    "render",
    "yamlwriter",  # these four are beside the chain: of it, only cli imports them
    "trackers",
    "check",
    "importer",
    "cli",
    "entrypoint",  # the console script, and `python -m finelog`
    "__main__",
)

# The imports that reach down, each inside the one function that needs it, and why.
REACHING_DOWN = {
    ("money", "cache"): "the ECB rate tables are kept in finelog's cache folder",
    ("entry", "formats"): "a parsed record keeps its row of the JSON contract, which formats defines",
    ("dataset", "formats"): "a damaged cached row is rebuilt from its file; workers import it before forking",
}

# dataset parses files through loader (and so Pydantic) only when one is new or changed, so
# that a warm run of `finelog list` stays light: that import must stay inside its functions.
PARSING = ("dataset", "loader")


def test_every_module_has_its_place_in_the_layers() -> None:
    assert sorted(LAYERS) == sorted(path.stem for path in SOURCE.glob("*.py"))


def test_the_readme_names_every_layer_in_this_order() -> None:
    chain, beside = README.split("The code is layered", 1)[1].split("\n\n")[:2]
    named = [list(dict.fromkeys(re.findall(r"`(\w+)`", text))) for text in (chain, beside)]
    for names in named:
        assert [name for name in names if name in LAYERS] == sorted(
            set(names) & set(LAYERS), key=LAYERS.index
        )
    assert set(LAYERS) - {*named[0], *named[1]} == {"__init__", "entrypoint", "__main__"}


def test_each_module_imports_only_those_above_it() -> None:
    downward = {
        (module, imported, runs) for module, imported, runs in all_imports() if reaches_down(module, imported)
    }
    assert {(module, imported) for module, imported, _ in downward} == set(REACHING_DOWN)
    assert [(module, imported) for module, imported, runs in downward if runs] == []


def test_dataset_parses_through_loader_only_when_a_file_needs_it() -> None:
    assert {runs for module, imported, runs in all_imports() if (module, imported) == PARSING} == {False}


def reaches_down(module: str, imported: str) -> bool:
    """Whether a module imports one at or below its own layer."""
    return LAYERS.index(imported) >= LAYERS.index(module)


def all_imports() -> Iterator[tuple[str, str, bool]]:
    """Each finelog module, a finelog module it imports, and whether that import runs when it is imported."""
    for path in sorted(SOURCE.glob("*.py")):
        for imported, runs in imports_in(ast.parse(path.read_text(encoding="utf-8")).body, runs=True):
            if imported != path.stem:
                yield path.stem, imported, runs


def imports_in(nodes: Iterable[ast.AST], runs: bool) -> Iterator[tuple[str, bool]]:
    """The finelog modules imported in nodes; inside a function or `if TYPE_CHECKING:` they do not run."""
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from ((name, runs) for name in modules_named(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from imports_in(ast.iter_child_nodes(node), runs=False)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from imports_in(node.body, runs=False)
            yield from imports_in(node.orelse, runs)
        else:
            yield from imports_in(ast.iter_child_nodes(node), runs)


def modules_named(statement: ast.Import | ast.ImportFrom) -> list[str]:
    """The finelog modules an import reads (`from finelog import __version__` reads `__init__`)."""
    if isinstance(statement, ast.Import):
        dotted = [alias.name for alias in statement.names]
    elif statement.level:  # `from . import x`, `from .x import y`: inside finelog
        dotted = [f"finelog.{statement.module}" if statement.module else "finelog"]
    else:
        dotted = [statement.module or ""]
    if dotted == ["finelog"] and isinstance(statement, ast.ImportFrom):
        return [alias.name if alias.name in LAYERS else "__init__" for alias in statement.names]
    return [module_of(name) for name in dotted if name == "finelog" or name.startswith("finelog.")]


def module_of(dotted: str) -> str:
    """The finelog module a dotted name such as `finelog.entry.Problem` lies in."""
    return dotted.split(".")[1] if "." in dotted else "__init__"
