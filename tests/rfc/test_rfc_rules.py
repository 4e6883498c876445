"""The RFC rules without GitHub: detection, sections, placeholders, decider, dates, feedback, reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fakegithub import load_payload

from gh_ops.config import Config, embedded_example_text, parse_config
from gh_ops.errors import UsageError
from gh_ops.rfc.document import feedback_people, is_placeholder, parse_decision_date, parse_sections
from gh_ops.rfc.rules import (
    DECIDED,
    MALFORMED,
    OVERDUE,
    PROBLEM_CODES,
    REQUIRED_SECTIONS,
    VALID,
    RfcProblem,
    check_rfc,
    decision_maker,
    default_path,
    is_rfc,
    plan_new,
    slug,
)
from gh_ops.rfc.settings import RfcSettings

# A real pull_request.opened payload: its title, body and created_at are the inputs below.
OPENED_PR = load_payload("pull_request.opened")["pull_request"]
PR_TITLE = OPENED_PR["title"]  # "Update the README with new information."
PR_TEXT = OPENED_PR["body"]  # "This is a pretty simple change that we need to pull into master."
OPENED = datetime.fromisoformat(OPENED_PR["created_at"])  # 2019-05-15 15:20:33 UTC, 16:20 in London
OPENED_DAY = date(2019, 5, 15)
SOON_AFTER = OPENED + timedelta(hours=2)
LONDON = ZoneInfo("Europe/London")

RFC_TITLE = f"RFC: {PR_TITLE}"
SECTIONS = {
    "Decision to be made": "Do we keep the install steps in the README, or link to the docs site?",
    "Decision maker": "@Codertocat",
    "Decision date": "2019-05-20",
    "Feedback wanted from": "- @octocat (required)\n- @hubot (optional)",
    "Problem": PR_TEXT,
    "Recommendation": "Link to the docs site and keep one copy of the steps.",
    "Context": "The README and the docs site have drifted apart twice this year.",
}


@pytest.fixture(scope="module")
def cfg() -> Config:
    # The shipped example: timezone Europe/London, no rfc section, so every rfc default.
    return parse_config(embedded_example_text(), ".github/gh-ops.yml", base_dir=None)


def config_with(extra: str) -> Config:
    return parse_config(embedded_example_text() + extra, ".github/gh-ops.yml", base_dir=None)


def rfc_body(level: int = 2, **changes: str | None) -> str:
    """A filled RFC body; a keyword (spaces as underscores) replaces a section, None leaves it out."""
    sections: dict[str, str | None] = dict(SECTIONS)
    for key, value in changes.items():
        sections[key.replace("_", " ")] = value
    hashes = "#" * level
    return "\n\n".join(
        f"{hashes} {heading}\n\n{text}" for heading, text in sections.items() if text is not None
    )


def pr(**fields: Any) -> dict[str, Any]:
    """The opened payload's pull request, as an RFC: title prefixed and a filled body."""
    data = load_payload("pull_request.opened")["pull_request"]
    data.update(title=RFC_TITLE, body=rfc_body())
    data.update(fields)
    return data


def check(cfg: Config, *, now: datetime = SOON_AFTER, merged: bool = False, **fields: Any) -> Any:
    data = pr(**fields)
    opened = datetime.fromisoformat(data["created_at"])
    return check_rfc(data["title"], data["body"], opened, now, cfg, merged=merged)


def codes(report: Any) -> list[str]:
    assert {p.code for p in report.problems} <= set(PROBLEM_CODES)
    return [p.code for p in report.problems]


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", [RFC_TITLE, f"rfc: {PR_TITLE}", f"Rfc:{PR_TITLE}", f"  RFC: {PR_TITLE}", "RFC:"]
)
def test_an_rfc_by_its_title_in_any_case(cfg: Config, title: str) -> None:
    assert is_rfc(title, [], [], cfg) is True
    assert is_rfc(title, [], None, cfg) is True


@pytest.mark.parametrize("title", [PR_TITLE, f"RFC {PR_TITLE}", f"[RFC] {PR_TITLE}", f"Re: RFC: {PR_TITLE}"])
def test_other_titles_are_not_rfcs(cfg: Config, title: str) -> None:
    assert is_rfc(title, [], [], cfg) is False


def test_an_rfc_by_its_label(cfg: Config) -> None:
    label = load_payload("issues.labeled")["label"]
    labels = [{**label, "name": "RFC"}, {**label, "name": "bug"}]
    assert is_rfc(PR_TITLE, [lb["name"] for lb in labels], [], cfg) is True
    assert is_rfc(PR_TITLE, ["bug", "rfc-later"], [], cfg) is False


def test_an_rfc_by_its_files(cfg: Config) -> None:
    assert is_rfc(PR_TITLE, [], ["README.md", "requests-for-comments/2019-05-15-readme.md"], cfg) is True
    assert is_rfc(PR_TITLE, [], ["requests-for-comments/img/flow.png"], cfg) is True
    assert is_rfc(PR_TITLE, [], ["README.md", "docs/requests-for-comments/x.md"], cfg) is False
    assert is_rfc(PR_TITLE, [], ["requests-for-comments-old/x.md"], cfg) is False
    # Editing the folder's own README is not proposing a decision.
    assert is_rfc(PR_TITLE, [], ["requests-for-comments/README.md"], cfg) is False


def test_unknown_files_leave_the_answer_open(cfg: Config) -> None:
    assert is_rfc(PR_TITLE, [], None, cfg) is None
    assert is_rfc(PR_TITLE, ["rfc"], None, cfg) is True


def test_detection_follows_the_config() -> None:
    custom = config_with("rfc:\n  title_prefix: 'Decision:'\n  label: decide\n  folder: docs/decisions\n")
    assert is_rfc("decision: pick a logo", [], None, custom) is True
    assert is_rfc(RFC_TITLE, ["rfc"], ["requests-for-comments/a.md"], custom) is False
    assert is_rfc(PR_TITLE, ["Decide"], None, custom) is True
    assert is_rfc(PR_TITLE, [], ["docs/decisions/logo.md"], custom) is True


# --- the report on a good RFC ------------------------------------------------------------------


def test_a_filled_rfc_is_valid_with_its_facts(cfg: Config) -> None:
    report = check(cfg)
    assert report.problems == ()
    assert report.status == VALID and report.ok
    assert report.title == PR_TITLE
    assert report.decider == "Codertocat"
    assert report.decision_date == datetime(2019, 5, 20, 23, 59, 59, 999999, tzinfo=LONDON)
    assert report.days_after_opening == 5
    assert [(f.login, f.required) for f in report.feedback] == [("octocat", True), ("hubot", False)]
    assert not report.decided and not report.overdue
    assert set(report.sections) == set(REQUIRED_SECTIONS)
    assert report.sections["problem"].text == PR_TEXT


# --- sections ----------------------------------------------------------------------------------


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_each_missing_section_is_a_problem(cfg: Config, heading: str) -> None:
    report = check(cfg, body=rfc_body(**{heading.replace(" ", "_"): None}))
    assert report.status == MALFORMED
    assert codes(report) == ["section-missing"]
    problem = report.problems[0]
    assert heading in problem.message
    assert f"## {heading}" in problem.fix
    assert problem.line is None


@pytest.mark.parametrize("heading", list(SECTIONS))
@pytest.mark.parametrize("empty", ["", "   \n\n", "TBD", "<!-- write something -->", "_Say what this is._"])
def test_each_empty_section_is_a_problem(cfg: Config, heading: str, empty: str) -> None:
    body = rfc_body(**{heading.replace(" ", "_"): empty})
    report = check(cfg, body=body)
    assert codes(report) == ["section-empty"]
    problem = report.problems[0]
    assert problem.section in REQUIRED_SECTIONS
    assert body.splitlines()[problem.line - 1] == f"## {heading}"


def test_every_problem_is_listed_at_once(cfg: Config) -> None:
    report = check(cfg, body=f"{PR_TEXT}\n\n## Problem\n\nTBD\n", title="RFC: ")
    assert (
        codes(report)
        == ["title-empty"] + ["section-missing"] * 4 + ["section-empty"] + ["section-missing"] * 2
    )
    assert [p.section for p in report.problems[1:]] == list(REQUIRED_SECTIONS)
    assert all(p.message and p.fix for p in report.problems)


ALIASES = {
    "decision_to_make": ["What is being decided?", "The decision"],
    "decision_maker": ["Who decides", "Decider", "Decided by"],
    "decision_date": ["Deadline", "Decide by", "When"],
    "feedback": ["Feedback from", "Reviewers"],
    "problem": ["The problem", "Motivation"],
    "recommendation": ["Proposal", "Proposed solution"],
    "context": ["Background", "Useful context"],
}


@pytest.mark.parametrize(("sid", "heading"), [(sid, h) for sid, hs in ALIASES.items() for h in hs])
def test_headings_have_aliases(cfg: Config, sid: str, heading: str) -> None:
    canonical = cfg.section(RfcSettings).sections[sid][0]
    body = rfc_body().replace(f"## {canonical}\n", f"## {heading}\n")
    assert f"## {heading}\n" in body
    sections = parse_sections(body, cfg)
    assert sections[sid].heading == heading
    assert check(cfg, body=body).status == VALID


@pytest.mark.parametrize(
    "written",
    [
        "## decision MAKER",
        "## Decision maker:",
        "## 👤 Decision maker",
        "## Decision maker 👤",
        "## 2. Decision maker",
        "## **Decision maker**",
        "# Decision maker",
        "#### Decision maker ####",
        "   ## Decision maker",
        "Decision maker\n--------------",
        "Decision maker\n===",
    ],
)
def test_headings_match_in_any_case_level_and_decoration(cfg: Config, written: str) -> None:
    sections = parse_sections(f"{written}\n\n@Codertocat\n\n# Problem\n\n{PR_TEXT}\n", cfg)
    assert sections["decision_maker"].text == "@Codertocat"
    assert sections["problem"].text == PR_TEXT


def test_a_configured_heading_is_recognised(cfg: Config) -> None:
    custom = config_with("rfc:\n  sections:\n    decision_date: [Timeline]\n")
    body = rfc_body().replace("## Decision date\n", "## Timeline\n")
    assert check(custom, body=body).status == VALID
    assert codes(check(cfg, body=body)) == ["section-missing"]


def test_a_section_runs_to_the_next_heading_of_its_level_or_higher(cfg: Config) -> None:
    body = (
        "# RFC: README\n\n## Context\n\nIntro.\n\n### History\n\nTwice this year.\n\n"
        "#### Details\n\nMore.\n\n## Problem\n\nDrift.\n\n# Appendix\n\nNot the problem.\n"
    )
    sections = parse_sections(body, cfg)
    assert sections["context"].text == "Intro.\n\n### History\n\nTwice this year.\n\n#### Details\n\nMore."
    assert sections["problem"].text == "Drift."
    assert sections["context"].line == 3 and sections["context"].level == 2


def test_headings_in_code_blocks_and_comments_do_not_count(cfg: Config) -> None:
    body = (
        "## Context\n\nA sample:\n\n```markdown\n## Problem\nnot a heading\n```\n\n~~~~\n# Problem\n~~~~\n\n"
        "<!--\n## Recommendation\n-->\n\n    ## Problem (indented code)\n"
    )
    sections = parse_sections(body, cfg)
    assert list(sections) == ["context"]
    assert "## Problem\nnot a heading" in sections["context"].text


def test_front_matter_is_not_a_heading(cfg: Config) -> None:
    body = "---\ntitle: Context\nstatus: draft\n---\n## Problem\n\nDrift.\n"
    assert list(parse_sections(body, cfg)) == ["problem"]


def test_the_first_filled_copy_of_a_section_counts(cfg: Config) -> None:
    body = rfc_body(Decision="<!-- later -->") + "\n\n## Decision\n\nWe link to the docs site.\n"
    assert parse_sections(body, cfg)["decision"].text == "We link to the docs site."
    body = "## Problem\n\nFirst.\n\n## Problem\n\nSecond.\n"
    assert parse_sections(body, cfg)["problem"].text == "First."


def test_windows_line_endings(cfg: Config) -> None:
    assert check(cfg, body=rfc_body().replace("\n", "\r\n")).status == VALID


# --- placeholders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<!-- What is being decided? -->",
        "<!--\nseveral\nlines\n-->",
        "TBD",
        "**TBD.**",
        "tbc",
        "TODO",
        "- [ ] TODO",
        "...",
        "…",
        "?",
        "-",
        "<your login>",
        "@login",
        "YYYY-MM-DD",
        "_The question to settle, in one or two sentences._",
        "*A prompt in asterisks.*",
        "_A prompt that runs\nover two lines._",
        "- _one prompt_\n- _another prompt_",
        "<!-- a comment -->\n\n_and a prompt of some words_\n\nTBD",
    ],
)
def test_placeholders_count_as_empty(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        PR_TEXT,
        "No.",
        "42",
        "_A prompt_\n\nAnd an answer under it.",
        "TBD: whether the docs site can host the install steps.",
        "**Bold** is content.",
        "@octocat",
        "_emphasis_ inside a sentence",
        "_Yes, we do._",  # a short answer in italics is still an answer
    ],
)
def test_real_text_is_not_a_placeholder(text: str) -> None:
    assert not is_placeholder(text)


def test_the_template_prompts_are_placeholders(cfg: Config) -> None:
    from gh_ops.render import default_templates_dir

    template = (default_templates_dir() / "rfc.md").read_text("utf-8")
    prompts = [line for line in template.splitlines() if line.startswith("_") and line.endswith("_")]
    assert len(prompts) >= 5
    for prompt in prompts:
        assert is_placeholder(prompt), prompt


# --- decision maker ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Codertocat", "Codertocat"),
        ("- @Codertocat", "Codertocat"),
        ("**@Codertocat** (owns the docs)", "Codertocat"),
        ("@Codertocat, who owns the docs. Ping @Codertocat with questions.", "Codertocat"),
        ("@octo-cat", "octo-cat"),
        ("_@login_\n\n@Codertocat", "Codertocat"),
        ("_@Codertocat_", "Codertocat"),
    ],
)
def test_one_decision_maker(text: str, expected: str) -> None:
    assert decision_maker(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "decision-maker-none"),
        ("Codertocat", "decision-maker-none"),
        ("codertocat@example.com", "decision-maker-none"),
        ("`@Codertocat`", "decision-maker-none"),
        ("@Codertocat and @octocat", "decision-maker-several"),
        ("- @Codertocat\n- @octocat\n- @hubot", "decision-maker-several"),
        ("@Codertocat/docs", "decision-maker-team"),
        ("@github/docs-team, led by @octocat", "decision-maker-team"),
    ],
)
def test_decision_maker_problems(text: str, code: str) -> None:
    found = decision_maker(text)
    assert isinstance(found, RfcProblem)
    assert found.code == code and found.section == "decision_maker"
    assert "@login" in found.fix


def test_decision_maker_problem_in_the_report(cfg: Config) -> None:
    body = rfc_body(Decision_maker="@Codertocat or @octocat")
    report = check(cfg, body=body)
    assert codes(report) == ["decision-maker-several"]
    assert report.decider is None
    assert body.splitlines()[report.problems[0].line - 1] == "## Decision maker"
    assert "@Codertocat, @octocat" in report.problems[0].message


# --- decision date -----------------------------------------------------------------------------

END_OF_1_DEC = datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=LONDON)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01",
        "1 December 2026",
        "1 Dec 2026",
        "Dec 1, 2026",
        "December 1 2026",
        "december 1, 2026",
        "1st December 2026",
        "Dec. 1, 2026",
        "Tuesday 1 December 2026",
        "**2026-12-01** (Tuesday)",
        "By 2026-12-01, sooner if everyone has answered.",
        "2026-12-01\n\n<!-- at most 7 days after opening -->",
        "<!-- not 2026-11-30 --> 2026-12-01",
        "_2026-12-01_",
    ],
)
def test_date_forms(text: str) -> None:
    assert parse_decision_date(text, "Europe/London") == END_OF_1_DEC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 17:00", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        ("2026-12-01 17:00 CET", datetime(2026, 12, 1, 17, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-12-01 17:00 CEST", datetime(2026, 12, 1, 17, tzinfo=timezone(timedelta(hours=2)))),
        ("2026-12-01 17:00 UTC", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 17:00 GMT", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 17:00 BST", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 PST", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("2026-12-01 17:00 PDT", datetime(2026, 12, 2, 0, tzinfo=UTC)),
        ("2026-12-01 17:00 EST", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 EDT", datetime(2026, 12, 1, 21, tzinfo=UTC)),
        ("2026-12-01 17:00 +01:00", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 -0530", datetime(2026, 12, 1, 22, 30, tzinfo=UTC)),
        ("2026-12-01 17:00 UTC+2", datetime(2026, 12, 1, 15, tzinfo=UTC)),
        ("2026-12-01T17:00:00Z", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01T17:00+01:00", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 (CET)", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 Europe/Paris", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 America/New_York", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 utc", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 9am", datetime(2026, 12, 1, 9, tzinfo=LONDON)),
        ("1 December 2026 17:00 CET", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("Dec 1, 2026 at 5pm PST", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("Dec 1, 2026, 9:30 a.m.", datetime(2026, 12, 1, 9, 30, tzinfo=LONDON)),
        ("2026-12-01 12am", datetime(2026, 12, 1, 0, tzinfo=LONDON)),
        ("2026-12-01 CET", datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-12-01 EOD", END_OF_1_DEC),  # not a zone: the date alone
        ("2026-12-01 17:00 at the latest", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        ("2026-12-01 5pm sharp", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        ("2026-12-01 17:00 (Tuesday)", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        # abbreviations, offsets and IANA names in any case, and names read to their end
        ("2026-12-01 17:00 cet", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 5pm pst", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("2026-12-01 17:00 utc+2", datetime(2026, 12, 1, 15, tzinfo=UTC)),
        ("2026-12-01 17:00 europe/paris", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 (america/new_york)", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 America/Port-au-Prince", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 America/Argentina/Buenos_Aires", datetime(2026, 12, 1, 20, tzinfo=UTC)),
        ("2026-12-01 17:00 Etc/GMT+12", datetime(2026, 12, 2, 5, tzinfo=UTC)),  # POSIX sign: UTC-12
        ("2026-12-01 17:00 etc/gmt-14", datetime(2026, 12, 1, 3, tzinfo=UTC)),
        ("2026-12-01T17:00:00.000Z", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 cet", datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-12-01 Europe/Paris", datetime(2026, 12, 1, 22, 59, 59, 999999, tzinfo=UTC)),
        # a zone after words such as `hrs`, `sharp` or `at the latest` is read, not dropped
        ("2026-12-01 17:00 hrs UTC", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 17:00 hrs. pst", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("2026-12-01 5pm sharp PST", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("2026-12-01 17:00 hours America/New_York", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 h EST", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 hours Japan", datetime(2026, 12, 1, 8, tzinfo=UTC)),
        ("2026-12-01 17:00 at the latest, CET", datetime(2026, 12, 1, 16, tzinfo=UTC)),
        ("2026-12-01 17:00 (Tuesday) utc+2", datetime(2026, 12, 1, 15, tzinfo=UTC)),
        ("2026-12-01 17:00 or earlier (+05:30)", datetime(2026, 12, 1, 11, 30, tzinfo=UTC)),
        # ... and prose after such words stays prose
        ("2026-12-01 17:00 or earlier", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        ("2026-12-01 5pm sharp, otherwise we slip", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        (
            "2026-12-01 17:00 at the latest so the Japan team can start",
            datetime(2026, 12, 1, 17, tzinfo=LONDON),
        ),
        ("2026-12-01 17:00 at the latest so that the RFC lands", datetime(2026, 12, 1, 17, tzinfo=LONDON)),
        # after a date alone, a zone is the end of that day there, whatever words come before it
        ("2026-12-01 +01:00", datetime(2026, 12, 1, 22, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 -0500", datetime(2026, 12, 2, 4, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 UTC+2", datetime(2026, 12, 1, 21, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 japan", datetime(2026, 12, 1, 14, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 america/new_york", datetime(2026, 12, 2, 4, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 EOD PST", datetime(2026, 12, 2, 7, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 end of day (Europe/Paris)", datetime(2026, 12, 1, 22, 59, 59, 999999, tzinfo=UTC)),
        # ... and harmless words leave it the end of the day in the given timezone
        ("2026-12-01 COB", END_OF_1_DEC),
        ("2026-12-01 end of day", END_OF_1_DEC),
        ("2026-12-01 (Tuesday)", END_OF_1_DEC),
        ("2026-12-01 at the latest", END_OF_1_DEC),
        ("2026-12-01 (TBC)", END_OF_1_DEC),
        ("2026-12-01 and/or 2026-12-08", END_OF_1_DEC),
        ("2026-12-01 +1 week if needed", END_OF_1_DEC),
        ("2026-12-01 London", END_OF_1_DEC),
        ("2026-12-01 (two weeks after the kickoff)", END_OF_1_DEC),
    ],
)
def test_times_and_zones(text: str, expected: datetime) -> None:
    assert parse_decision_date(text, "Europe/London") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 17:00 hrs UTC", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 17:00 HRS utc", datetime(2026, 12, 1, 17, tzinfo=UTC)),
        ("2026-12-01 5pm sharp PST", datetime(2026, 12, 2, 1, tzinfo=UTC)),
        ("2026-12-01 17:00 hours America/New_York", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 17:00 h EST", datetime(2026, 12, 1, 22, tzinfo=UTC)),
        ("2026-12-01 Z", datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2026-12-01 +00:00", datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_a_zone_is_not_left_for_the_config_timezone(text: str, expected: datetime) -> None:
    assert parse_decision_date(text, "Europe/Berlin") == expected


def test_a_date_alone_is_the_end_of_that_day_in_the_given_timezone() -> None:
    in_tokyo = parse_decision_date("2026-07-01", "Asia/Tokyo")
    assert in_tokyo == datetime(2026, 7, 1, 14, 59, 59, 999999, tzinfo=UTC)
    in_summer_london = parse_decision_date("2026-07-01", ZoneInfo("Europe/London"))
    assert in_summer_london == datetime(2026, 7, 1, 22, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "next Friday",
        "Dec 1",  # no year
        "01/12/2026",
        "2026-02-30",
        "31 June 2026",
        "2026-12-01 25:00",
        "2026-12-01 13pm",
        "2026-12-01 17:00 XYZ",  # an unknown zone is not silently ignored
        "2026-12-01 17:00 CST",  # ambiguous: China or the US
        "2026-12-01 17:00 +15:00",
        "2026-12-01 17:00 Mars/Olympus",
        "_YYYY-MM-DD_",
        # a word after the time that is not a zone is refused, never read in the config's timezone
        "2026-12-01 17:00 cst",
        "2026-12-01 17:00 (Pacific)",
        "2026-12-01 17:00 Pacific time",
        "2026-12-01 17:00 localtime",
        "2026-12-01 17:00 local time",
        "2026-12-01 17:00 London",
        "2026-12-01 17:00 Europe/Pariss",
        "2026-12-01 17:00 Etc/GMT+15",
        "2026-12-01 mars/olympus",
        # nor is a zone after words such as `hrs`, `sharp` or `at the latest`
        "2026-12-01 17:00 hrs cst",
        "2026-12-01 17:00 hrs London",
        "2026-12-01 17:00 hours Pacific",
        "2026-12-01 5pm sharp IST",
        "2026-12-01 17:00 h localtime",
        "2026-12-01 17:00 at the latest (Pacific)",
        "2026-12-01 17:00 at the latest, London time",
        "2026-12-01 17:00 sharp Europe/Pariss",
        "2026-12-01 17:00 hrs +15:00",
        # nor one after a date alone
        "2026-12-01 CST",
        "2026-12-01 IST",
        "2026-12-01 ist",
        "2026-12-01 Pacific",
        "2026-12-01 (Pacific)",
        "2026-12-01 localtime",
        "2026-12-01 local time",
        "2026-12-01 London time",
        "2026-12-01 XYZ",
        "2026-12-01 ET",
        "2026-12-01 EOD CST",
        "2026-12-01 +15:00",
    ],
)
def test_unreadable_dates(text: str) -> None:
    assert parse_decision_date(text, "Europe/London") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("soon", "no date found"),
        ("2026-02-30", "'2026-02-30' is not a real calendar date"),
        ("2026-12-01 17:00 CST", "unknown time zone 'CST'"),
        ("2026-12-01 17:00 cst", "unknown time zone 'cst'"),
        ("2026-12-01 17:00 (Pacific)", "unknown time zone 'Pacific'"),
        ("2026-12-01 17:00 localtime", "unknown time zone 'localtime'"),
        ("2026-12-01 17:00 hrs cst", "unknown time zone 'cst': it names more than one"),
        ("2026-12-01 5pm sharp (Pacific)", "unknown time zone 'Pacific'"),
        ("2026-12-01 CST", "unknown time zone 'CST': it names more than one"),
        ("2026-12-01 IST", "unknown time zone 'IST': it names more than one"),
        ("2026-12-01 (Pacific)", "unknown time zone 'Pacific'"),
        ("2026-12-01 localtime", "unknown time zone 'localtime'"),
        ("2026-12-01 +15:00", "+15:00 is not a time zone offset"),
    ],
)
def test_an_unreadable_date_in_the_report_says_why(cfg: Config, text: str, says: str) -> None:
    report = check(cfg, body=rfc_body(Decision_date=text))
    assert codes(report) == ["decision-date-unreadable"]
    assert says in report.problems[0].message
    assert "2026-12-01" in report.problems[0].fix
    assert report.decision_date is None


# Opened 2019-05-15 15:20:33 UTC: 16:20 that Wednesday in London, so day 0 is 15 May.
@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("2019-05-15", 0),
        ("15 May 2019 17:00", 0),
        ("2019-05-16", 1),
        ("2019-05-22", 7),
        ("May 22, 2019 23:30", 7),
    ],
)
def test_decision_dates_up_to_the_limit(cfg: Config, written: str, days: int) -> None:
    report = check(cfg, body=rfc_body(Decision_date=written))
    assert report.problems == ()
    assert report.days_after_opening == days


@pytest.mark.parametrize("written", ["2019-05-23", "23 May 2019 00:30", "2019-06-15"])
def test_a_decision_date_past_the_limit(cfg: Config, written: str) -> None:
    report = check(cfg, body=rfc_body(Decision_date=written))
    assert codes(report) == ["decision-date-too-late"]
    assert report.days_after_opening >= 8
    assert "the most is 7" in report.problems[0].message
    assert "2019-05-22" in report.problems[0].fix


@pytest.mark.parametrize("written", ["2019-05-14", "2019-05-15 16:00", "2019-05-15 15:00 UTC", "1 May 2019"])
def test_a_decision_date_before_opening(cfg: Config, written: str) -> None:
    report = check(cfg, body=rfc_body(Decision_date=written))
    assert codes(report) == ["decision-date-before-opening"]
    assert "2019-05-15 to 2019-05-22" in report.problems[0].fix


def test_days_are_counted_in_the_config_timezone(cfg: Config) -> None:
    # 23:30 UTC on 15 May is already 16 May in London: day 7 there is 23 May, but day 8 in UTC.
    late = OPENED.replace(hour=23, minute=30).isoformat()
    assert check(cfg, created_at=late, body=rfc_body(Decision_date="2019-05-23")).problems == ()
    utc = parse_config(embedded_example_text().replace("Europe/London", "UTC"), "x", base_dir=None)
    report = check(utc, created_at=late, body=rfc_body(Decision_date="2019-05-23"))
    assert codes(report) == ["decision-date-too-late"]


def test_a_zoned_time_is_counted_on_its_day_in_the_config_timezone(cfg: Config) -> None:
    # 22 May 23:30 PDT is 23 May 07:30 in London: day 8.
    report = check(cfg, body=rfc_body(Decision_date="2019-05-22 23:30 PDT"))
    assert codes(report) == ["decision-date-too-late"]


def test_the_limit_comes_from_the_config() -> None:
    strict = config_with("rfc:\n  max_decision_days: 2\n")
    assert check(strict, body=rfc_body(Decision_date="2019-05-17")).problems == ()
    assert codes(check(strict, body=rfc_body(Decision_date="2019-05-18"))) == ["decision-date-too-late"]
    same_day = config_with("rfc:\n  max_decision_days: 0\n")
    assert check(same_day, body=rfc_body(Decision_date="2019-05-15")).problems == ()
    assert codes(check(same_day, body=rfc_body(Decision_date="2019-05-16"))) == ["decision-date-too-late"]


def test_past_the_date_an_open_rfc_is_overdue_not_malformed(cfg: Config) -> None:
    deadline = datetime(2019, 5, 20, 23, 59, 59, 999999, tzinfo=LONDON)
    assert check(cfg, now=deadline).status == VALID
    report = check(cfg, now=deadline + timedelta(microseconds=1))
    assert report.status == OVERDUE and report.overdue
    assert report.problems == ()


def test_an_overdue_rfc_with_problems_is_malformed_and_still_overdue(cfg: Config) -> None:
    report = check(cfg, now=datetime(2019, 6, 1, tzinfo=UTC), body=rfc_body(Context="TBD"))
    assert report.status == MALFORMED
    assert report.overdue


def test_a_timed_deadline_is_honoured(cfg: Config) -> None:
    body = rfc_body(Decision_date="2019-05-20 17:00 CEST")  # 16:00 in London
    assert check(cfg, body=body, now=datetime(2019, 5, 20, 14, 59, tzinfo=UTC)).status == VALID
    assert check(cfg, body=body, now=datetime(2019, 5, 20, 15, 1, tzinfo=UTC)).status == OVERDUE


# --- feedback ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@octocat", [("octocat", True)]),
        ("@octocat\n@hubot", [("octocat", True), ("hubot", True)]),
        ("- @octocat (required)\n- @hubot (optional)", [("octocat", True), ("hubot", False)]),
        ("@octocat, @hubot (optional)", [("octocat", False), ("hubot", False)]),
        ("Optional: @hubot, if you have time", [("hubot", False)]),
        ("- @hubot — optionally, a second opinion", [("hubot", False)]),
        (
            "Required: @octocat, @Codertocat\nOptional: @hubot",
            [("octocat", True), ("Codertocat", True), ("hubot", False)],
        ),
        (
            "**Required**\n- @octocat\n\n**Optional**\n- @hubot\n- @mona",
            [("octocat", True), ("hubot", False), ("mona", False)],
        ),
        ("@octocat (required), @hubot (optional)", [("octocat", True), ("hubot", False)]),
        ("Required: @octocat Optional: @hubot @mona", [("octocat", True), ("hubot", False), ("mona", False)]),
        ("@hubot (optional)\n@Hubot, required after all", [("hubot", True)]),
        ("@github/docs-team for the site", [("github/docs-team", True)]),
        ("_@login, required or optional_\n\n@octocat", [("octocat", True)]),
        ("mail octocat@example.com", []),
    ],
)
def test_feedback_people(text: str, expected: list[tuple[str, bool]]) -> None:
    assert feedback_people(text) == expected


def test_feedback_naming_nobody_is_a_problem(cfg: Config) -> None:
    report = check(cfg, body=rfc_body(Feedback_wanted_from="The docs team, and anyone else interested."))
    assert codes(report) == ["feedback-no-people"]
    assert report.feedback == ()


# --- the decision, on merge --------------------------------------------------------------------


def test_merged_without_a_decision_section_is_a_problem(cfg: Config) -> None:
    report = check(cfg, merged=True)
    assert codes(report) == ["decision-not-recorded"]
    assert report.status == MALFORMED
    assert "## Decision" in report.problems[0].fix


def test_merged_with_an_empty_decision_section_is_a_problem(cfg: Config) -> None:
    body = rfc_body(Decision="<!-- Leave this empty until the decision is made. -->")
    report = check(cfg, merged=True, body=body)
    assert codes(report) == ["decision-not-recorded"]
    assert body.splitlines()[report.problems[0].line - 1] == "## Decision"


def test_merged_with_the_decision_written_is_decided(cfg: Config) -> None:
    body = rfc_body(Decision="We link to the docs site. @octocat moves the steps there.")
    report = check(cfg, merged=True, body=body, now=datetime(2019, 6, 1, tzinfo=UTC))
    assert report.status == DECIDED and report.decided
    assert not report.overdue
    assert report.problems == ()


def test_decided_before_merging_is_not_overdue(cfg: Config) -> None:
    body = rfc_body(Outcome="Link to the docs site.")
    report = check(cfg, body=body, now=datetime(2019, 6, 1, tzinfo=UTC))
    assert report.status == DECIDED
    assert not report.overdue


def test_an_open_rfc_needs_no_decision_yet(cfg: Config) -> None:
    assert check(cfg, body=rfc_body(Decision="")).status == VALID


# --- rfc new, the rules ------------------------------------------------------------------------


def test_slugs() -> None:
    assert slug(PR_TITLE) == "update-the-readme-with-new-information"
    assert slug("Café & crème: où?") == "cafe-creme-ou"
    assert slug("日本語") == "rfc"
    assert len(slug("word " * 40)) <= 60
    assert not slug("word " * 40).endswith("-")


def test_default_path(cfg: Config) -> None:
    assert default_path(cfg, OPENED_DAY, RFC_TITLE) == (
        "requests-for-comments/2019-05-15-update-the-readme-with-new-information.md"
    )


def test_plan_new_defaults_and_refusals(cfg: Config) -> None:
    plan = plan_new(cfg, title=RFC_TITLE, decider=None, by=None, out=None, today=OPENED_DAY)
    assert (plan.title, plan.decider, plan.decide_by) == (PR_TITLE, None, date(2019, 5, 22))
    assert plan.warnings == ()
    plan = plan_new(cfg, title=PR_TITLE, decider="@Codertocat", by="2019-05-31", out="x.md", today=OPENED_DAY)
    assert (plan.decider, plan.decide_by, plan.path) == ("Codertocat", date(2019, 5, 31), "x.md")
    assert "more than 7 days away" in plan.warnings[0]
    for kwargs, says in [
        ({"title": "RFC:  "}, "the title is empty"),
        ({"decider": "github/docs"}, "is a team"),
        ({"decider": "not a login"}, "is not a GitHub login"),
        ({"by": "2019-05-14"}, "is in the past"),
        ({"by": "tomorrow"}, "expected a date written YYYY-MM-DD"),
        ({"by": "2019-02-30"}, "is not a real calendar date"),
    ]:
        options: dict[str, Any] = {"title": RFC_TITLE, "decider": None, "by": None, "out": None, **kwargs}
        with pytest.raises(UsageError, match=says):
            plan_new(cfg, today=OPENED_DAY, **options)


# --- robustness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "## Decision date\n\n2026-12-01" + " " * 65000 + ",x",
        "## Decision date\n\n2026-12-01 17:00" + " " * 65000 + "x",
        "## Problem" + " " * 65000 + "x",
        "# " + "#" * 65000 + "x",
        "## Feedback wanted from\n\n" + "optional @a required " * 3000,
        "## Context\n\n" + "_a " * 20000,
        "## Decision maker\n\n@a/" + "a" * 65000 + "-",
        "<!--" * 16000,
        "```\n" * 16000,
    ],
    ids=range(9),
)
def test_a_hostile_body_is_checked_quickly(cfg: Config, body: str) -> None:
    # Pull request bodies are written by anyone who can open one: no pattern may take long on them.
    # Each takes under 0.1 s; a pattern that backtracks takes hours on 65,000 characters. The bound
    # is 100 times the real figure so that a busy machine (CI, parallel runs) never fails it: it
    # tells linear from catastrophic, not fast from slow.
    import time

    started = time.perf_counter()
    check_rfc(RFC_TITLE, body, OPENED, SOON_AFTER, cfg)
    assert time.perf_counter() - started < 10.0
