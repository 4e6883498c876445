"""`gh-ops run` end to end, one test per row of the README's event table: a config with all five
sections, the real payload shapes (tests/fixtures/webhooks), the CLI with GITHUB_EVENT_NAME and
GITHUB_EVENT_PATH set as Actions sets them, and the fake GitHub's end state; then isolation (one
capability failing, the others still doing their work, the most serious exit code winning)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake, load_payload

from gh_ops.cli import main
from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker
from gh_ops.runner import parse_outputs

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "Codertocat/Hello-World"  # the payloads' repository: where the workflow runs
PEOPLE = "acme/people"  # private: where the checklists go
BOT = "github-actions[bot]"
AUTHOR = "maya"
STAFF = ["alice", "bob", "carol", "dave", "erin", AUTHOR]
CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)  # sprint 24's window is open (its issue is due)
NOW = "2026-11-20T15:00:00Z"
OPENED = CLOCK - timedelta(hours=6)
MERGED = CLOCK - timedelta(hours=2)
# The shipped example (teams web and infra, 2-week sprints) and every other section.
CONFIG = (
    embedded_example_text()
    + f"people:\n  repo: {PEOPLE}\nrfc: {{}}\npriority:\n  triage_team: web\nyolo: {{}}\n"
)
SCHEDULED = (
    CONFIG + "schedules:\n  '0 7 * * *': [sprint open, priority triage]\n  '17 * * * *': [rfc remind]\n"
)
RFC_BODY = "\n".join(
    f"## {heading}\n\n{text}\n"
    for heading, text in {
        "Decision to be made": "Do we move the event store from Postgres to ClickHouse?",
        "Decision maker": "@alice",
        "Decision date": "2026-11-25",
        "Feedback wanted from": "- @bob (required): the storage side\n- @carol (optional)",
        "Problem": "Queries over 30 days of events time out for our biggest customers.",
        "Recommendation": "Move the event store to ClickHouse behind the current query API.",
        "Context": "Load tests and cost estimates are linked in the design doc.",
        "Decision": "",
    }.items()
)


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    fake = new_fake(
        CLOCK,
        repos={
            REPO: {"private": True, "collaborators": STAFF},
            PEOPLE: {"private": True, "collaborators": STAFF},
        },
        labels={REPO: ["yolo-merge", "bug", "P0", "P1", "P2", "P3"]},
    )
    fake.add_organization("acme")
    return fake


@pytest.fixture
def actions(
    checkout: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., None]:
    """actions(name, payload, config=CONFIG): a checkout with that config, as a workflow job has
    it (in Actions, with a step summary and an output file), and the event GitHub sent."""

    def make(name: str, payload: dict[str, Any], config: str = CONFIG) -> None:
        checkout(config, REPO)
        path = tmp_path / "event.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        for name_, file in (("GITHUB_STEP_SUMMARY", "summary.md"), ("GITHUB_OUTPUT", "output")):
            (tmp_path / file).write_text("", encoding="utf-8")
            monkeypatch.setenv(name_, str(tmp_path / file))

    return make


class Ran:
    """One `gh-ops run`: its result, and what it left in $GITHUB_OUTPUT and the step summary."""

    def __init__(self, result: Result, folder: Path) -> None:
        self.result = result
        self.code = result.exit_code
        self.output = result.output
        self.outputs = parse_outputs((folder / "output").read_text(encoding="utf-8"))
        self.summary = (folder / "summary.md").read_text(encoding="utf-8")

    @property
    def prefixes(self) -> set[str]:
        return {name.split("-", 1)[0] for name in self.outputs}

    @property
    def sections(self) -> list[str]:
        return [line[3:] for line in self.summary.splitlines() if line.startswith("## ")]


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Ran]:
    def invoke(*options: str) -> Ran:
        return Ran(CliRunner().invoke(main, ["--now", NOW, *options, "run"]), tmp_path)

    return invoke


def _repository(payload: dict[str, Any]) -> dict[str, Any]:
    payload["repository"].update(default_branch="main")
    return payload


def pull_payload(fake: FakeGitHub, action: str, number: int) -> dict[str, Any]:
    """The real pull_request.<action> payload, about #number as the fake has it."""
    payload = load_payload(f"pull_request.{action}")
    current = fake.pull(REPO, number)
    pr = payload["pull_request"]
    payload["number"] = pr["number"] = number
    for field in ("title", "body", "merged", "merged_by", "state"):
        pr[field] = current[field]
    pr["labels"] = [{"name": label["name"], "color": "ededed"} for label in current["labels"]]
    pr["head"]["sha"] = current["head"]["sha"]
    pr["base"]["ref"] = "main"
    pr["user"]["login"] = current["user"]["login"]
    return _repository(payload)


def review_payload(fake: FakeGitHub, number: int) -> dict[str, Any]:
    payload = load_payload("pull_request_review.submitted")
    payload["review"]["state"] = "approved"
    payload["review"]["user"]["login"] = "alice"
    pr = payload["pull_request"]
    current = fake.pull(REPO, number)
    pr["number"] = number
    pr["title"], pr["body"], pr["state"] = current["title"], current["body"], current["state"]
    pr["head"]["sha"] = current["head"]["sha"]
    pr["base"]["ref"] = "main"
    pr["user"]["login"] = current["user"]["login"]
    return _repository(payload)


def labels_of(issue: dict[str, Any]) -> set[str]:
    return {label["name"] for label in issue["labels"]}


def ours(fake: FakeGitHub, repo: str, kind: str) -> list[dict[str, Any]]:
    """Issues gh-ops opened in `repo` whose marker is of this kind."""
    return [
        i
        for i in fake.issues(repo)
        if i["user"]["login"] == BOT and (read_marker(i["body"] or "") or ("",))[0] == kind
    ]


def comments_of(fake: FakeGitHub, number: int, kind: str) -> list[dict[str, Any]]:
    return [
        c
        for c in fake.comments(REPO, number)
        if c["user"]["login"] == BOT and (read_marker(c["body"]) or ("",))[0] == kind
    ]


def merged_without_review(fake: FakeGitHub) -> int:
    number = fake.add_pull(
        REPO, title="Fix export", body="Fix the flaky export.", author=AUTHOR, created_at=OPENED
    )
    fake.merge_pull(REPO, number, by="bob", at=MERGED, method="squash")
    return number


# --- each event, as the table says ---------------------------------------------------------------------


def test_an_onboarding_form_opens_the_checklist_and_priority_looks_at_the_issue(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    payload = load_payload("issues.opened.new-joiner")
    issue = payload["issue"]
    seeded = fake.add_issue(
        REPO, title=issue["title"], body=issue["body"], author="Codertocat", labels=["new-joiner"]
    )
    issue["number"] = seeded["number"]
    issue["html_url"] = f"https://github.com/{REPO}/issues/{seeded['number']}"
    actions("issues", payload)

    ran = run()

    assert ran.code == 0, ran.output
    (checklist,) = ours(fake, PEOPLE, "onboarding")
    assert read_marker(checklist["body"])[1]["login"] == "newbie"
    assert ran.sections == ["people", "priority"]
    assert ran.prefixes == {"people", "priority"}
    assert checklist["html_url"] in ran.outputs["people-issue-urls"]
    assert labels_of(fake.issue(REPO, seeded["number"])) == {"new-joiner"}  # not a bug: no priority
    # A second delivery of the same event opens nothing more.
    actions("issues", payload)
    assert run().code == 0 and len(ours(fake, PEOPLE, "onboarding")) == 1


def test_an_rfc_pull_request_opened_gets_its_check_run_and_comment(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    number = fake.add_pull(
        REPO, title="RFC: Move the event store to ClickHouse", body=RFC_BODY, author=AUTHOR, created_at=OPENED
    )
    actions("pull_request", pull_payload(fake, "opened", number))

    ran = run()

    assert ran.code == 0, ran.output
    (check_run,) = fake.check_runs(REPO)
    assert (check_run["name"], check_run["conclusion"]) == ("RFC", "success")
    (comment,) = comments_of(fake, number, "rfc")
    assert "**Decision maker:** `@alice`" in comment["body"]
    assert "rfc" in labels_of(fake.pull(REPO, number))
    assert ran.sections == ["rfc"]  # yolo handles only a merge
    assert ran.prefixes == {"rfc"}


def test_a_merge_without_review_is_a_yolo_merge_and_rfc_check_runs_too(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    number = merged_without_review(fake)
    actions("pull_request", pull_payload(fake, "closed", number))

    ran = run()

    assert ran.code == 0, ran.output
    assert labels_of(fake.pull(REPO, number)) == {"yolo-merge"}
    (comment,) = comments_of(fake, number, "yolo")
    assert "@bob merged this pull request without a review" in comment["body"]
    assert "not an RFC" in ran.output  # rfc check ran, and left the pull request alone
    assert fake.check_runs(REPO) == [] and comments_of(fake, number, "rfc") == []
    assert ran.sections == ["rfc", "yolo"]
    assert ran.prefixes == {"rfc", "yolo"}
    assert f"#{number}: yolo merge (no-approval)" in ran.summary


def test_an_approval_after_the_merge_clears_the_yolo_merge(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    number = merged_without_review(fake)
    actions("pull_request", pull_payload(fake, "closed", number))
    assert run().code == 0 and labels_of(fake.pull(REPO, number)) == {"yolo-merge"}
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=CLOCK - timedelta(hours=1))
    actions("pull_request_review", review_payload(fake, number))

    ran = run()

    assert ran.code == 0, ran.output
    assert labels_of(fake.pull(REPO, number)) == set()
    assert any("@alice approved it after the merge" in c["body"] for c in comments_of(fake, number, "yolo"))
    assert ran.sections == ["rfc", "yolo"]
    assert ran.prefixes == {"rfc", "yolo"}


def test_a_direct_push_to_the_default_branch_is_reported_by_yolo_check(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    tip = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    direct = fake.push_commit(REPO, author=AUTHOR, message="Quick fix", at=MERGED)
    payload = load_payload("push")
    template = payload["head_commit"]
    payload.update(ref="refs/heads/main", before=tip, after=direct, forced=False, created=False)
    payload["commits"] = [{**template, "id": direct}]
    payload["head_commit"] = {**template, "id": direct}
    payload["pusher"] = {"name": AUTHOR, "email": "maya@example.com"}
    actions("push", _repository(payload))

    ran = run()

    assert ran.code == 0, ran.output
    assert f"{direct[:7]}: yolo merge (direct-push)" in ran.output
    assert ran.sections == ["yolo"]
    assert ran.prefixes == {"yolo"}
    # The same push to another branch is nothing to do, at no request.
    payload["ref"] = "refs/heads/topic"
    actions("push", payload)
    fake.clear_requests()
    ran = run()
    assert ran.code == 0 and "nothing to do" in ran.output and fake.requests == []


def test_a_schedule_runs_the_jobs_its_cron_is_mapped_to(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    old_bug = fake.add_issue(REPO, title="Old bug", labels=["bug"], created_at=CLOCK - timedelta(days=5))
    payload = {"schedule": "0 7 * * *"}  # what GitHub sends: the cron that fired

    actions("schedule", payload, SCHEDULED)
    ran = run()

    assert ran.code == 0, ran.output
    teams = {read_marker(i["body"])[1]["team"] for i in ours(fake, REPO, "sprint")}
    assert teams == {"web", "infra"}
    notes = [c for c in fake.comments(REPO, old_bug["number"]) if c["user"]["login"] == BOT]
    assert len(notes) == 1 and "no priority yet" in notes[0]["body"]
    assert ran.sections == ["sprint", "priority"]  # not rfc remind: that is another cron's job
    assert ran.prefixes == {"sprint", "priority"}
    assert "gh-ops run: rfc" not in ran.output


def test_a_manual_run_runs_the_job_with_its_args(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    payload = load_payload("workflow_dispatch")
    payload["inputs"] = {"job": "sprint open", "args": "--team web"}
    actions("workflow_dispatch", payload)

    ran = run()

    assert ran.code == 0, ran.output
    assert {read_marker(i["body"])[1]["team"] for i in ours(fake, REPO, "sprint")} == {"web"}
    assert ran.sections == ["sprint"]
    assert ran.prefixes == {"sprint"}
    assert "gh-ops run: sprint: gh-ops --now 2026-11-20T15:00:00Z sprint open --team web" in ran.output


# --- isolation: one capability failing does not stop the others ----------------------------------------


def test_github_failing_for_one_capability_does_not_stop_the_other(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    number = merged_without_review(fake)
    actions("pull_request", pull_payload(fake, "closed", number))
    fake.fail_next("POST", r"^/graphql$", 403, json={"message": "Resource not accessible by integration"})

    ran = run()  # rfc runs first and its one read is refused; yolo then does its work

    assert ran.code == 3, ran.output
    assert "Resource not accessible by integration" in ran.output
    assert labels_of(fake.pull(REPO, number)) == {"yolo-merge"}
    assert len(comments_of(fake, number, "yolo")) == 1
    assert ran.sections == ["rfc", "yolo"]
    assert "yolo-github-writes" in ran.outputs
    assert "gh-ops run: exit 3; not clean: rfc (3)" in ran.output


def test_a_config_mistake_in_one_job_outranks_github_failing_in_another(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran]
) -> None:
    # Two real failures of two kinds in one run: sprint is asked for a team the config does not
    # have (usage, 2); GitHub refuses priority's read (3). The run's exit code is the more serious.
    config = CONFIG + "schedules:\n  '0 7 * * *': [sprint open --team nope, priority triage]\n"
    actions("schedule", {"schedule": "0 7 * * *"}, config)
    fake.fail_next("*", ".", 403, json={"message": "Resource not accessible by integration"})

    ran = run()

    assert ran.code == 2, ran.output
    assert "nope" in ran.output  # sprint's message names the team
    assert "Resource not accessible by integration" in ran.output  # priority ran, and failed
    assert "gh-ops run: exit 2; not clean: sprint (2), priority (3)" in ran.output
    assert ran.sections == ["sprint", "priority"]
    assert ours(fake, REPO, "sprint") == []


def test_a_bug_in_one_capability_is_exit_4_without_a_traceback_and_the_others_still_run(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops.rfc import run as rfc_run

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("headRefOid")

    monkeypatch.setattr(rfc_run, "check", broken)
    number = merged_without_review(fake)
    actions("pull_request", pull_payload(fake, "closed", number))

    ran = run()

    assert ran.code == 4, ran.output
    assert "internal error in gh-ops: KeyError: 'headRefOid'" in ran.output
    assert "Traceback" not in ran.output
    assert labels_of(fake.pull(REPO, number)) == {"yolo-merge"}  # yolo still did its work
    assert "gh-ops run: exit 4; not clean: rfc (4)" in ran.output

    verbose = run("--verbose")
    assert verbose.code == 4 and "Traceback" in verbose.output and "KeyError" in verbose.output


def test_a_bug_outranks_a_config_mistake(
    fake: FakeGitHub, actions: Callable[..., None], run: Callable[..., Ran], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops.priority import run as priority_run

    monkeypatch.setattr(priority_run, "triage", lambda *a, **k: 1 / 0)
    config = CONFIG + "schedules:\n  '0 7 * * *': [sprint open --team nope, priority triage]\n"
    actions("schedule", {"schedule": "0 7 * * *"}, config)

    ran = run()

    assert ran.code == 4, ran.output
    assert "gh-ops run: exit 4; not clean: sprint (2), priority (4)" in ran.output
    assert "ZeroDivisionError" in ran.output and "Traceback" not in ran.output
