"""Import boundaries, read from the source: only gh_ops/github.py touches PyGithub, and the modules
`gh-ops --help` loads import no heavy library when they are imported."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "gh_ops"
PACKAGE = PACKAGE_DIR.name

# The modules `gh-ops --help` imports; each stays free of these at import time (its own module
# level, and the module level of every gh_ops module it imports there).
LIGHT_MODULES = ("gh_ops.cli", "gh_ops.context", "gh_ops.errors", "gh_ops.actions_io", "gh_ops")
HEAVY_LIBRARIES = frozenset({"github", "jinja2", "jsonschema", "yaml", "requests"})


# --- reading imports ------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:`: a block that never runs."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, *, module_level_only: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements; with module_level_only, those that run when the module is imported.

    Function bodies run later and `if TYPE_CHECKING:` blocks never; class bodies, try/except and
    other `if` blocks run at import time.
    """
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif module_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif module_level_only and isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), module_level_only=True)
        else:
            yield from _imports(node, module_level_only=module_level_only)


def imported_names(source: str, module: str, *, module_level_only: bool = False) -> set[str]:
    """Dotted names of the modules (and `from` members) an import statement in `source` names.

    `module` (e.g. gh_ops.cli) resolves relative imports. `from a.b import c` yields a.b and
    a.b.c, since c may be a module.
    """
    package = module if module == PACKAGE else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _imports(ast.parse(source), module_level_only=module_level_only):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            parent = ".".join(parts[: len(parts) - (node.level - 1)])
            base = f"{parent}.{base}" if base else parent
        names.add(base)
        names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def top_level(name: str) -> str:
    return name.partition(".")[0]


# --- the package's modules ----------------------------------------------------------------------


def package_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = package_modules()


SOURCE_OVERRIDES: dict[str, str] = {}  # lets the tests below check the checks on made-up code


def source_of(module: str) -> str:
    return SOURCE_OVERRIDES.get(module) or MODULES[module].read_text(encoding="utf-8")


def import_time_closure(start: str) -> dict[str, list[str]]:
    """Every gh_ops module importing `start` loads, each with the chain of imports that loads it."""
    chains = {start: [start]}
    todo = [start]
    while todo:
        current = todo.pop()
        names = imported_names(source_of(current), current, module_level_only=True)
        loaded = {n for n in names if n in MODULES}
        # Importing gh_ops.x runs gh_ops/__init__.py first.
        loaded |= {".".join(n.split(".")[:i]) for n in loaded for i in range(1, n.count(".") + 1)}
        for name in sorted(loaded - chains.keys()):
            chains[name] = [*chains[current], name]
            todo.append(name)
    return chains


# --- the rules ----------------------------------------------------------------------------------


def test_the_scan_sees_the_whole_package() -> None:
    assert {"gh_ops", "gh_ops.cli", "gh_ops.github", "gh_ops.config", "gh_ops.render"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "gh_ops.github"))
def test_only_the_github_module_imports_pygithub(module: str) -> None:
    # Anywhere in the file, function bodies included: PyGithub stays behind gh_ops.github.
    names = imported_names(source_of(module), module)
    assert sorted(n for n in names if top_level(n) == "github") == []


def test_the_github_module_does_import_pygithub() -> None:
    # Guards the scan itself: if it could not see imports, the test above would pass vacuously.
    assert "github" in {top_level(n) for n in imported_names(source_of("gh_ops.github"), "gh_ops.github")}


@pytest.mark.parametrize("module", LIGHT_MODULES)
def test_light_modules_import_no_heavy_library_at_import_time(module: str) -> None:
    found = []
    for loaded, chain in sorted(import_time_closure(module).items()):
        names = imported_names(source_of(loaded), loaded, module_level_only=True)
        for heavy in sorted({top_level(n) for n in names} & HEAVY_LIBRARIES):
            found.append(f"{' -> '.join(chain)} imports {heavy}")
    assert found == [], "\n".join(found)


# --- the scanner catches what it should ---------------------------------------------------------

VIOLATIONS = {
    "import github": {"github"},
    "import github.Auth": {"github.Auth"},
    "import github as gh": {"github"},
    "from github import Github": {"github", "github.Github"},
    "from github.Issue import Issue": {"github.Issue", "github.Issue.Issue"},
    "try:\n    import yaml\nexcept ImportError:\n    yaml = None": {"yaml"},
    "class A:\n    import jinja2": {"jinja2"},
    "if TYPE_CHECKING:\n    pass\nelse:\n    import jsonschema": {"jsonschema"},
    "from . import config": {"gh_ops", "gh_ops.config"},
    "from .errors import Problem": {"gh_ops.errors", "gh_ops.errors.Problem"},
}

DEFERRED = {
    "def f():\n    import github": {"github"},
    "async def f():\n    from jinja2 import Template": {"jinja2", "jinja2.Template"},
    "class A:\n    def f(self):\n        import yaml": {"yaml"},
    "if TYPE_CHECKING:\n    from gh_ops.github import GitHub": {"gh_ops.github", "gh_ops.github.GitHub"},
}


@pytest.mark.parametrize("source", list(VIOLATIONS), ids=list(VIOLATIONS))
def test_scanner_sees_module_level_imports(source: str) -> None:
    assert imported_names(source, "gh_ops.cli", module_level_only=True) == VIOLATIONS[source]
    assert imported_names(source, "gh_ops.cli") == VIOLATIONS[source]


@pytest.mark.parametrize("source", list(DEFERRED), ids=list(DEFERRED))
def test_scanner_allows_deferred_imports_at_module_level_only(source: str) -> None:
    assert imported_names(source, "gh_ops.cli", module_level_only=True) == set()
    assert imported_names(source, "gh_ops.cli") == DEFERRED[source]


def test_closure_follows_gh_ops_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    # A light module that imports gh_ops.yamlfile at module level drags in PyYAML.
    monkeypatch.setitem(SOURCE_OVERRIDES, "gh_ops.cli", "from gh_ops.yamlfile import parse_yaml\n")
    chains = import_time_closure("gh_ops.cli")
    assert chains["gh_ops.yamlfile"] == ["gh_ops.cli", "gh_ops.yamlfile"]
    assert chains["gh_ops"] == ["gh_ops.cli", "gh_ops"]
    with pytest.raises(AssertionError, match=r"gh_ops\.cli -> gh_ops\.yamlfile imports yaml"):
        test_light_modules_import_no_heavy_library_at_import_time("gh_ops.cli")
