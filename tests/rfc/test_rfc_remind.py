"""`gh-ops rfc remind` end to end: reminders across scheduled runs (`--now`), the overdue label, the
digest in the step summary, request counts over many RFCs, and failures on one RFC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from rfc_data import AUTHOR, DECIDER, REPO, rfc_body

from gh_ops.cli import main
from gh_ops.markup import read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock")

BOT = "github-actions[bot]"
OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
CONFIG = "timezone: Europe/London\nteams: {}\n"
STAFF = [AUTHOR, DECIDER, "bob", "carol", "dave"]


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        OPENED + timedelta(minutes=5), repos={REPO: {"collaborators": STAFF}}, labels={REPO: ["rfc"]}
    )


@pytest.fixture
def summary(checkout: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The step summary file of a workflow job running in a checkout with CONFIG."""
    where = checkout(CONFIG, REPO)
    path = where / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    return path


def remind(now: str, *more: str) -> Result:
    return CliRunner().invoke(main, ["--now", now, *more, "rfc", "remind"])


def rfc_pull(fake: FakeGitHub, **fields: Any) -> int:
    fields.setdefault("title", "RFC: Move the event store to ClickHouse")
    fields.setdefault("body", rfc_body())
    fields.setdefault("author", AUTHOR)
    fields.setdefault("created_at", OPENED)
    fields.setdefault("labels", ["rfc"])
    return fake.add_pull(REPO, **fields)


def notices(fake: FakeGitHub, number: int, kind: str) -> list[str]:
    found = []
    for c in fake.comments(REPO, number):
        marker = read_marker(c["body"])
        if c["user"]["login"] == BOT and marker and marker[0] == kind:
            found.append(c["body"])
    return found


def labels(fake: FakeGitHub, number: int) -> set[str]:
    return {label["name"] for label in fake.pull(REPO, number)["labels"]}


def test_reminders_go_out_once_each_across_scheduled_runs(fake: FakeGitHub, summary: Path) -> None:
    number = rfc_pull(fake)

    result = remind("2026-11-29T09:00:00+00:00")  # two days before the date
    assert result.exit_code == 0, result.output
    assert notices(fake, number, "rfc-due-soon") == []
    assert len(notices(fake, number, "rfc")) == 1  # the RFC comment, made by the sweep

    assert remind("2026-11-30T09:00:00+00:00").exit_code == 0  # the day before
    (due,) = notices(fake, number, "rfc-due-soon")
    assert due.splitlines()[1].startswith("@bob @carol: your feedback on this RFC is marked required")
    assert "@dave" not in due  # optional

    assert remind("2026-11-30T15:00:00+00:00").exit_code == 0
    assert len(notices(fake, number, "rfc-due-soon")) == 1

    fake.add_review(REPO, number, author="bob", state="APPROVED")
    assert remind("2026-12-02T08:00:00+00:00").exit_code == 0  # the date has passed
    (late,) = notices(fake, number, "rfc-overdue")
    assert late.splitlines()[1].startswith("@alice: the decision date of this RFC")
    assert labels(fake, number) == {"rfc", "rfc:overdue"}
    assert "Overdue." in notices(fake, number, "rfc")[0]

    assert remind("2026-12-02T20:00:00+00:00").exit_code == 0  # the same day in London
    assert len(notices(fake, number, "rfc-overdue")) == 1
    assert remind("2026-12-03T08:00:00+00:00").exit_code == 0  # the next day
    assert len(notices(fake, number, "rfc-overdue")) == 2

    fake.add_comment(REPO, number, body="Decision: ClickHouse it is; Postgres keeps billing.", author=DECIDER)
    assert remind("2026-12-03T12:00:00+00:00").exit_code == 0
    assert labels(fake, number) == {"rfc"}
    assert "Decided." in notices(fake, number, "rfc")[0]
    assert remind("2026-12-05T12:00:00+00:00").exit_code == 0
    assert len(notices(fake, number, "rfc-overdue")) == 2
    assert len(notices(fake, number, "rfc-due-soon")) == 1
    assert len(notices(fake, number, "rfc")) == 1


def test_a_repeated_sweep_with_nothing_due_writes_nothing(fake: FakeGitHub, summary: Path) -> None:
    rfc_pull(fake)
    assert remind("2026-11-25T09:00:00+00:00").exit_code == 0
    fake.clear_requests()
    result = remind("2026-11-25T10:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert "GitHub requests: 2 read(s), 0 write(s)" in result.output  # open page, recently closed page


def test_the_digest_lists_rfcs_by_group_in_the_step_summary(fake: FakeGitHub, summary: Path) -> None:
    due = rfc_pull(fake, title="RFC: Due tomorrow")
    late = rfc_pull(fake, title="RFC: Late one", body=rfc_body(date="2026-11-28"))
    draft = rfc_pull(fake, title="RFC: Still drafting", draft=True)
    fake.add_pull(REPO, title="Fix a typo", body="x", author=AUTHOR, files=["README.md"])
    decided = rfc_pull(fake, title="RFC: Done", body=rfc_body(decision="Yes."))
    fake.merge_pull(REPO, decided, by=DECIDER, at=datetime(2026, 11, 29, tzinfo=UTC))
    result = remind("2026-11-30T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    text = summary.read_text()
    assert text.startswith("### gh-ops rfc remind: 2026-11-30 09:00 Europe/London")
    assert "overdue: 1 · due soon: 1 · open: 0 · drafts: 1 · decided: 1" in text
    for number, group in (
        (late, "#### Overdue"),
        (due, "#### Due today or tomorrow"),
        (draft, "#### Drafts"),
    ):
        assert text.index(group) < text.index(f"#{number} ")
    assert "Fix a typo" not in text
    link = f"[#{decided} Done](https://github.com/{REPO}/pull/{decided})"
    assert f"{link} | @alice | 2026-12-01 | 0/2 required | decided |" in text
    assert notices(fake, draft, "rfc-due-soon") == []  # drafts are not nagged


def test_fifty_open_rfcs_cost_one_read_per_page_not_per_rfc(fake: FakeGitHub, summary: Path) -> None:
    numbers = [rfc_pull(fake, title=f"RFC: Decision {i}") for i in range(50)]
    for i in range(10):
        fake.add_pull(REPO, title=f"Change {i}", body="x", author=AUTHOR, files=[f"src/{i}.py"])
    result = remind("2026-11-25T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    # 60 open pull requests: 3 pages of 25, then one page of recently closed ones; then the two
    # pages with the RFCs it wrote to, read again for overlapping runs (gh_ops.converge).
    assert len(fake.reads) == 6
    assert len(fake.writes) == 50  # each RFC's comment, one mutation each
    assert all(len(notices(fake, n, "rfc")) == 1 for n in numbers)
    fake.clear_requests()
    assert remind("2026-11-30T09:00:00+00:00").exit_code == 0  # the day before, for all of them
    assert (len(fake.reads), len(fake.writes)) == (6, 50)  # one reminder (+ status) per RFC


def test_an_rfc_with_over_a_hundred_comments_is_read_to_the_end(fake: FakeGitHub, summary: Path) -> None:
    number = rfc_pull(fake)
    for i in range(120):
        fake.add_comment(REPO, number, body=f"thought {i}", author="dave")
    assert remind("2026-11-25T09:00:00+00:00").exit_code == 0
    fake.clear_requests()
    result = remind("2026-11-25T10:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert len(notices(fake, number, "rfc")) == 1  # comment 121 was found: no second one
    assert (len(fake.reads), len(fake.writes)) == (3, 0)  # one more page of comments


def test_a_failure_on_one_rfc_does_not_stop_the_others(fake: FakeGitHub, summary: Path) -> None:
    first = rfc_pull(fake, title="RFC: One")
    second = rfc_pull(fake, title="RFC: Two")
    fake.fail_mutation_field("addComment", message="Something went wrong", type="INTERNAL")
    result = remind("2026-11-25T09:00:00+00:00")
    assert result.exit_code == 3, result.output
    assert f"#{first}: could not create the RFC comment on #{first} (Something went wrong)" in result.output
    assert "re-running is safe" in result.output
    assert len(notices(fake, second, "rfc")) == 1
    assert f"#{second} Two" in summary.read_text()  # the digest is written all the same
    assert remind("2026-11-25T10:00:00+00:00").exit_code == 0
    assert len(notices(fake, first, "rfc")) == 1


def test_dry_run_lists_the_reminders_and_sends_nothing(fake: FakeGitHub, summary: Path) -> None:
    number = rfc_pull(fake)
    result = remind("2026-12-02T09:00:00+00:00", "--dry-run")
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert f"would comment on #{number}: remind the decision maker" in result.output
    assert f"would add label(s) rfc:overdue to #{number}" in result.output
    assert "(dry run)" in summary.read_text()


def test_a_future_now_is_refused_for_a_real_run(
    fake: FakeGitHub, summary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops import dates

    monkeypatch.setattr(dates, "real_now", lambda: datetime(2026, 11, 25, tzinfo=UTC))
    result = remind("2026-12-25T09:00:00+00:00")
    assert result.exit_code == 2 and "in the future" in result.output
    assert fake.requests == []


def test_a_pull_request_opened_minutes_ago_is_left_to_rfc_check(fake: FakeGitHub, summary: Path) -> None:
    number = rfc_pull(fake, created_at=datetime(2026, 11, 25, 8, 55, tzinfo=UTC))
    result = remind("2026-11-25T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and notices(fake, number, "rfc") == []
    assert f"#{number} " in summary.read_text()  # listed all the same
    assert remind("2026-11-25T09:20:00+00:00").exit_code == 0
    assert len(notices(fake, number, "rfc")) == 1


def test_the_sweep_also_leaves_one_rfc_comment_after_a_race(fake: FakeGitHub, summary: Path) -> None:
    number = rfc_pull(fake)
    kept = fake.add_comment(REPO, number, body="<!-- gh-ops:rfc -->\nby rfc check", author=BOT)
    extra = fake.add_comment(REPO, number, body="<!-- gh-ops:rfc -->\nby rfc remind", author=BOT)
    result = remind("2026-11-25T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in fake.comments(REPO, number)] == [kept["id"]]
    assert [(w.method, w.path) for w in fake.writes if w.method == "DELETE"] == [
        ("DELETE", f"/repos/{REPO}/issues/comments/{extra['id']}")
    ]
