"""`gh-ops rfc new`: a new RFC document from the template, written locally, never over another file."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gh_ops.cli import main
from gh_ops.config import embedded_example_text, parse_config
from gh_ops.rfc.document import parse_sections
from gh_ops.rfc.rules import MALFORMED, REQUIRED_SECTIONS, VALID, check_rfc

pytestmark = pytest.mark.usefixtures("no_wall_clock")

NOW = "2026-11-20"  # a Friday; the embedded example's timezone is Europe/London
TITLE = "Move the docs site to the monorepo"
DEFAULT_PATH = Path("requests-for-comments/2026-11-20-move-the-docs-site-to-the-monorepo.md")
OPENED = datetime(2026, 11, 20, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder: no .github/gh-ops.yml, so the embedded example config applies."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rfc_new(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "rfc", "new", *args])


def fill(document: str) -> str:
    """Replace the template's prompts as an author would."""
    answers = iter(
        [
            "Do we move the docs site into the monorepo?",
            "- @bob (required)\n- @carol (optional)",
            "Docs changes need two pull requests in two repositories.",
            "Move it, keeping its own deploy job.",
            "The docs site has 40 pages and one deploy job.",
        ]
    )
    return re.sub(r"^_.*_$", lambda _: next(answers), document, flags=re.M)


def test_writes_the_document_at_the_default_path(workdir: Path) -> None:
    result = rfc_new(TITLE)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DEFAULT_PATH}\n"
    document = (workdir / DEFAULT_PATH).read_text("utf-8")
    assert document.startswith(f"# RFC: {TITLE}\n\n")
    assert "{{" not in document and "{%" not in document
    # The default decision date: today + max_decision_days (7) in the config's timezone.
    assert "## Decision date\n\n2026-11-27 (Friday)\n" in document
    assert "using the embedded example config" in result.stderr


def test_the_title_may_carry_the_prefix(workdir: Path) -> None:
    result = rfc_new(f"rfc: {TITLE}")
    assert result.exit_code == 0, result.output
    assert (workdir / DEFAULT_PATH).read_text("utf-8").startswith(f"# RFC: {TITLE}\n")


def test_the_date_in_the_path_is_today_in_the_config_timezone(workdir: Path) -> None:
    # 23:30 UTC on 20 November is still the 20th in London, but in Tokyo it is the 21st.
    (workdir / "tokyo.yml").write_text(embedded_example_text().replace("Europe/London", "Asia/Tokyo"))
    result = CliRunner().invoke(
        main, ["--now", "2026-11-20T23:30:00Z", "--config", "tokyo.yml", "rfc", "new", TITLE]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "requests-for-comments/2026-11-21-move-the-docs-site-to-the-monorepo.md"
    assert "## Decision date\n\n2026-11-28 (Saturday)\n" in Path(result.stdout.strip()).read_text("utf-8")


def test_decider_and_date_appear_in_the_document(workdir: Path) -> None:
    result = rfc_new(TITLE, "--decider", "@alice", "--by", "2026-11-25")
    assert result.exit_code == 0, result.output
    document = (workdir / DEFAULT_PATH).read_text("utf-8")
    assert "## Decision maker\n\n@alice\n\n## Decision date\n\n2026-11-25 (Wednesday)\n" in document
    sections = parse_sections(document, parse_config(embedded_example_text(), "x", base_dir=None))
    assert sections["decision_maker"].text == "@alice"


def test_out_writes_there_and_creates_folders(workdir: Path) -> None:
    result = rfc_new(TITLE, "--out", "docs/decisions/docs-site.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == "docs/decisions/docs-site.md\n"
    assert (workdir / "docs/decisions/docs-site.md").read_text("utf-8").startswith(f"# RFC: {TITLE}\n")
    assert not (workdir / "requests-for-comments").exists()


@pytest.mark.parametrize("out", [None, "mine.md"])
def test_an_existing_file_is_never_overwritten(workdir: Path, out: str | None) -> None:
    target = workdir / (out or DEFAULT_PATH)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("my draft\n")
    result = rfc_new(TITLE, *(["--out", out] if out else []))
    assert result.exit_code == 2, result.output
    assert "already exists" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_text() == "my draft\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--by", "27/11/2026"], "expected a date written YYYY-MM-DD"),
        (["--by", "2026-11-31"], "is not a real calendar date"),
        (["--by", "next week"], "expected a date written YYYY-MM-DD"),
        (["--by", "2026-11-19"], "is in the past"),
        (["--decider", "acme/docs"], "is a team"),
        (["--decider", "alice smith"], "is not a GitHub login"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(workdir: Path, args: list[str], says: str) -> None:
    result = rfc_new(TITLE, *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert not (workdir / "requests-for-comments").exists()


def test_an_empty_title_is_refused(workdir: Path) -> None:
    result = rfc_new("RFC:  ")
    assert result.exit_code == 2
    assert "the title is empty" in result.stderr


def test_a_far_decision_date_is_written_with_a_warning(workdir: Path) -> None:
    result = rfc_new(TITLE, "--by", "2026-12-04")
    assert result.exit_code == 0, result.output
    assert "warning: --by 2026-12-04 is more than 7 days away" in result.stderr
    assert "2026-12-04 (Friday)" in (workdir / DEFAULT_PATH).read_text("utf-8")


def test_dry_run_prints_the_document_and_writes_nothing(workdir: Path) -> None:
    result = rfc_new(TITLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# RFC: {TITLE}\n")
    assert f"dry run: would write {DEFAULT_PATH}" in result.stderr
    assert not (workdir / "requests-for-comments").exists()


# --- the document and the rules ----------------------------------------------------------------


def test_the_new_document_lacks_only_what_the_author_must_write(workdir: Path) -> None:
    cfg = parse_config(embedded_example_text(), "x", base_dir=None)
    rfc_new(TITLE, "--decider", "alice")
    document = (workdir / DEFAULT_PATH).read_text("utf-8")
    report = check_rfc(f"RFC: {TITLE}", document, OPENED, OPENED, cfg)
    assert report.status == MALFORMED
    assert [(p.code, p.section) for p in report.problems] == [
        ("section-empty", "decision_to_make"),
        ("section-empty", "feedback"),
        ("section-empty", "problem"),
        ("section-empty", "recommendation"),
        ("section-empty", "context"),
    ]
    assert set(parse_sections(document, cfg)) == {*REQUIRED_SECTIONS, "decision"}


def test_the_new_document_filled_in_is_a_valid_rfc(workdir: Path) -> None:
    cfg = parse_config(embedded_example_text(), "x", base_dir=None)
    rfc_new(TITLE, "--decider", "alice")
    document = fill((workdir / DEFAULT_PATH).read_text("utf-8"))
    report = check_rfc(f"RFC: {TITLE}", document, OPENED, OPENED, cfg)
    assert report.problems == ()
    assert report.status == VALID
    assert report.decider == "alice"
    assert report.days_after_opening == 7
    assert [(f.login, f.required) for f in report.feedback] == [("bob", True), ("carol", False)]
    assert not report.decided  # the Decision section waits, empty, for the decision maker
    merged = check_rfc(f"RFC: {TITLE}", document, OPENED, OPENED, cfg, merged=True)
    assert [p.code for p in merged.problems] == ["decision-not-recorded"]


def test_without_decider_the_decision_maker_is_a_prompt(workdir: Path) -> None:
    cfg = parse_config(embedded_example_text(), "x", base_dir=None)
    rfc_new(TITLE)
    document = (workdir / DEFAULT_PATH).read_text("utf-8")
    assert parse_sections(document, cfg)["decision_maker"].empty
    report = check_rfc(f"RFC: {TITLE}", document, OPENED, OPENED, cfg)
    assert ("section-empty", "decision_maker") in [(p.code, p.section) for p in report.problems]


# --- configuration -----------------------------------------------------------------------------

CONFIG = """\
timezone: UTC
templates_dir: templates
rfc:
  folder: docs/decisions
  max_decision_days: 3
  template: decision.md
"""

CUSTOM_TEMPLATE = """\
---
title: "{{ rfc.prefix }} {{ rfc.title }}"
---
## What is being decided
_Prompt._
## Who decides
{{ rfc.decider | mention }}
## Deadline
{{ rfc.decision_date | date('%-d %B %Y') }}
## Feedback from
## Problem
## Proposal
## Background
## Outcome
"""


def write_config(workdir: Path, text: str = CONFIG, template: str | None = CUSTOM_TEMPLATE) -> None:
    (workdir / ".github/templates").mkdir(parents=True)
    (workdir / ".github/gh-ops.yml").write_text(text)
    if template is not None:
        (workdir / ".github/templates/decision.md").write_text(template)


def test_the_config_sets_folder_limit_and_template(workdir: Path) -> None:
    write_config(workdir)
    result = rfc_new(TITLE, "--decider", "dave")
    assert result.exit_code == 0, result.output
    path = workdir / "docs/decisions/2026-11-20-move-the-docs-site-to-the-monorepo.md"
    assert result.stdout == f"{path.relative_to(workdir)}\n"
    document = path.read_text("utf-8")
    assert "## Who decides\n@dave\n## Deadline\n23 November 2026\n" in document
    assert "embedded" not in result.stderr


def test_a_missing_template_is_exit_2(workdir: Path) -> None:
    write_config(workdir, template=None)
    result = rfc_new(TITLE)
    assert result.exit_code == 2
    assert "template 'decision.md' not found" in result.stderr
    assert not (workdir / "docs").exists()


def test_validate_renders_the_rfc_template(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 0, result.output
    assert "rfc: template rfc.md rendered" in result.stdout


def test_validate_reports_an_rfc_template_without_a_section(workdir: Path) -> None:
    write_config(workdir, template=CUSTOM_TEMPLATE.replace("## Background\n", ""))
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 2, result.output
    line = CONFIG.splitlines().index("  template: decision.md") + 1
    assert (
        f".github/gh-ops.yml:{line} (rfc.template): the RFC template decision.md has no heading for: Context"
        in result.stderr
    )


def test_a_title_too_long_for_a_pull_request_is_refused() -> None:
    fits = "x" * (256 - len("RFC: "))
    assert rfc_new(fits, "--dry-run").exit_code == 0
    result = rfc_new(fits + "y")
    assert result.exit_code == 2
    assert "the title has 252 characters; after the prefix 'RFC:' a pull request title has room for 251" in (
        result.stderr
    )


def test_validate_renders_the_rfc_template_with_the_longest_title_too(workdir: Path) -> None:
    # Fits with the sample title; with the longest one `rfc new` takes, the decider does not fit.
    write_config(
        workdir, template=CUSTOM_TEMPLATE.replace("{{ rfc.title }}", "{{ rfc.title }} ({{ rfc.decider }})")
    )
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 2, result.output
    assert ".github/templates/decision.md:2: the title renders to 298 characters" in result.stderr
