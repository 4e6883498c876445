"""Which gh-ops runs, as `gh-ops --version` and the Action's first log line say it: from the wheel's
record of its commit, or, run as the Action, from the checkout GitHub made of it (GITHUB_ACTION_PATH,
GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF)."""

from __future__ import annotations

from pathlib import Path

import pytest

import gh_ops

ROOT = Path(__file__).resolve().parent.parent
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("environ", "build_info", "version"),
    [
        # pinned by full sha, as `gh-ops init` writes it: the commit is known
        (
            {"GITHUB_ACTION_REPOSITORY": "acme/gh-ops", "GITHUB_ACTION_REF": SHA},
            ("acme/gh-ops", SHA),
            f"(acme/gh-ops@{SHA})",
        ),
        # pinned by tag: the ref is said, but it is no commit (init must not pin to it)
        ({"GITHUB_ACTION_REPOSITORY": "acme/gh-ops", "GITHUB_ACTION_REF": "v1"}, None, "(acme/gh-ops@v1)"),
        # a local action (uses: ./): the workflow's own repository and commit
        (
            {"GITHUB_REPOSITORY": "acme/widgets", "GITHUB_SHA": SHA},
            ("acme/widgets", SHA),
            f"(acme/widgets@{SHA})",
        ),
    ],
    ids=["sha", "tag", "local"],
)
def test_as_the_action_the_version_names_the_checkout(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], build_info: object, version: str
) -> None:
    for name in ("GITHUB_ACTION_REPOSITORY", "GITHUB_ACTION_REF", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_ACTION_PATH", str(ROOT))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert gh_ops.build_info() == build_info
    assert gh_ops.version_text() == f"{gh_ops.__version__} {version}"


def test_inside_another_action_the_version_names_no_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    # gh-ops pip-installed and run by some other action: that action's ref is not gh-ops'.
    monkeypatch.setenv("GITHUB_ACTION_PATH", str(ROOT / "tests"))
    monkeypatch.setenv("GITHUB_ACTION_REPOSITORY", "someone/else")
    monkeypatch.setenv("GITHUB_ACTION_REF", SHA)
    assert gh_ops.build_info() is None
    assert gh_ops.version_text() == gh_ops.__version__
