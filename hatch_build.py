"""Hatch build hook: records in the wheel the repository and commit gh-ops was built from
(gh_ops/_build_info.py), so `gh-ops --version` can name the commit and a generated workflow can pin
`uses: OWNER/gh-ops@<commit>`. From GITHUB_REPOSITORY and GITHUB_SHA when building in Actions, else
from git (HEAD and the origin remote); nothing is recorded when either is unknown, nor in an
editable install (gh_ops.build_info() then returns None)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "gh_ops/_build_info.py"
# scheme://user@host:port/OWNER/NAME.git or user@host:OWNER/NAME.git (a local path has no host)
_REMOTE = re.compile(
    r"^(?:[a-z][a-z+]*://)?(?:[^@/\s]+@)?[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]+)?[:/]"
    r"([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
_REPOSITORY = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def repository_of_remote(url: str) -> str | None:
    """OWNER/NAME of a remote URL (https://github.com/o/n.git, git@github.com:o/n.git), or None."""
    found = _REMOTE.search(url.strip())
    return f"{found.group(1)}/{found.group(2)}" if found else None


def _git(root: str, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def source_of_build(root: str, environ: dict[str, str]) -> tuple[str, str] | None:
    """(OWNER/NAME, full commit sha) this build comes from, or None when either is unknown."""
    repository, commit = environ.get("GITHUB_REPOSITORY"), environ.get("GITHUB_SHA")
    if not (repository and commit):
        commit = _git(root, "rev-parse", "HEAD")
        remote = _git(root, "remote", "get-url", "origin")
        repository = repository_of_remote(remote) if remote else None
    if repository and commit and _COMMIT.match(commit) and _REPOSITORY.match(repository):
        return repository, commit
    return None


class BuildInfoHook(BuildHookInterface):  # type: ignore[misc]  # hatchling ships no types
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        found = source_of_build(self.root, dict(os.environ))
        if found is None:
            return
        self._folder = tempfile.TemporaryDirectory()
        path = Path(self._folder.name) / "_build_info.py"
        path.write_text(
            '"""Where this gh-ops was built from (written by hatch_build.py)."""\n\n'
            f"REPOSITORY = {found[0]!r}\nCOMMIT = {found[1]!r}\n",
            encoding="utf-8",
        )
        build_data["force_include"][str(path)] = TARGET

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()
