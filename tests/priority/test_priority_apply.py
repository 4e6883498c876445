"""`gh-ops priority apply` end to end: real issues payloads, the CLI, the GitHub boundary, a stateful fake."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from priority_data import BOT, CONFIG, FORM, NOW, PRIVATE, REPO, labels_on, send_event

from gh_ops.cli import main
from gh_ops.markup import read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock")

V31_HIGH = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9
V40_CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:H/SC:H/SI:N/SA:N"  # 9.0
V31_ZERO = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"
V31_BROKEN = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice", "bob"]}, PRIVATE: {"private": True}},
    )


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


@pytest.fixture
def event(fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    def send(action: str, **kwargs: Any) -> int:
        number = send_event(fake, workdir, action, setenv=monkeypatch.setenv, **kwargs)
        fake.clear_requests()
        return number

    return send


def apply(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "priority", "apply", *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def routes(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests]


def notes(fake: FakeGitHub, number: int, repo: str = REPO) -> dict[str, list[str]]:
    """gh-ops' priority comments on an issue, by kind (a list, to see duplicates)."""
    found: dict[str, list[str]] = {}
    for comment in fake.comments(repo, number):
        mark = read_marker(comment["body"])
        if mark and mark[0] == "priority":
            assert comment["user"]["login"] == BOT
            found.setdefault(mark[1]["note"], []).append(comment["body"])
    return found


# --- the issue form ---------------------------------------------------------------------------------


def test_opened_form_answer_labels_the_bug_with_one_read_and_one_write(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1 - Urgent, non-breaking"))
    result = ok(apply())
    assert labels_on(fake, number) == ["P1", "bug"]
    assert routes(fake) == [
        ("GET", f"/repos/{REPO}/issues/{number}/timeline"),
        ("POST", f"/repos/{REPO}/issues/{number}/labels"),
    ]
    assert "`P1` from the issue form's answer" in result.output
    assert "GitHub requests: 1 read(s), 1 write(s)" in result.output

    # The same event again (a re-run): the timeline shows the label is there; nothing is written.
    ok(apply())
    assert len(fake.writes) == 1 and labels_on(fake, number) == ["P1", "bug"]


def test_editing_the_form_answer_replaces_the_label_removing_first(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    event("edited", number=number, body=FORM.format(answer="P2"))
    ok(apply())
    assert labels_on(fake, number) == ["P2", "bug"]
    # Never P1 and P2 together: the old label goes before the new one comes.
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in fake.writes] == [
        ("DELETE", "P1"),
        ("POST", "labels"),
    ]
    assert notes(fake, number) == {}  # replacing its own label needs no explanation


def test_a_priority_a_person_removed_is_not_added_back(fake: FakeGitHub, event) -> None:
    """A person's removal is a decision gh-ops keeps: the timeline it reads anyway says who removed
    the label, so keeping it costs no request, and the unlabeled event itself costs none."""
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    assert labels_on(fake, number) == ["P1", "bug"]
    event("unlabeled", number=number, label="P1", sender="alice")
    result = ok(apply())
    assert fake.requests == [] and "alice removed P1; a person's removal is kept" in result.output

    # The reporter edits the issue; the form still answers P1, and a rule matches too.
    event("edited", number=number, body=FORM.format(answer="P1") + "\nIt is a crash.\n")
    result = ok(apply())
    assert labels_on(fake, number) == ["bug"] and fake.writes == []
    assert "a person removed `P1` from this issue, so people set its priority" in result.output
    # Nor does another answer bring one back: the priority is people's now.
    event("edited", number=number, body=FORM.format(answer="P2"))
    ok(apply())
    assert labels_on(fake, number) == ["bug"] and fake.writes == []
    # A person's own label is still final, as ever.
    event("labeled", number=number, label="P3", sender="alice")
    ok(apply())
    assert labels_on(fake, number) == ["P3", "bug"] and fake.writes == []


def test_a_label_gh_ops_removed_itself_may_come_back(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    event("edited", number=number, body=FORM.format(answer="P2"))
    ok(apply())
    event("unlabeled", number=number, label="P1", sender=BOT)  # the event of gh-ops' own removal
    assert "gh-ops itself removed P1" in ok(apply()).output
    event("edited", number=number, body=FORM.format(answer="P1"))
    ok(apply())
    assert labels_on(fake, number) == ["P1", "bug"]


def test_security_a_person_removed_is_not_added_back(fake: FakeGitHub, event) -> None:
    number = event("opened", body=f"Found this.\n\n{V31_HIGH}\n")
    ok(apply())
    assert labels_on(fake, number) == ["bug", "security", "security-P1"]
    event("unlabeled", number=number, label="security", sender="alice")
    event("edited", number=number, body=f"Found this, again.\n\n{V31_HIGH}\n")
    ok(apply())
    assert labels_on(fake, number) == ["bug", "security-P1"]


def test_a_form_without_a_priority_answer_costs_nothing(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="_No response_"))
    result = ok(apply())
    assert fake.requests == [] and labels_on(fake, number) == ["bug"]
    assert "nothing in the issue gives one" in result.output


# --- people's labels ------------------------------------------------------------------------------


def test_a_persons_label_is_final_even_against_the_form(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P0"), labels=("bug",))
    event("labeled", number=number, label="P3", sender="alice")
    ok(apply())
    assert labels_on(fake, number) == ["P3", "bug"]
    assert fake.writes == []


def test_a_person_overriding_gh_ops_label_wins_and_is_told_why_once(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    event("labeled", number=number, label="P3", sender="alice")
    result = ok(apply())
    assert labels_on(fake, number) == ["P3", "bug"]
    (note,) = notes(fake, number)["conflict"]
    assert "kept `P3`, which a person set" in note and "removed `P1`, which I had set" in note
    assert "set by a person: it is final" in result.output

    ok(apply())  # the same event again
    assert len(notes(fake, number)["conflict"]) == 1
    assert fake.writes[-1].method == "POST" and fake.writes[-1].path.endswith("/comments")


def test_two_labels_from_people_keep_the_highest_and_say_why(fake: FakeGitHub, event) -> None:
    number = event("opened", labels=("bug", "P2"))
    event("labeled", number=number, label="P1", sender="alice")
    ok(apply())
    assert labels_on(fake, number) == ["P1", "bug"]
    assert "the highest that people set" in notes(fake, number)["conflict"][0]


def test_gh_ops_own_labeled_event_is_ignored_at_no_cost(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    event("labeled", number=number, label="P1", sender=BOT)
    result = ok(apply())
    assert fake.requests == [] and "gh-ops itself" in result.output


# --- rules and non-bugs --------------------------------------------------------------------------


def test_a_rule_gives_a_crash_p0(fake: FakeGitHub, event) -> None:
    number = event("opened", title="App crashes when saving", body="Every time.")
    ok(apply())
    assert labels_on(fake, number) == ["P0", "bug"]


def test_an_issue_that_is_not_a_bug_costs_nothing(fake: FakeGitHub, event) -> None:
    number = event("opened", title="Crash course for new joiners", labels=("documentation",))
    result = ok(apply())
    assert fake.requests == [] and labels_on(fake, number) == ["documentation"]
    assert "not a bug" in result.output


# --- CVSS and security hygiene ----------------------------------------------------------------------


def test_cvss_vector_labels_severity_and_security_and_warns_the_public_reporter_once(
    fake: FakeGitHub, event
) -> None:
    body = f"Stored XSS in the profile page.\n\nCVSS: {V31_HIGH}\n\nPayload: <script>alert(1)</script>"
    number = event("opened", title="XSS in profile", body=body)
    result = ok(apply())
    assert labels_on(fake, number) == ["bug", "security", "security-P1"]
    (note,) = notes(fake, number)["security"]
    assert f"https://github.com/{REPO}/security/advisories/new" in note
    # Nothing of the report is repeated in public: not the vector, not the body.
    for comment in fake.comments(REPO, number):
        assert "CVSS:3.1" not in comment["body"] and "script" not in comment["body"]
    assert "score 8.9 (High)" in result.output
    # The timeline, the labels, the note, and the read after it (issue 15: an overlapping run's note
    # would be there; its newest comments, one GraphQL read).
    assert [r.method for r in fake.requests] == ["GET", "POST", "POST", "POST"]
    assert fake.requests[-1].path == "/graphql"

    event("edited", number=number, body=body + "\n(edited)")
    ok(apply())
    assert fake.writes == [] and len(notes(fake, number)["security"]) == 1


def test_an_html_injection_report_with_a_comment_opener_in_its_payload_gets_its_priority(
    fake: FakeGitHub, event
) -> None:
    body = (
        "The bio field is rendered unescaped, for instance on /profile.\n\n"
        "```html\n<p>hi</p><!-- the rest of the page disappears\n```\n\n"
        "Try `<!--` in the name too.\n\n"
        f"### CVSS vector\n\n{V40_CRITICAL}\n"
    )
    number = event("opened", title="HTML injection in the bio", body=body)
    result = ok(apply())
    assert labels_on(fake, number) == ["bug", "security", "security-P0"]
    assert "score 9.0 (Critical)" in result.output


def test_cvss_v4_vector_at_9_0_is_security_p0(fake: FakeGitHub, event) -> None:
    number = event("opened", title="RCE", body=f"Vector: {V40_CRITICAL}", labels=())
    ok(apply())
    assert labels_on(fake, number) == ["security", "security-P0"]


@pytest.mark.parametrize(
    ("vector", "says"),
    [(V31_ZERO, "scores 0.0 (severity: None)"), (V31_BROKEN, "could not be read: a metric or value")],
)
def test_zero_or_malformed_vector_gets_one_comment_and_no_label(
    fake: FakeGitHub, event, vector, says
) -> None:
    number = event("opened", title="Maybe a vulnerability", body=f"CVSS {vector}", labels=("bug",))
    ok(apply())
    assert labels_on(fake, number) == ["bug"]
    (note,) = notes(fake, number)["cvss"]
    assert says in note and vector not in note

    ok(apply())
    event("edited", number=number, body=f"CVSS {vector} (still)")
    ok(apply())
    assert len(notes(fake, number)["cvss"]) == 1 and fake.writes == []


def test_a_corrected_vector_labels_and_updates_the_same_comment(fake: FakeGitHub, event) -> None:
    number = event("opened", title="Maybe a vulnerability", body=f"CVSS {V31_BROKEN}", labels=("bug",))
    ok(apply())
    event("edited", number=number, body=f"CVSS {V31_HIGH}")
    ok(apply())
    assert labels_on(fake, number) == ["bug", "security", "security-P1"]
    (note,) = notes(fake, number)["cvss"]
    assert "now scores 8.9 (High): labelled `security-P1`" in note
    assert ("PATCH", "comments") in [(r.method, r.path.split("/")[-2]) for r in fake.writes]


def test_security_issue_moves_to_the_private_repository_when_configured(
    fake: FakeGitHub, event, checkout: Callable[[str, str], Path]
) -> None:
    checkout(CONFIG + f"  private_repo: {PRIVATE}\n  private_place: security@acme.example\n", REPO)
    number = event("opened", title="SQL injection", body=f"{V40_CRITICAL}")
    result = ok(apply())
    assert fake.issues(REPO) == []
    (moved,) = fake.issues(PRIVATE)
    assert sorted(label["name"] for label in moved["labels"]) == ["bug", "security", "security-P0"]
    (note,) = notes(fake, moved["number"], PRIVATE)["security"]  # the comment moved with it
    assert "security@acme.example" in note and "moved to a private repository" in note
    assert f"moving {REPO}#{number} to {PRIVATE}" in result.output


def test_security_issue_in_a_private_repository_gets_no_warning(fake: FakeGitHub, event) -> None:
    number = event("opened", title="XSS", body=V31_HIGH, repo=PRIVATE)
    ok(apply())
    assert labels_on(fake, number, PRIVATE) == ["bug", "security", "security-P1"]
    assert notes(fake, number, PRIVATE) == {}


# --- one issue, dry run, errors -------------------------------------------------------------------------


def test_apply_to_one_issue_reads_it_fresh(fake: FakeGitHub, workdir: Path) -> None:
    number = fake.add_issue(REPO, title="Data loss on sync", body="", author="alice", labels=["bug"])[
        "number"
    ]
    result = ok(apply("--issue", str(number)))
    assert labels_on(fake, number) == ["P0", "bug"]
    assert "GitHub requests: 2 read(s), 1 write(s)" in result.output


def test_dry_run_writes_nothing_and_says_exactly_what_it_would_do(fake: FakeGitHub, event) -> None:
    number = event("opened", title="XSS", body=V31_HIGH)
    result = ok(apply("--dry-run"))
    assert fake.writes == [] and labels_on(fake, number) == ["bug"]
    assert f"POST /repos/{REPO}/issues/{number}/labels" in result.output
    assert '"labels": ["security-P1", "security"]' in result.output
    assert f"POST /repos/{REPO}/issues/{number}/comments" in result.output


def test_apply_outside_an_issues_event_is_a_usage_error(fake: FakeGitHub, workdir: Path, monkeypatch) -> None:
    path = workdir / "push.json"
    path.write_text(json.dumps({"ref": "refs/heads/main"}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    result = apply()
    assert result.exit_code == 2 and "not an issues event" in result.output
    assert "Traceback" not in result.output


def test_github_failure_exits_3_and_says_what_was_done(fake: FakeGitHub, event) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    ok(apply())
    event("edited", number=number, body=FORM.format(answer="P2"))
    fake.fail_next("POST", rf"/issues/{number}/labels$", 422, json={"message": "Validation Failed"})
    result = apply()
    assert result.exit_code == 3, result.output
    assert "Done before the failure: removed P1" in result.output and "Not done: add P2" in result.output
    assert labels_on(fake, number) == ["bug"]  # never two priorities; re-running adds P2

    ok(apply())
    assert labels_on(fake, number) == ["P2", "bug"]


def test_a_token_whose_comments_gh_ops_would_not_trust_stops_after_the_first(fake: FakeGitHub, event) -> None:
    fake.actor = "maintainer"  # a personal token, while the config trusts only github-actions[bot]
    number = event("opened", title="Maybe", body=f"CVSS {V31_ZERO}")
    result = apply()
    assert result.exit_code == 2, result.output
    assert "this token acts as maintainer" in result.output and "bot: maintainer" in result.output
    assert len(fake.comments(REPO, number)) == 1  # not one per run, unnoticed


# --- review findings: a trusted author is a person; an old event re-run reads the issue anew -------


def test_a_trusted_authors_label_is_a_persons_and_is_never_replaced(
    fake: FakeGitHub, event: Callable[..., int], workdir: Path
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "trusted_authors: [alice]\n")
    number = event("opened", body=FORM.format(answer="P2"))
    ok(apply())
    assert labels_on(fake, number) == ["P2", "bug"]
    fake.clock.advance(minutes=5)
    event("labeled", number=number, label="P0", sender="alice")
    ok(apply())
    assert labels_on(fake, number) == ["P0", "bug"]  # alice's P0 stands; gh-ops' P2 made way
    fake.clock.advance(minutes=5)
    event("edited", number=number, body=FORM.format(answer="P3"))
    ok(apply())
    assert labels_on(fake, number) == ["P0", "bug"]


def test_a_rerun_of_an_old_event_reads_the_issue_as_it_is_now(
    fake: FakeGitHub, event: Callable[..., int], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = event("opened", body=FORM.format(answer="P1"))
    old_payload = Path(os.environ["GITHUB_EVENT_PATH"]).read_text()
    ok(apply())
    fake.clock.advance(minutes=5)
    event("edited", number=number, body=FORM.format(answer="P2"))
    ok(apply())
    assert labels_on(fake, number) == ["P2", "bug"]
    stale = workdir / "old-event.json"
    stale.write_text(old_payload)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(stale))
    fake.clear_requests()
    ok(apply())
    assert labels_on(fake, number) == ["P2", "bug"]  # not P1 again
    assert [r.method for r in fake.requests] == ["GET", "GET"]  # the timeline, then the issue
