"""gh-ops: a company's working agreements, run as GitHub automation."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

__version__ = "0.1.0"

_FULL_SHA = re.compile(r"[0-9a-f]{40}")


def build_info() -> tuple[str, str] | None:
    """(OWNER/NAME, full commit sha) this gh-ops was built from, recorded in the wheel by
    hatch_build.py, or, when it runs as the Action from a checkout of a full commit sha (as
    `gh-ops init` pins it), that checkout's; None when not known (an editable install, a build
    outside git, an Action pinned to a tag)."""
    import importlib

    try:
        recorded = importlib.import_module("gh_ops._build_info")
    except ImportError:
        found = action_source()
        return found if found is not None and _FULL_SHA.fullmatch(found[1]) else None
    repository, commit = getattr(recorded, "REPOSITORY", None), getattr(recorded, "COMMIT", None)
    if isinstance(repository, str) and isinstance(commit, str):
        return repository, commit
    return None


def action_source(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(OWNER/NAME, ref) of the Action checkout this gh-ops is imported from, as the runner names
    it (the ref is what the workflow's `uses:` says: a full sha, a tag or a branch); for a local
    action (`uses: ./`), the workflow's repository and commit. None when gh-ops is not running from
    the checkout GITHUB_ACTION_PATH names (e.g. pip-installed, or inside another action)."""
    environ = os.environ if environ is None else environ
    action_path = environ.get("GITHUB_ACTION_PATH")
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    if not action_path or os.path.realpath(action_path) != here:
        return None
    for repository, ref in (
        (environ.get("GITHUB_ACTION_REPOSITORY"), environ.get("GITHUB_ACTION_REF")),
        (environ.get("GITHUB_REPOSITORY"), environ.get("GITHUB_SHA")),
    ):
        if repository and ref:
            return repository, ref
    return None


def version_text() -> str:
    """What `gh-ops --version` prints after the name, and the Action's first log line after
    `gh-ops`: the version and, when known, the repository and commit (or the Action's ref)."""
    found = build_info() or action_source()
    return __version__ if found is None else f"{__version__} ({found[0]}@{found[1]})"
