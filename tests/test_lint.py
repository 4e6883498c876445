"""The code stays lint-clean, formatted and type-checked (ruff and mypy, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["gh_ops", "tests", "benchmarks"]


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert found, "ruff is missing: pip install -e '.[test]'"
    return [found]


def test_ruff_check_finds_nothing() -> None:
    result = subprocess.run([*_ruff(), "check", *PATHS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = subprocess.run([*_ruff(), "format", "--check", *PATHS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, "run `ruff format gh_ops tests benchmarks`:\n" + result.stdout


def test_mypy_finds_no_type_error() -> None:
    # Settings (check_untyped_defs, disallow_incomplete_defs, warn_unused_ignores) and the files it
    # checks (gh_ops/) live in pyproject.toml, so `mypy` on its own checks the same.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found"), result.stdout


def test_mypy_is_configured_strictly_enough() -> None:
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]
    assert settings["files"] == ["gh_ops"]
    for flag in ("check_untyped_defs", "disallow_incomplete_defs", "warn_unused_ignores"):
        assert settings[flag] is True, flag


def test_linters_are_pinned_to_the_installed_versions() -> None:
    # A new ruff or zizmor release adds rules; unpinned, CI could turn red on an unchanged commit.
    import tomllib
    from importlib.metadata import version

    test_extra = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]["test"]
    for linter in ("ruff", "zizmor", "mypy"):
        pins = [req for req in test_extra if req.startswith(f"{linter}==")]
        assert pins == [f"{linter}=={version(linter)}"], (linter, test_extra)
