"""The repository and commit a wheel is built from: recorded by hatch_build.py, read by
gh_ops.build_info(), shown by `gh-ops --version`."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import gh_ops

ROOT = Path(__file__).resolve().parent.parent
SHA = "0123456789abcdef0123456789abcdef01234567"


def hook_module() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_wheel_records_the_repository_and_commit_it_is_built_from(tmp_path: Path) -> None:
    environ = {**os.environ, "GITHUB_REPOSITORY": "acme/gh-ops", "GITHUB_SHA": SHA}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q"]
        + ["--no-index", "-w", str(tmp_path)],
        check=True,
        env=environ,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("gh_ops-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        recorded = archive.read("gh_ops/_build_info.py").decode("utf-8")
    namespace: dict[str, object] = {}
    exec(recorded, namespace)  # noqa: S102 - the file the build wrote, read back
    assert (namespace["REPOSITORY"], namespace["COMMIT"]) == ("acme/gh-ops", SHA)
    assert not (ROOT / "gh_ops" / "_build_info.py").exists()  # the source tree is left as it was


def test_outside_actions_the_hook_reads_git(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    git("init", "-q")
    (tmp_path / "f").write_text("x", encoding="utf-8")
    git("add", "f")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "c")
    hook = hook_module()
    assert hook.source_of_build(str(tmp_path), {}) is None  # no origin: nothing is recorded
    git("remote", "add", "origin", "git@github.com:acme/gh-ops.git")
    assert hook.source_of_build(str(tmp_path), {}) == ("acme/gh-ops", git("rev-parse", "HEAD"))
    # in Actions, what the run checked out wins
    assert hook.source_of_build(str(tmp_path), {"GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": SHA}) == (
        "o/r",
        SHA,
    )


@pytest.mark.parametrize(
    ("url", "repository"),
    [
        ("https://github.com/acme/gh-ops.git", "acme/gh-ops"),
        ("https://github.com/acme/gh-ops", "acme/gh-ops"),
        ("git@github.com:acme/gh-ops.git", "acme/gh-ops"),
        ("ssh://git@github.example.com/acme/gh.ops/", "acme/gh.ops"),
        ("/srv/git", None),
    ],
)
def test_the_repository_of_a_remote(url: str, repository: str | None) -> None:
    assert hook_module().repository_of_remote(url) == repository


def test_without_a_record_build_info_is_none_and_version_is_the_version() -> None:
    assert gh_ops.build_info() is None  # an editable install
    assert gh_ops.version_text() == gh_ops.__version__
    result = CliRunner().invoke(__import__("gh_ops.cli", fromlist=["main"]).main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"gh-ops, version {gh_ops.__version__}\n"


def test_with_a_record_version_names_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = types.ModuleType("gh_ops._build_info")
    recorded.REPOSITORY = "acme/gh-ops"  # type: ignore[attr-defined]
    recorded.COMMIT = SHA  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gh_ops._build_info", recorded)
    assert gh_ops.build_info() == ("acme/gh-ops", SHA)
    assert gh_ops.version_text() == f"{gh_ops.__version__} (acme/gh-ops@{SHA})"
