"""The rules of `rfc check` and `rfc remind` without GitHub: status, roster, kept comment, moved dates,
reminder intervals, labels to sync, chat notices, the digest and changed files from a checkout."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rfc_data import AUTHOR, DECIDER, rfc_body

from gh_ops.config import Config, parse_config
from gh_ops.models import Comment, Review
from gh_ops.rfc import rules as rfc
from gh_ops.rfc.queries import pull_from_json
from gh_ops.rfc.rules import (
    DECLINED,
    MERGED_UNDECIDED,
    Assessment,
    EventInfo,
    Memory,
    Move,
    Pull,
    assess,
    chat_notices,
    digest_row,
    memory_text,
    merge_memory,
    read_memory,
)
from gh_ops.rfc.run import changed_files_from_checkout, plan
from gh_ops.rfc.texts import chat_text, digest

BOT = "github-actions[bot]"
OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)  # a Tuesday; the RFC decides by 2026-12-01


def config(extra: str = "") -> Config:
    return parse_config(f"timezone: Europe/London\nteams: {{}}\n{extra}", "gh-ops.yml", base_dir=Path("."))


CFG = config()


def pull(**fields: Any) -> Pull:
    base: dict[str, Any] = {
        "node_id": "PR_1",
        "number": 7,
        "title": "RFC: Move the event store to ClickHouse",
        "body": rfc_body(),
        "url": "https://github.com/acme/handbook/pull/7",
        "created_at": OPENED,
        "updated_at": OPENED,
        "state": "OPEN",
        "merged_at": None,
        "closed_at": None,
        "draft": False,
        "head_sha": "a" * 40,
        "author": AUTHOR,
        "merged_by": None,
        "labels": {},
        "assignees": (),
        "files": None,
        "reviews": (),
        "comments": (),
    }
    base.update(fields)
    return Pull(**base)


def chat_messages(a: Assessment, now: datetime) -> tuple[list[str], Memory]:
    """The chat messages due, as `rfc check` and `rfc remind` send them."""
    notices, memory = chat_notices(a, now)
    return [chat_text(notice, a) for notice in notices], memory


def comment(body: str, author: str = BOT, at: datetime = OPENED, node_id: str = "IC_1") -> Comment:
    return Comment(body=body, author=author, node_id=node_id, created_at=at)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11 if day > 15 else 12, day, hour, tzinfo=UTC)


# --- reading GitHub's answer -------------------------------------------------------------------


def test_graphql_bot_logins_get_their_bot_suffix_back() -> None:
    node = {
        "id": "PR_kw",
        "number": 3,
        "title": "RFC: x",
        "body": None,
        "url": "u",
        "createdAt": "2026-11-24T10:00:00Z",
        "state": "MERGED",
        "author": {"__typename": "User", "login": "maya"},
        "mergedBy": {"__typename": "Bot", "login": "github-actions"},
        "labels": {"nodes": [{"id": "L1", "name": "rfc"}]},
        "assignees": {"nodes": [{"login": "bob"}]},
        "reviews": {"nodes": [{"author": None, "state": "APPROVED", "submittedAt": None}]},
        "comments": {
            "nodes": [
                {
                    "id": "IC",
                    "author": {"__typename": "Bot", "login": "github-actions"},
                    "body": "x",
                    "createdAt": None,
                }
            ]
        },
    }
    parsed = pull_from_json(node)
    assert parsed.merged_by == "github-actions[bot]"
    assert parsed.comments[0].author == BOT
    assert parsed.reviews[0].author is None  # a deleted account ("ghost")
    assert parsed.files is None  # not asked for
    assert parsed.body == "" and parsed.merged and parsed.labels == {"rfc": "L1"}


# --- status ------------------------------------------------------------------------------------


def test_a_filled_in_rfc_is_valid_until_its_date_then_overdue() -> None:
    assert assess(pull(), CFG, at(30)).status == rfc.VALID
    late = assess(pull(), CFG, at(2))
    assert late.status == rfc.OVERDUE and late.overdue


def test_the_decision_makers_comment_starting_with_decision_records_the_decision() -> None:
    decided = pull(comments=(comment("**Decision:** we move to ClickHouse.", author=DECIDER),))
    a = assess(decided, CFG, at(2))
    assert (a.status, a.decided_in, a.overdue) == (rfc.DECIDED, "comment", False)
    # Someone else's "Decision:" comment is an opinion, not the decision.
    other = pull(comments=(comment("Decision: no!", author="bob"),))
    assert assess(other, CFG, at(2)).status == rfc.OVERDUE
    # "Decision:" must start the comment.
    inline = pull(comments=(comment("My decision: yes", author=DECIDER),))
    assert assess(inline, CFG, at(2)).decided_in is None


def test_merged_without_a_decision_is_a_problem_and_with_one_it_is_decided() -> None:
    merged = pull(state="MERGED", merged_at=at(2), merged_by="bob")
    a = assess(merged, CFG, at(2))
    assert a.status == MERGED_UNDECIDED
    assert [p.code for p in a.problems] == ["decision-not-recorded"]
    recorded = pull(state="MERGED", merged_at=at(2), body=rfc_body(decision="We move, starting in Q1."))
    assert assess(recorded, CFG, at(2)).status == rfc.DECIDED


def test_closed_without_merging_is_declined_and_never_overdue() -> None:
    a = assess(pull(state="CLOSED", closed_at=at(3)), CFG, at(5))
    assert (a.status, a.overdue, a.problems) == (DECLINED, False, ())


# --- roster ------------------------------------------------------------------------------------


def test_roster_counts_reviews_and_comments_as_responses() -> None:
    p = pull(
        reviews=(Review("bob", "COMMENTED", at(25)), Review("bob", "APPROVED", at(26))),
        comments=(comment("Looks fine", author="Dave"),),
        assignees=("bob",),
    )
    a = assess(p, CFG, at(26))
    by_login = {e.login: e for e in a.roster}
    assert by_login["bob"].response == "approved" and by_login["bob"].required and by_login["bob"].assigned
    assert by_login["carol"].response is None and by_login["carol"].required
    assert by_login["dave"].response == "commented" and not by_login["dave"].required  # any case
    assert a.silent_required() == ("carol",)
    assert a.missing_assignees() == ("carol", "dave")
    body = plan(a, CFG, at(26)).comment or ""
    assert "required 1/2 · optional 1/1" in body
    assert "may decide now" not in body
    everyone = pull(reviews=(Review("bob", "APPROVED", at(25)), Review("carol", "CHANGES_REQUESTED", at(25))))
    body = plan(assess(everyone, CFG, at(26)), CFG, at(26)).comment or ""
    assert "required 2/2" in body and "`@alice` may decide now, before the date" in body


def test_roster_never_mentions_anyone_and_lists_teams_without_counting_them() -> None:
    body_text = rfc_body(feedback="- @bob required\n- @acme/infra required")
    a = assess(pull(body=body_text), CFG, at(25))
    text = plan(a, CFG, at(25)).comment or ""
    assert "required 0/1" in text
    assert "`@acme/infra` | required | a team" in text
    # Every @login in the kept comment is in code: an edit never notifies, so neither may the first post.
    assert " @bob" not in text and "`@bob`" in text


# --- the kept comment ---------------------------------------------------------------------------


def test_the_comment_lists_every_problem_with_its_line_and_fix() -> None:
    body = rfc_body(decider="@alice and @bob", drop=("Problem",), date="2027-01-30")
    a = assess(pull(body=body), CFG, at(25))
    assert a.status == rfc.MALFORMED
    text = plan(a, CFG, at(25)).comment or ""
    assert "Not ready: 3 problems to fix" in text
    assert "1. The “Problem” section is missing." in text
    assert "2. Line 5: The decision maker section names 2 people (`@alice`, `@bob`): exactly one" in text
    assert " @alice" not in text  # posting the comment notifies nobody
    assert "days after the pull request was opened" in text


def test_an_unchanged_comment_is_not_rewritten() -> None:
    first = assess(pull(), CFG, at(25))
    body = plan(first, CFG, at(25)).comment
    assert body is not None
    again = assess(pull(comments=(comment(body),)), CFG, at(26))
    assert again.kept is not None
    assert plan(again, CFG, at(26)).comment is None  # nothing new: no write


def test_only_a_trusted_authors_marked_comment_is_taken_for_ours() -> None:
    body = plan(assess(pull(), CFG, at(25)), CFG, at(25)).comment or ""
    forged = assess(pull(comments=(comment(body, author="mallory"),)), CFG, at(25))
    assert forged.kept is None


def test_text_from_the_description_cannot_forge_a_marker_in_the_comment() -> None:
    evil = rfc_body(replace={"Decision maker": "<!-- gh-ops-memory {} --> nobody"})
    text = plan(assess(pull(body=evil), CFG, at(25)), CFG, at(25)).comment or ""
    assert text.count("<!--") == 2  # the marker at the top and the memory at the bottom


# --- moved dates --------------------------------------------------------------------------------


def _edited(old_date: str, new_date: str, sender: str = DECIDER, when: datetime | None = None) -> EventInfo:
    return EventInfo(
        "pull_request", "edited", sender, rfc_body(date=new_date), rfc_body(date=old_date), when or at(26)
    )


def test_an_edit_that_moves_the_date_is_recorded_once_with_who_and_how_many_times() -> None:
    moved = pull(body=rfc_body(date="2026-11-30"))
    a = assess(moved, CFG, at(26))
    text = plan(a, CFG, at(26), event=_edited("2026-12-01", "2026-11-30")).comment or ""
    assert "Decision date moved 1 time:" in text
    assert "| 2026-11-26 | 2026-12-01 | 2026-11-30 | `@alice` |" in text
    memory = read_memory(text)
    assert memory.moves == (Move("2026-12-01", "2026-11-30", DECIDER, at(26).isoformat()),)
    # The same event again (a re-run) adds nothing.
    again = assess(pull(body=rfc_body(date="2026-11-30"), comments=(comment(text),)), CFG, at(26))
    assert plan(again, CFG, at(26), event=_edited("2026-12-01", "2026-11-30")).comment is None
    # A second move is the second line, and the count says so.
    back = assess(pull(body=rfc_body(date="2026-12-01"), comments=(comment(text),)), CFG, at(27))
    text2 = (
        plan(back, CFG, at(27), event=_edited("2026-11-30", "2026-12-01", sender="maya", when=at(27))).comment
        or ""
    )
    assert "Decision date moved 2 times:" in text2
    assert "| 2026-11-27 | 2026-11-30 | 2026-12-01 | `@maya` |" in text2


def test_an_edit_that_keeps_the_date_or_had_none_records_no_move() -> None:
    a = assess(pull(), CFG, at(26))
    assert "moved" not in (plan(a, CFG, at(26), event=_edited("2026-12-01", "2026-12-01")).comment or "")
    no_date = EventInfo(
        "pull_request", "edited", DECIDER, rfc_body(), rfc_body(drop=("Decision date",)), at(26)
    )
    assert "moved" not in (plan(a, CFG, at(26), event=no_date).comment or "")
    title_only = EventInfo("pull_request", "edited", DECIDER, rfc_body(), None, at(26))
    assert "moved" not in (plan(a, CFG, at(26), event=title_only).comment or "")


def test_a_mangled_memory_is_forgotten_not_fatal() -> None:
    assert read_memory("<!-- gh-ops-memory {not json} -->") == Memory()
    assert read_memory('<!-- gh-ops-memory {"moves": [{"old": 1}]} -->') == Memory()
    memory = Memory((Move("a", "b", "c", "d"),), announced=True)
    assert read_memory(memory_text(memory)) == memory


# --- labels and notices ---------------------------------------------------------------------------


def test_labels_follow_the_status() -> None:
    a = assess(pull(), CFG, at(25))
    assert plan(a, CFG, at(25)).add_labels == ["rfc"]
    labelled = pull(labels={"RFC": "L1", "rfc:overdue": "L2"})
    writes = plan(assess(labelled, CFG, at(25)), CFG, at(25))
    assert writes.add_labels == [] and writes.remove_labels == ["rfc:overdue"]  # no longer overdue
    late = plan(assess(pull(labels={"rfc": "L1"}), CFG, at(2)), CFG, at(2), reminders=True)
    assert late.add_labels == ["rfc:overdue"]


def test_a_merge_without_decision_asks_the_merger_once() -> None:
    merged = pull(state="MERGED", merged_at=at(2), merged_by="bob", labels={"rfc": "L1"})
    writes = plan(assess(merged, CFG, at(2)), CFG, at(2))
    assert writes.add_labels == ["rfc:no-decision"]
    assert writes.notice is not None and writes.notice[1].startswith("<!-- gh-ops:rfc-no-decision -->\n@bob:")
    assert "@alice" in writes.notice[1]
    asked = replace_comments(merged, comment(writes.notice[1], node_id="IC_9"))
    assert plan(assess(asked, CFG, at(3)), CFG, at(3)).notice is None
    # The decision written afterwards clears the label.
    fixed = pull(
        state="MERGED",
        merged_at=at(2),
        labels={"rfc": "L1", "rfc:no-decision": "L3"},
        comments=(comment("Decision: yes", author=DECIDER),),
    )
    assert plan(assess(fixed, CFG, at(3)), CFG, at(3)).remove_labels == ["rfc:no-decision"]


def replace_comments(p: Pull, *comments: Comment) -> Pull:
    from dataclasses import replace

    return replace(p, comments=p.comments + comments)


def test_assignees_are_added_only_when_configured_and_up_to_ten() -> None:
    a = assess(pull(assignees=("bob",)), CFG, at(25))
    assert plan(a, CFG, at(25)).assign == ()
    assert "Not assigned yet: `@carol`, `@dave`" in (plan(a, CFG, at(25)).comment or "")
    auto = config("rfc:\n  assign_feedback: true\n")
    assert plan(assess(pull(assignees=("bob",)), auto, at(25)), auto, at(25)).assign == ("carol", "dave")
    crowded = pull(assignees=tuple(f"p{i}" for i in range(9)))
    assert plan(assess(crowded, auto, at(25)), auto, at(25)).assign == ("bob",)
    assert "Not assigned yet" not in (plan(assess(crowded, auto, at(25)), auto, at(25)).comment or "")


# --- reminders ------------------------------------------------------------------------------------


def reminder(p: Pull, now: datetime, cfg: Config = CFG) -> str | None:
    notice = plan(assess(p, cfg, now), cfg, now, reminders=True).notice
    return notice[1] if notice else None


def test_required_people_who_have_not_answered_are_mentioned_the_day_before_once() -> None:
    p = pull(reviews=(Review("bob", "APPROVED", at(25)),))
    assert reminder(p, at(29, 23)) is None  # two days before
    text = reminder(p, at(30, 8))
    assert text is not None
    assert text.startswith("<!-- gh-ops:rfc-due-soon date=2026-12-01 -->\n@carol:")
    assert "@bob" not in text and "@dave" not in text  # answered; optional
    sent = replace_comments(p, comment(text, at=at(30, 8)))
    assert reminder(sent, at(30, 20)) is None
    assert reminder(sent, at(1, 10)) is None  # the decision day itself: already reminded
    # A run that was late (on the decision day) still reminds, once.
    assert reminder(p, at(1, 10)) is not None


def test_nobody_is_nagged_when_everyone_required_answered_or_it_is_decided_or_draft() -> None:
    answered = pull(reviews=(Review("bob", "APPROVED", at(25)), Review("carol", "COMMENTED", at(25))))
    assert reminder(answered, at(30, 12)) is None
    decided = pull(body=rfc_body(decision="Yes."))
    assert reminder(decided, at(3)) is None
    assert reminder(pull(draft=True), at(3)) is None


def test_the_decision_maker_is_reminded_once_per_interval_after_the_date() -> None:
    p = pull()
    assert "rfc-due-soon" in (reminder(p, at(1, 23)) or "")  # still before the end of the day
    first_time = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
    text = reminder(p, first_time)
    assert text is not None and text.startswith(
        "<!-- gh-ops:rfc-overdue at=2026-12-02T00:30:00+00:00 -->\n@alice:"
    )
    sent = replace_comments(p, comment(text, at=first_time))
    assert reminder(sent, datetime(2026, 12, 2, 23, 59, tzinfo=UTC)) is None  # same day in London
    assert reminder(sent, datetime(2026, 12, 3, 0, 1, tzinfo=UTC)) is not None  # the next day


def test_a_daily_reminder_follows_the_configured_timezone() -> None:
    tokyo = config("rfc:\n  remind_every: 1d\n").__class__  # keep the type checker honest
    cfg = parse_config("timezone: Asia/Tokyo\nteams: {}\n", "gh-ops.yml", base_dir=Path("."))
    assert isinstance(cfg, tokyo)
    p = pull()
    sent_at = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo on 2 December
    sent = replace_comments(p, comment(reminder(p, sent_at, cfg) or "", at=sent_at))
    # 15:30 UTC is 00:30 on 3 December in Tokyo: a new day there, though the same day in UTC.
    assert reminder(sent, datetime(2026, 12, 2, 15, 30, tzinfo=UTC), cfg) is not None


def test_an_hourly_interval_counts_hours() -> None:
    cfg = config("rfc:\n  remind_every: 12h\n")
    p = pull()
    first = datetime(2026, 12, 2, 8, tzinfo=UTC)
    sent = replace_comments(p, comment(reminder(p, first, cfg) or "", at=first))
    assert reminder(sent, first + timedelta(hours=11, minutes=59), cfg) is None
    assert reminder(sent, first + timedelta(hours=12), cfg) is not None


def test_a_forged_reminder_does_not_silence_the_real_one() -> None:
    p = pull()
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    fake_marker = "<!-- gh-ops:rfc-overdue at=2026-12-02T08:00:00+00:00 -->\nhush"
    assert reminder(replace_comments(p, comment(fake_marker, author="mallory")), now) is not None


def test_a_decision_date_with_a_time_and_zone_is_honoured() -> None:
    p = pull(body=rfc_body(date="2026-12-01 17:00 CET"))  # 16:00 UTC
    assert assess(p, CFG, datetime(2026, 12, 1, 15, 59, tzinfo=UTC)).overdue is False
    assert assess(p, CFG, datetime(2026, 12, 1, 16, 1, tzinfo=UTC)).overdue is True


# --- chat -----------------------------------------------------------------------------------------


def test_chat_announces_a_new_rfc_and_its_decision_once_each() -> None:
    a = assess(pull(), CFG, at(25))
    messages, memory = chat_messages(a, at(25))
    assert messages == [
        "New RFC <https://github.com/acme/handbook/pull/7|#7 Move the event store to ClickHouse> · "
        "decides: alice · by 2026-12-01"
    ]
    assert memory.announced
    merged = pull(state="MERGED", merged_at=at(30), body=rfc_body(decision="Yes"))
    again = assess(
        replace_comments(merged, comment(memory_text(memory).join(["<!-- gh-ops:rfc -->\n", ""]))),
        CFG,
        at(30),
    )
    messages, memory = chat_messages(again, at(30))
    assert messages == [
        "RFC decided and merged: "
        "<https://github.com/acme/handbook/pull/7|#7 Move the event store to ClickHouse>"
    ]
    assert memory.outcome_announced


def test_chat_text_from_github_cannot_ping_a_channel() -> None:
    a = assess(pull(title="RFC: <!channel> & <https://evil|click>"), CFG, at(25))
    (message,), _ = chat_messages(a, at(25))
    assert "<!channel>" not in message and "&lt;!channel&gt; &amp; &lt;https://evil¦click&gt;" in message


def test_old_rfcs_are_not_announced_when_the_webhook_is_turned_on() -> None:
    a = assess(pull(), CFG, OPENED + timedelta(days=8))
    assert chat_messages(a, OPENED + timedelta(days=8))[0] == []


# --- digest ---------------------------------------------------------------------------------------


def test_the_digest_groups_rfcs() -> None:
    now = at(30, 12)
    rows = [
        digest_row(assess(pull(number=1), CFG, now), CFG, now),  # due tomorrow
        digest_row(assess(pull(number=2, body=rfc_body(date="2026-11-29")), CFG, now), CFG, now),
        digest_row(assess(pull(number=3, body=rfc_body(date="2026-12-03")), CFG, now), CFG, now),
        digest_row(
            assess(pull(number=4, state="MERGED", merged_at=at(29), body=rfc_body(decision="Y")), CFG, now),
            CFG,
            now,
        ),
        digest_row(assess(pull(number=5, title="RFC: a | b [x](y)"), CFG, now), CFG, now),
    ]
    assert [r.group for r in rows] == ["due-soon", "overdue", "open", "decided", "due-soon"]
    text = digest(rows, now, CFG)
    assert "overdue: 1 · due soon: 2 · open: 1 · drafts: 0 · decided: 1" in text
    assert "#### Overdue" in text and "#### Decided or declined in the last 7 days" in text
    assert "#5 a \\| b \\[x\\](y)" in text
    assert "0/2 required" in text
    assert "No RFCs" in digest([], now, CFG)


# --- changed files from the checkout --------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_files_come_from_the_pull_requests_merge_commit(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        env = {
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        }
        done = subprocess.run(
            ["git", "-C", str(tmp_path), *args], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    git("init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("x")
    git("add", ".")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "feature")
    (tmp_path / "requests-for-comments").mkdir()
    (tmp_path / "requests-for-comments" / "2026-11-24-clickhouse.md").write_text("# RFC")
    git("add", ".")
    git("commit", "-qm", "rfc")
    head = git("rev-parse", "HEAD")
    git("checkout", "-q", "main")
    (tmp_path / "other.txt").write_text("y")
    git("add", ".")
    git("commit", "-qm", "main moves on")
    git("merge", "-q", "--no-ff", "-m", "merge", "feature")  # what refs/pull/N/merge is
    files = changed_files_from_checkout(head, str(tmp_path))
    assert files == ("requests-for-comments/2026-11-24-clickhouse.md",)  # not other.txt: that is the base's
    assert changed_files_from_checkout("f" * 40, str(tmp_path)) is None  # another PR
    assert changed_files_from_checkout(None, str(tmp_path)) is None
    assert changed_files_from_checkout(head, str(tmp_path / "nowhere")) is None


def test_a_filled_decision_does_not_excuse_a_malformed_open_rfc() -> None:
    body = rfc_body(drop=("Problem", "Context"), decider="TBD", decision="We do it.")
    a = assess(pull(body=body), CFG, at(25))
    assert a.status == rfc.MALFORMED and len(a.problems) == 3


def test_a_reopened_rfc_has_its_outcome_told_again() -> None:
    closed = pull(state="CLOSED", closed_at=at(27))
    (declined,), memory = chat_messages(assess(closed, CFG, at(27)), at(27))
    assert declined.startswith("RFC declined") and memory.outcome_announced
    kept = comment("<!-- gh-ops:rfc -->\n" + memory_text(memory))
    reopened = assess(pull(comments=(kept,)), CFG, at(28))
    assert chat_messages(reopened, at(28))[1].outcome_announced is False
    merged = pull(state="MERGED", merged_at=at(29), body=rfc_body(decision="Yes"), comments=(kept,))
    from dataclasses import replace

    again = replace(assess(merged, CFG, at(29)), memory=replace(memory, outcome_announced=False))
    assert chat_messages(again, at(29))[0][0].startswith("RFC decided and merged")


def test_drafts_are_neither_announced_nor_labelled_overdue() -> None:
    draft = assess(pull(draft=True), CFG, at(25))
    assert chat_messages(draft, at(25))[0] == []
    late = plan(assess(pull(draft=True, labels={"rfc": "L1"}), CFG, at(3)), CFG, at(3), reminders=True)
    assert late.add_labels == [] and late.notice is None


def test_a_date_with_its_own_zone_says_which() -> None:
    text = plan(assess(pull(body=rfc_body(date="2026-12-01 CET")), CFG, at(25)), CFG, at(25)).comment or ""
    assert "2026-12-01 (Tuesday), end of the day (UTC+01:00)" in text


def test_two_racing_rfc_comments_pool_their_memory() -> None:
    one = Memory((Move("2026-12-01", "2026-11-30", "alice", "2026-11-26T09:00:00+00:00"),))
    two = Memory((Move("2026-11-30", "2026-11-29", "bob", "2026-11-27T09:00:00+00:00"),), announced=True)
    comments = (
        comment("<!-- gh-ops:rfc -->\n" + memory_text(one), node_id="IC_1"),
        comment("<!-- gh-ops:rfc -->\n" + memory_text(two), node_id="IC_2"),
    )
    a = assess(pull(comments=comments), CFG, at(28))
    assert a.kept is not None and a.kept.node_id == "IC_1"
    assert a.memory == Memory(one.moves + two.moves, announced=True)
    assert [c.node_id for c in a.duplicates] == ["IC_2"]


def test_the_oldest_rfc_comment_is_kept_and_the_others_deleted_once_merged() -> None:
    move = Move("2026-12-01", "2026-11-30", "alice", "2026-11-26T09:00:00+00:00")
    older = comment("<!-- gh-ops:rfc -->\nold\n" + memory_text(Memory()), at=at(24, 10), node_id="IC_old")
    newer = comment(
        "<!-- gh-ops:rfc -->\nnew\n" + memory_text(Memory((move,), outcome_announced=True)),
        at=at(24, 11),
        node_id="IC_new",
    )
    pasted = comment("<!-- gh-ops:rfc -->\nfrom a person", author="mallory", at=at(24, 12), node_id="IC_p")
    a = assess(pull(comments=(newer, older, pasted)), CFG, at(28))  # the newer listed first
    assert a.kept is not None and a.kept.node_id == "IC_old"
    assert [c.node_id for c in a.duplicates] == ["IC_new"]  # only gh-ops' own comments count
    assert a.memory == Memory((move,), outcome_announced=True)

    writes = plan(a, CFG, at(28))
    assert [c.node_id for c in writes.delete] == ["IC_new"]
    assert writes.comment is not None and memory_text(a.memory) in writes.comment  # kept gets it all
    assert "delete 1 extra RFC comment on #" in "\n".join(writes.describe(a))
    alone = assess(pull(comments=(older,)), CFG, at(28))
    assert alone.duplicates == () and plan(alone, CFG, at(28)).delete == ()


def test_merged_memory_keeps_each_move_once_in_time_order_and_every_notice_sent() -> None:
    early = Move("2026-12-01", "2026-11-30", "alice", "2026-11-26T09:00:00+00:00")
    late = Move("2026-11-30", "2026-11-29", "bob", "2026-11-27T09:00:00+00:00")
    merged = merge_memory(Memory((late, early), announced=True), Memory((early,), outcome_announced=True))
    assert merged == Memory((early, late), announced=True, outcome_announced=True)
    assert merge_memory(Memory(), Memory()) == Memory()
