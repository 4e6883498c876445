"""`gh-ops doctor` against the fake GitHub: each problem it must find, with its fix, and a clean setup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake

from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "acme/widgets"
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
CONFIG = "timezone: UTC\ntrusted_authors: [ops-bot]\nteams: {}\n"
RFC_LABELS = ["rfc", "rfc:overdue", "rfc:no-decision"]
WORKFLOW = """name: gh-ops
on:
  schedule:
    - cron: "0 7 * * *"
  issues:
jobs:
  gh-ops:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
      pull-requests: write
      checks: write
    steps:
      - run: gh-ops run
"""


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    path = checkout(CONFIG, REPO)
    (path / ".github/workflows").mkdir(parents=True)
    (path / ".github/workflows/gh-ops.yml").write_text(WORKFLOW, encoding="utf-8")
    return path


def all_labels(fake: FakeGitHub) -> None:
    from gh_ops.config import load_config
    from gh_ops.doctor import used_labels

    for name in used_labels(load_config(None)):
        fake.add_label(REPO, name)


def healthy(new_fake: NewFake, **options: str) -> FakeGitHub:
    fake = new_fake(NOW, repos={REPO: {}}, actor=options.get("actor", "ops-bot"))
    all_labels(fake)
    fake.add_workflow(REPO, scheduled_runs=[NOW - timedelta(hours=2), NOW - timedelta(days=1, hours=2)])
    return fake


def doctor(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW.isoformat(), "doctor", *args])


def problems(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("problem: ")]


def test_a_healthy_setup_is_all_ok(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake)
    result = doctor()
    assert result.exit_code == 0, result.output
    assert problems(result) == []
    assert "ok: the workflow .github/workflows/gh-ops.yml is active" in result.stdout
    # Reads only: GET /user, the labels, the workflows and one run.
    assert all(r.method == "GET" for r in fake.requests), [r.method for r in fake.requests]


def test_a_disabled_workflow_is_a_problem_with_its_fix(workdir: Path, new_fake: NewFake) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    workflow = fake.add_workflow(REPO, state="disabled_inactivity")
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "disabled_inactivity" in line and "60 days without activity" in line
    assert f"gh workflow enable {workflow['id']} --repo {REPO}" in line


def test_a_missed_scheduled_run_is_a_problem(workdir: Path, new_fake: NewFake) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    fake.add_workflow(REPO, scheduled_runs=[NOW - timedelta(days=3)])
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "should run at least every 1 day(s)," in line and "2026-11-21" in line
    assert "--now" in line


def test_a_missing_label_is_a_problem_with_its_fix(workdir: Path, new_fake: NewFake) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    from gh_ops.config import load_config
    from gh_ops.doctor import used_labels

    for name in used_labels(load_config(None)):
        if name != "rfc:overdue":
            fake.add_label(REPO, name)
    fake.add_workflow(REPO, scheduled_runs=[NOW - timedelta(hours=2)])
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "label 'rfc:overdue' (rfc.overdue_label) does not exist" in line
    assert f'gh label create "rfc:overdue" --repo {REPO}' in line


def test_an_untrusted_token_account_is_a_problem_with_its_fix(workdir: Path, new_fake: NewFake) -> None:
    healthy(new_fake, actor="mallory")
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "acts as mallory, whose markers are not trusted" in line
    assert "add mallory to trusted_authors" in line


def test_an_installation_token_is_explained(workdir: Path, new_fake: NewFake) -> None:
    healthy(new_fake, actor="github-actions[bot]")
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "installation token" in result.stdout


def test_an_invalid_config_is_a_problem_line_not_a_crash(workdir: Path, new_fake: NewFake) -> None:
    healthy(new_fake)
    (workdir / ".github/gh-ops.yml").write_text("rfc:\n  max_decision_days: many\n", encoding="utf-8")
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "the config is not valid" in line and "max_decision_days" in line
    assert "Traceback" not in result.output


# --- a missed sprint window names its backfill ---------------------------------------------------

# Two-week sprints from Monday 2026-01-05, issues opened 3 days ahead: sprint 24 starts on Monday
# 2026-11-23, so its issue was due from Friday 2026-11-20 (sprint 23's from 2026-11-06).
SPRINT_CONFIG = (
    "timezone: UTC\ntrusted_authors: [ops-bot]\n"
    "teams:\n  web:\n    lead: alice\n{extra}"
    "sprint:\n  every: 2w\n  anchor: 2026-01-05\n  open_days_before: 3\n"
)


def sprint_checkout(workdir: Path, *, two_teams: bool = False) -> None:
    extra = (
        "  api:\n    lead: bob\n    timezone: Pacific/Auckland\n    sprint:\n      anchor: 2026-01-12\n"
        if two_teams
        else ""
    )
    (workdir / ".github/gh-ops.yml").write_text(SPRINT_CONFIG.format(extra=extra), encoding="utf-8")


def test_a_disabled_workflow_names_the_sprint_open_that_backfills_a_missed_window(
    workdir: Path, new_fake: NewFake
) -> None:
    sprint_checkout(workdir)
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    fake.add_workflow(
        REPO, state="disabled_inactivity", scheduled_runs=[datetime(2026, 11, 10, 7, tzinfo=UTC)]
    )
    result = doctor()
    assert result.exit_code == 1, result.output
    [disabled, missed] = problems(result)
    assert "disabled_inactivity" in disabled
    assert "sprint 24 of team web" in missed and "since 2026-11-10T07:00:00+00:00" in missed
    assert missed.endswith(
        "Fix: backfill it (safe if it was done by hand, it then does nothing): "
        "gh-ops sprint open --now 2026-11-20"
    )
    assert all(r.method == "GET" for r in fake.requests)


def test_a_late_schedule_names_each_teams_missed_window_in_its_timezone(
    workdir: Path, new_fake: NewFake
) -> None:
    sprint_checkout(workdir, two_teams=True)
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    # The last run on Thursday 19 Nov, 07:00 UTC: Friday 20 Nov already in Auckland (UTC+13).
    fake.add_workflow(REPO, scheduled_runs=[datetime(2026, 11, 19, 7, tzinfo=UTC)])
    result = doctor()
    assert result.exit_code == 1, result.output
    late, web = problems(result)
    assert "should run at least every 1 day(s)," in late
    # api's sprint (anchor 2026-01-12) opens on 2026-11-27: not yet; web's opened on 2026-11-20.
    assert web.endswith("gh-ops sprint open --now 2026-11-20 --team web")


def test_a_schedule_that_missed_no_sprint_window_names_none(workdir: Path, new_fake: NewFake) -> None:
    sprint_checkout(workdir)
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    fake.add_workflow(REPO, scheduled_runs=[datetime(2026, 11, 20, 7, tzinfo=UTC)])
    result = doctor()
    assert result.exit_code == 1, result.output
    [late] = problems(result)
    assert "should run at least every 1 day(s)," in late


# --- --issue: one health issue, open exactly while something is wrong ---------------------------


def health_issues(fake: FakeGitHub) -> list[dict[str, object]]:
    return [i for i in fake.issues(REPO) if any(lb["name"] == "gh-ops:health" for lb in i["labels"])]  # type: ignore[index]


def writes(fake: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests if r.method != "GET"]


def test_issue_opens_one_health_issue_edits_it_in_place_and_closes_it_when_all_is_well(
    workdir: Path, new_fake: NewFake
) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    workflow = fake.add_workflow(REPO, state="disabled_manually")

    result = doctor("--issue")
    assert result.exit_code == 1, result.output
    [issue] = health_issues(fake)
    assert issue["title"] == "gh-ops health: 1 problem" and issue["state"] == "open"
    body = str(issue["body"])
    assert body.startswith("<!-- gh-ops:health -->")
    assert "disabled_manually" in body and f"gh workflow enable {workflow['id']}" in body

    # The same checklist again: nothing to write, and no second issue.
    fake.requests.clear()
    result = doctor("--issue")
    assert result.exit_code == 1, result.output
    assert writes(fake) == [] and len(health_issues(fake)) == 1
    assert "is up to date" in result.stdout

    # Another problem too: the same issue, edited.
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG.replace("[ops-bot]", "[ops-bot]\nrfc:\n  overdue_label: late"), encoding="utf-8"
    )
    fake.requests.clear()
    result = doctor("--issue")
    assert result.exit_code == 1, result.output
    [issue] = health_issues(fake)
    assert issue["title"] == "gh-ops health: 2 problems" and "'late'" in str(issue["body"])
    assert writes(fake) == [f"PATCH /repos/{REPO}/issues/{issue['number']}"]

    # All well: a comment saying so, then closed; a further run writes nothing.
    (workdir / ".github/gh-ops.yml").write_text(CONFIG, encoding="utf-8")
    workflow["state"] = "active"
    workflow["runs"] = [NOW - timedelta(hours=2)]
    fake.requests.clear()
    result = doctor("--issue")
    assert result.exit_code == 0, result.output
    [issue] = health_issues(fake)
    assert issue["state"] == "closed"
    [comment] = fake.comments(REPO, int(issue["number"]))  # type: ignore[call-overload]
    assert str(comment["body"]).startswith("<!-- gh-ops:health-closed -->\nAll well again")
    fake.requests.clear()
    assert doctor("--issue").exit_code == 0
    assert writes(fake) == []


def test_issue_dry_run_says_what_it_would_do_and_writes_nothing(workdir: Path, new_fake: NewFake) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    fake.add_workflow(REPO, state="disabled_inactivity")
    result = doctor("--issue", "--dry-run")
    assert result.exit_code == 1, result.output
    assert "the gh-ops health issue: would open" in result.stdout
    assert "POST /repos/acme/widgets/issues" in result.stdout
    assert writes(fake) == [] and health_issues(fake) == []


def test_issue_ignores_a_health_issue_an_untrusted_author_opened(workdir: Path, new_fake: NewFake) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    fake.add_workflow(REPO, state="disabled_inactivity")
    fake.add_issue(
        REPO,
        title="gh-ops health: 0 problems",
        body="<!-- gh-ops:health -->\nall fine",
        author="mallory",
        labels=["gh-ops:health"],
    )
    result = doctor("--issue")
    assert result.exit_code == 1, result.output
    opened = [i for i in health_issues(fake) if i["user"]["login"] == "ops-bot"]  # type: ignore[index]
    assert len(opened) == 1 and len(health_issues(fake)) == 2


def test_issue_with_an_untrusted_token_opens_nothing(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake, actor="mallory")
    result = doctor("--issue")
    assert result.exit_code == 1, result.output
    assert "not kept" in result.stdout
    assert writes(fake) == []


def test_issue_closes_with_its_comment_or_not_at_all_under_max_writes(
    workdir: Path, new_fake: NewFake
) -> None:
    fake = healthy(new_fake)
    fake.add_issue(
        REPO,
        title="gh-ops health: 1 problem",
        body="<!-- gh-ops:health -->\nold",
        author="ops-bot",
        labels=["gh-ops:health"],
    )
    result = doctor("--issue", "--max-writes", "1")
    assert result.exit_code == 2, result.output
    assert writes(fake) == []
    assert "comment on and close #1 takes 2 writes" in result.output
    assert doctor("--issue", "--max-writes", "2").exit_code == 0
    assert len(writes(fake)) == 2


# --- the repositories that must be private; the workflow's permissions ---------------------------


def test_a_public_people_repository_is_a_problem_with_its_fix(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake)
    fake.add_repo("acme/people", private=False)
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG.replace("teams: {}", "teams:\n  web:\n    lead: alice\npeople:\n  repo: acme/people"),
        encoding="utf-8",
    )
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "acme/people (people.repo) is not private" in line
    assert "gh repo edit acme/people --visibility private" in line


def test_a_private_people_repository_is_ok(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake)
    fake.add_repo("acme/people", private=True)
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG.replace("teams: {}", "teams:\n  web:\n    lead: alice\npeople:\n  repo: acme/people"),
        encoding="utf-8",
    )
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "ok: acme/people (people.repo) is private" in result.stdout


def test_a_permission_the_workflow_does_not_grant_is_a_problem_naming_the_line(
    workdir: Path, new_fake: NewFake
) -> None:
    healthy(new_fake)
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "priority: {}\n", encoding="utf-8")
    (workdir / ".github/workflows/gh-ops.yml").write_text(
        WORKFLOW.replace("      issues: write\n", "      issues: read\n"), encoding="utf-8"
    )
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "grants issues: read, but" in line and "priority: label bugs" in line
    assert "`issues: write # " in line


def test_a_classic_token_without_the_repo_scope_is_a_problem(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake)
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "priority: {}\n", encoding="utf-8")
    fake.oauth_scopes = "read:org, gist"
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "classic token with scopes read:org, gist, which cannot write issues" in line
    assert "gh auth refresh --scopes repo" in line
    assert all(r.method == "GET" for r in fake.requests)

    fake.oauth_scopes = "repo, read:org"
    assert doctor().exit_code == 0


def test_an_account_without_the_role_to_write_is_a_problem(workdir: Path, new_fake: NewFake) -> None:
    fake = healthy(new_fake)
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "priority: {}\n", encoding="utf-8")
    role = {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}
    fake.repo_permissions[REPO] = role
    result = doctor()
    assert result.exit_code == 1, result.output
    [line] = problems(result)
    assert "has no triage access to acme/widgets, which writing issues takes" in line
    assert "Triage role" in line

    fake.repo_permissions[REPO] = {**role, "triage": True}
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "ok: the token may write what the enabled capabilities need (the account's role)" in result.stdout


def test_an_installation_token_is_checked_through_the_workflow_file_only(
    workdir: Path, new_fake: NewFake
) -> None:
    fake = healthy(new_fake, actor="github-actions[bot]")
    fake.oauth_scopes = "read:org"  # not sent to an installation token's GET /user anyway (403)
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "may write what the enabled capabilities need" not in result.stdout
    assert "grants the permissions the enabled capabilities need" in result.stdout
