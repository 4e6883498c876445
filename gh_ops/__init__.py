"""gh-ops: a company's working agreements, run as GitHub automation."""

from __future__ import annotations

__version__ = "0.1.0"


def build_info() -> tuple[str, str] | None:
    """(OWNER/NAME, full commit sha) this gh-ops was built from, recorded in the wheel by
    hatch_build.py; None when not known (an editable install, or a build outside git)."""
    import importlib

    try:
        recorded = importlib.import_module("gh_ops._build_info")
    except ImportError:
        return None
    repository, commit = getattr(recorded, "REPOSITORY", None), getattr(recorded, "COMMIT", None)
    if isinstance(repository, str) and isinstance(commit, str):
        return repository, commit
    return None


def version_text() -> str:
    """What `gh-ops --version` prints after the name: the version and, when known, the commit."""
    found = build_info()
    return __version__ if found is None else f"{__version__} ({found[0]}@{found[1]})"
