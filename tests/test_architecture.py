"""The house rules, read from the source: one package per capability, all of one shape, registered in
one line; the core names no capability and no capability imports another; rules stay pure; only
gh_ops/github.py touches PyGithub; what `gh-ops --help` loads imports no heavy library; and the
offline commands never load the HTTP stack (measured with `python -X importtime`)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gh_ops.registry import PACKAGES, capabilities, sections

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "gh_ops"
PACKAGE = PACKAGE_DIR.name

# The modules `gh-ops --help` imports (the registry loads each capability package by name); each
# stays free of these at import time (its own module level, and that of every gh_ops module it
# imports there).
LIGHT_MODULES = (
    "gh_ops.cli",
    "gh_ops.context",
    "gh_ops.errors",
    "gh_ops.actions_io",
    "gh_ops",
    *(f"{package}.commands" for package in PACKAGES),
)
HEAVY_LIBRARIES = frozenset({"github", "jinja2", "jsonschema", "yaml", "requests", "urllib3"})
HTTP_STACK = frozenset({"github", "requests", "urllib3"})

CAPABILITY_NAMES = frozenset(package.rpartition(".")[2] for package in PACKAGES)
SHAPE = ("__init__", "settings", "rules", "run", "commands")  # every capability has these modules
# Modules a capability may add where it needs them; anything else is a sign it has two shapes.
OPTIONAL_MODULES = frozenset({"queries", "texts", "samples", "document"})
# A capability's modules other than these hold no I/O: they import no client, no run, no CLI.
# (Its __init__.py is a docstring: importing the rules loads nothing else.)
IMPURE_MODULES = frozenset({"run", "commands", "samples"})
FORBIDDEN_IN_PURE = frozenset({"github", "requests", "urllib3", "click"})
IO_MODULES = frozenset({"gh_ops.github", "gh_ops.chat", "gh_ops.context"})  # GitHub, a webhook, the run


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


def capability_of(module: str) -> str | None:
    """The capability a gh_ops module belongs to (gh_ops.rfc.rules -> rfc), or None for the core."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE and parts[1] in CAPABILITY_NAMES else None


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


# --- the house: one package per capability, one shape, one registry line -------------------------


def _packages_on_disk() -> set[str]:
    return {p.name for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}


def test_the_registry_lists_every_capability_package_once() -> None:
    assert len(PACKAGES) == len(set(PACKAGES)) == 5
    assert {package.rpartition(".")[2] for package in PACKAGES} == _packages_on_disk()
    assert [c.name for c in capabilities()] == [package.rpartition(".")[2] for package in PACKAGES]


@pytest.mark.parametrize("package", PACKAGES)
def test_a_capability_package_loads_nothing_by_itself(package: str) -> None:
    # So that importing its rules or settings does not bring in its commands (click).
    tree = ast.parse(source_of(package))
    assert [type(node).__name__ for node in tree.body] == ["Expr"], f"{package}/__init__.py: docstring only"


def test_a_capability_is_registered_in_one_line() -> None:
    registry = (PACKAGE_DIR / "registry.py").read_text(encoding="utf-8").splitlines()
    for package in PACKAGES:
        assert [line for line in registry if f'"{package}"' in line] == [f'    "{package}",'], package


@pytest.mark.parametrize("name", sorted(CAPABILITY_NAMES))
def test_every_capability_has_the_same_shape(name: str) -> None:
    modules = {p.stem for p in (PACKAGE_DIR / name).glob("*.py")}
    assert set(SHAPE) <= modules, f"gh_ops/{name} lacks {sorted(set(SHAPE) - modules)}"
    assert modules - set(SHAPE) <= OPTIONAL_MODULES, f"gh_ops/{name} has {sorted(modules - set(SHAPE))}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if capability_of(m) is None))
def test_the_core_imports_no_capability(module: str) -> None:
    # Anywhere in the file: the core reaches the capabilities only through registry.capabilities().
    names = imported_names(source_of(module), module)
    assert sorted(n for n in names if capability_of(n) is not None) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if capability_of(m) is not None))
def test_no_capability_imports_another(module: str) -> None:
    own = capability_of(module)
    names = imported_names(source_of(module), module)
    assert sorted(n for n in names if capability_of(n) not in (None, own)) == []


PURE_MODULES = sorted(
    m
    for m in MODULES
    if capability_of(m) is not None and m.count(".") == 2 and m.rpartition(".")[2] not in IMPURE_MODULES
)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_rules_import_no_client_no_run_and_no_cli(module: str) -> None:
    """Anywhere in the file, and at import time through other gh_ops modules: no PyGithub, requests,
    urllib3 or click, no gh_ops.github, no run module. So the rules are tested without HTTP."""
    found = []
    for loaded, chain in sorted(import_time_closure(module).items()):
        names = imported_names(source_of(loaded), loaded, module_level_only=loaded != module)
        for name in sorted(names):
            if top_level(name) in FORBIDDEN_IN_PURE or name in IO_MODULES or name.endswith(".run"):
                found.append(f"{' -> '.join(chain)} imports {name}")
    assert found == [], "\n".join(found)


def test_the_pure_modules_include_every_rules_module() -> None:
    assert {f"gh_ops.{name}.rules" for name in CAPABILITY_NAMES} <= set(PURE_MODULES)
    assert {f"gh_ops.{name}.settings" for name in CAPABILITY_NAMES} <= set(PURE_MODULES)


def test_cli_is_thin() -> None:
    lines = (PACKAGE_DIR / "cli.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, len(lines)


def _words_outside_docstrings(path: Path) -> set[str]:
    """The identifiers and string constants of a module, docstrings aside, as lower-case words."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.add(node.value)
    return {w for text in words for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()}


# Every top-level key of the config file a capability owns, e.g. onboarding (people's).
SECTION_KEYS = frozenset(key for section in sections() for key in section.keys)


def test_config_holds_no_capability_data() -> None:
    words = _words_outside_docstrings(PACKAGE_DIR / "config.py")
    assert sorted(words & (SECTION_KEYS | CAPABILITY_NAMES)) == []


def test_the_capability_check_sees_a_capability_named_in_the_core() -> None:
    # Guards the check above: the sections module names the capabilities.
    words = _words_outside_docstrings(PACKAGE_DIR / "registry.py")
    assert {"sprint", "rfc"} <= words
    assert {"onboarding", "people"} <= SECTION_KEYS


def test_each_config_key_is_owned_once() -> None:
    owners: dict[str, str] = {}
    for package, section in zip(PACKAGES, sections(), strict=True):
        for key in section.keys:
            assert key not in owners, f"{key} is claimed by {owners[key]} and {package}"
            owners[key] = package
        assert set(section.schema) == set(section.keys), package


# --- offline commands never load the HTTP stack -----------------------------------------------------

OFFLINE_COMMANDS = {
    "--help": ["--help"],
    "validate": ["validate"],
    "preview sprint": ["preview", "sprint"],
    "preview onboarding": ["preview", "onboarding"],
    "preview offboarding": ["preview", "offboarding"],
    "rfc new": ["rfc", "new", "Adopt Postgres 17", "--dry-run"],
    "rfc lint": ["rfc", "lint", "2026-11-20-adopt-postgres-17.md"],
}
# Files an offline command reads, written into its working directory first.
OFFLINE_FILES = {
    "rfc lint": {
        "2026-11-20-adopt-postgres-17.md": (
            "# RFC: Adopt Postgres 17\n\n## Decision to be made\n\nAdopt it?\n\n## Decision maker\n\n"
            "@alice\n\n## Decision date\n\n2026-11-27\n\n## Feedback wanted from\n\n- @bob (required)\n\n"
            "## Problem\n\nOld.\n\n## Recommendation\n\nYes.\n\n## Context\n\nNone.\n"
        )
    },
}


def imported_at_run_time(args: list[str], cwd: Path) -> set[str]:
    """Every module `python -X importtime -m gh_ops ARGS` imported (its stderr lists each one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gh_ops", "--now", "2026-11-20", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("command", list(OFFLINE_COMMANDS))
def test_offline_commands_import_no_http_stack(command: str, tmp_path: Path) -> None:
    for name, text in OFFLINE_FILES.get(command, {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    modules = imported_at_run_time(OFFLINE_COMMANDS[command], tmp_path)
    assert "gh_ops.cli" in modules  # the measurement saw gh-ops start
    assert sorted(m for m in modules if top_level(m) in HTTP_STACK) == []
    if command == "--help":
        assert sorted(m for m in modules if top_level(m) in HEAVY_LIBRARIES) == []


def test_the_measurement_sees_the_http_stack_when_it_is_loaded(tmp_path: Path) -> None:
    # Guards the test above: a command that talks to GitHub loads PyGithub and requests.
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/gh-ops.yml").write_text("teams: {}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gh_ops", "--dry-run", "priority", "triage"],
        cwd=tmp_path,
        env={**env, "GITHUB_REPOSITORY": "acme/widgets", "GITHUB_API_URL": "http://127.0.0.1:9"},
        capture_output=True,
        text=True,
        check=False,
    )
    modules = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert {"github", "requests", "urllib3"} <= modules, result.stderr[-2000:]


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
