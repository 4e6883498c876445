"""RFC pull requests on GitHub: the check (a check run, one comment kept up to date with the roster
and the date history, labels, assignees), merges and declines, reminders, the digest, chat notices.

The rules are pure functions (`assess`, `plan`, `render_comment`, `digest`); `check` and `remind`
read once per pull request (or per page of them) and send each pull request's writes as one
GraphQL mutation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from gh_ops import chat, rfc
from gh_ops import rfc_queries as q
from gh_ops.config import Config
from gh_ops.dates import local_now
from gh_ops.dates import parse_time as _time
from gh_ops.errors import GitHubError, GraphQLNotFound, UsageError
from gh_ops.gql import failed_parts, mutation, owner_name
from gh_ops.gql import login as _login
from gh_ops.markup import defuse_markup, marker, read_marker
from gh_ops.models import Comment, Review

if TYPE_CHECKING:
    from gh_ops.github import GitHub

CHECK_NAME = "RFC"
JUST_OPENED = timedelta(minutes=15)  # the sweep leaves a pull request this new to `rfc check`
RECENT_DAYS = 7  # the digest's "recently decided"; also how old a notice may be to still be sent
PULL_EVENTS = ("pull_request", "pull_request_target")
EVENTS = (*PULL_EVENTS, "pull_request_review", "issue_comment")
LABEL_COLORS = {"rfc": "5319e7", "overdue": "d93f0b", "no_decision": "b60205"}
LABEL_DESCRIPTIONS = {
    "rfc": "A request for comments: a decision proposed in a pull request",
    "overdue": "RFC past its decision date with no decision recorded",
    "no_decision": "RFC merged without its decision written down",
}

# Statuses beyond rfc.VALID / OVERDUE / MALFORMED / DECIDED:
MERGED_UNDECIDED = "merged-undecided"
DECLINED = "declined"
FAILING = (rfc.MALFORMED, MERGED_UNDECIDED)

Say = Callable[[str], None]


# --- what GitHub says about a pull request -----------------------------------------------------


@dataclass(frozen=True)
class Pull:
    node_id: str
    number: int
    title: str
    body: str
    url: str
    created_at: datetime
    updated_at: datetime | None
    state: str  # OPEN, CLOSED or MERGED
    merged_at: datetime | None
    closed_at: datetime | None
    draft: bool
    head_sha: str
    author: str | None
    merged_by: str | None
    labels: dict[str, str]  # name -> node id
    assignees: tuple[str, ...]
    files: tuple[str, ...] | None  # None: not fetched
    reviews: tuple[Review, ...]
    comments: tuple[Comment, ...]

    @property
    def open(self) -> bool:
        return self.state == "OPEN"

    @property
    def merged(self) -> bool:
        return self.state == "MERGED"

    def has_label(self, name: str) -> bool:
        return any(n.casefold() == name.casefold() for n in self.labels)


def pull_from_json(node: dict[str, Any]) -> Pull:
    files = node.get("files")
    return Pull(
        node_id=node["id"],
        number=node["number"],
        title=node.get("title") or "",
        body=node.get("body") or "",
        url=node.get("url") or "",
        created_at=_time(node["createdAt"]),  # type: ignore[arg-type]
        updated_at=_time(node.get("updatedAt")),
        state=node.get("state") or "OPEN",
        merged_at=_time(node.get("mergedAt")),
        closed_at=_time(node.get("closedAt")),
        draft=bool(node.get("isDraft")),
        head_sha=node.get("headRefOid") or "",
        author=_login(node.get("author")),
        merged_by=_login(node.get("mergedBy")),
        labels={n["name"]: n["id"] for n in (node.get("labels") or {}).get("nodes") or []},
        assignees=tuple(n["login"] for n in (node.get("assignees") or {}).get("nodes") or []),
        files=None if files is None else tuple(n["path"] for n in files.get("nodes") or []),
        reviews=tuple(Review.from_graphql(n) for n in (node.get("reviews") or {}).get("nodes") or [] if n),
        comments=tuple(Comment.from_graphql(n) for n in (node.get("comments") or {}).get("nodes") or [] if n),
    )


@dataclass(frozen=True)
class RepoInfo:
    node_id: str
    labels: dict[str, str | None]  # configured label name -> node id, None when it does not exist


def _repo_info(data: dict[str, Any], cfg: Config) -> RepoInfo:
    labels = {}
    for alias, name in (
        ("rfcLabel", cfg.rfc.label),
        ("overdueLabel", cfg.rfc.overdue_label),
        ("noDecisionLabel", cfg.rfc.no_decision_label),
    ):
        found = data.get(alias)
        labels[name] = found["id"] if found else None
    return RepoInfo(data["id"], labels)


# --- who decides, who answered, what is remembered ----------------------------------------------

_DECISION_COMMENT = re.compile(r"\s*(?:\*\*|__)?decision\s*(?:\*\*|__)?\s*:", re.I)
RESPONSES = {
    "APPROVED": "approved",
    "CHANGES_REQUESTED": "asked for changes",
    "COMMENTED": "reviewed",
    "DISMISSED": "reviewed",
}


def decision_comment(pull: Pull, decider: str | None) -> Comment | None:
    """The decision maker's first comment starting with `Decision:` (bold or not, any case)."""
    if decider is None:
        return None
    for comment in pull.comments:
        if (comment.author or "").casefold() == decider.casefold() and _DECISION_COMMENT.match(comment.body):
            return comment
    return None


@dataclass(frozen=True)
class RosterEntry:
    login: str
    required: bool
    team: bool  # @org/team: membership is not looked up, so a team is listed but not counted
    response: str | None  # "approved", "asked for changes", "reviewed", "commented", or None
    assigned: bool


def roster(feedback: tuple[rfc.FeedbackWanted, ...], pull: Pull) -> tuple[RosterEntry, ...]:
    entries = []
    assigned = {a.casefold() for a in pull.assignees}
    for wanted in feedback:
        key = wanted.login.casefold()
        response = None
        if "/" not in key:
            reviews = [r for r in pull.reviews if (r.author or "").casefold() == key and r.state in RESPONSES]
            if reviews:
                response = RESPONSES[reviews[-1].state]
            elif any((c.author or "").casefold() == key for c in pull.comments):
                response = "commented"
        entries.append(RosterEntry(wanted.login, wanted.required, "/" in key, response, key in assigned))
    return tuple(entries)


@dataclass(frozen=True)
class Move:
    """A decision date moved by an edit of the description."""

    old: str
    new: str
    by: str
    at: str  # ISO timestamp of the edit


@dataclass(frozen=True)
class Memory:
    """What the kept comment remembers between runs, hidden at its end."""

    moves: tuple[Move, ...] = ()
    announced: bool = False  # the new RFC was sent to chat
    outcome_announced: bool = False  # its decision (or decline) was sent to chat


_MEMORY = re.compile(r"<!-- gh-ops-memory (\{.*?\}) -->", re.S)


def read_memory(body: str) -> Memory:
    match = _MEMORY.search(body)
    if not match:
        return Memory()
    try:
        raw = json.loads(match.group(1))
        moves = tuple(
            Move(str(m["old"]), str(m["new"]), str(m["by"]), str(m["at"])) for m in raw.get("moves", [])
        )
        return Memory(moves, bool(raw.get("announced")), bool(raw.get("outcome_announced")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return Memory()  # a mangled memory loses the history, not the run


def memory_text(memory: Memory) -> str:
    data = {
        "moves": [m.__dict__ for m in memory.moves],
        "announced": memory.announced,
        "outcome_announced": memory.outcome_announced,
    }
    return f"<!-- gh-ops-memory {defuse_markup(json.dumps(data, ensure_ascii=True))} -->"


# --- the assessment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    pull: Pull
    report: rfc.RfcReport
    status: str  # rfc.VALID, rfc.OVERDUE, rfc.MALFORMED, rfc.DECIDED, MERGED_UNDECIDED or DECLINED
    decided_in: str | None  # "section", "comment" or None
    roster: tuple[RosterEntry, ...]
    kept: Comment | None  # gh-ops' comment on this pull request
    memory: Memory
    notices: dict[str, list[Comment]]  # gh-ops' other comments by marker kind

    @property
    def decider(self) -> str | None:
        return self.report.decider

    @property
    def awaiting_decision(self) -> bool:
        return self.pull.open and self.decided_in is None

    @property
    def overdue(self) -> bool:
        return self.awaiting_decision and self.report.overdue

    @property
    def problems(self) -> tuple[rfc.RfcProblem, ...]:
        if self.status == rfc.MALFORMED:
            return self.report.problems
        if self.status == MERGED_UNDECIDED:
            return tuple(p for p in self.report.problems if p.code == "decision-not-recorded")
        return ()

    def missing_assignees(self) -> tuple[str, ...]:
        return tuple(e.login for e in self.roster if not e.team and not e.assigned)

    def silent_required(self) -> tuple[str, ...]:
        return tuple(e.login for e in self.roster if e.required and not e.team and e.response is None)


def assess(pull: Pull, cfg: Config, now: datetime) -> Assessment:
    first = rfc.check_rfc(pull.title, pull.body, pull.created_at, now, cfg)
    by_comment = decision_comment(pull, first.decider)
    decided_in = "section" if first.decided else ("comment" if by_comment else None)
    report = first
    if pull.merged and decided_in is None:
        report = rfc.check_rfc(pull.title, pull.body, pull.created_at, now, cfg, merged=True)
    if pull.state == "CLOSED":
        status = DECLINED
    elif pull.open and report.problems:
        status = rfc.MALFORMED  # a filled Decision section does not excuse the rest
    elif decided_in is not None:
        status = rfc.DECIDED
    elif pull.merged:
        status = MERGED_UNDECIDED
    else:
        status = report.status
    kept, memory = None, Memory()
    notices: dict[str, list[Comment]] = {}
    for comment in pull.comments:
        if not cfg.trusted(comment.author):
            continue
        found = read_marker(comment.body)
        if found is None:
            continue
        if found[0] == "rfc":
            # Two runs racing may each have posted one: the first is kept, the others' memory
            # is merged into it (and they are no longer updated).
            kept = kept or comment
            memory = _merge_memory(memory, read_memory(comment.body))
        else:
            notices.setdefault(found[0], []).append(comment)
    return Assessment(
        pull=pull,
        report=report,
        status=status,
        decided_in=decided_in,
        roster=roster(report.feedback, pull),
        kept=kept,
        memory=memory,
        notices=notices,
    )


def _merge_memory(a: Memory, b: Memory) -> Memory:
    moves = tuple(sorted({*a.moves, *b.moves}, key=lambda m: m.at))
    return Memory(moves, a.announced or b.announced, a.outcome_announced or b.outcome_announced)


# --- what the event says ------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInfo:
    name: str
    action: str | None
    sender: str | None
    body: str | None  # the description as the event saw it
    body_from: str | None  # the description before an `edited` event, when it changed
    at: datetime | None


def moved_date(a: Assessment, event: EventInfo | None, cfg: Config) -> Move | None:
    """The move an `edited` event made to the decision date, if it made one."""
    if event is None or event.action != "edited" or event.body_from is None:
        return None
    old, new = (_date_in(body, cfg) for body in (event.body_from, event.body))
    if old is None or new is None or old == new:
        return None
    at = (event.at or a.pull.updated_at or a.pull.created_at).isoformat()
    return Move(rfc._show(old), rfc._show(new), event.sender or "someone", at)


def _date_in(body: str | None, cfg: Config) -> datetime | None:
    section = rfc.parse_sections(body, cfg).get("decision_date")
    return rfc.parse_decision_date(section.text, cfg.timezone) if section else None


# --- the kept comment ---------------------------------------------------------------------------


def _quiet(login: str) -> str:
    """A login shown without notifying its owner (a kept comment is no place for mentions)."""
    return f"`@{login}`"


def _day_of(timestamp: str, cfg: Config) -> str:
    try:
        return datetime.fromisoformat(timestamp).astimezone(ZoneInfo(cfg.timezone)).date().isoformat()
    except ValueError:
        return timestamp[:10]


def _quiet_mentions(text: str) -> str:
    """Every @login in a text put in code, so posting it notifies nobody."""
    return rfc._MENTION.sub(lambda m: f"`{m.group(0)}`", text)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date_text(a: Assessment, cfg: Config) -> str:
    moment = a.report.decision_date
    if moment is None:
        return "not readable"
    shown = rfc._show(moment)
    if shown == moment.date().isoformat():
        local = moment.tzinfo == ZoneInfo(cfg.timezone)
        zone = cfg.timezone if local else f"UTC{moment.strftime('%z')[:3]}:{moment.strftime('%z')[3:]}"
        return f"{shown} ({moment.strftime('%A')}), end of the day ({zone})"
    return shown


STATUS_LINES = {
    rfc.VALID: "✅ **Ready for feedback.** Every section is filled in.",
    rfc.OVERDUE: "⏰ **Overdue.** The decision date has passed and no decision is recorded.",
    rfc.MALFORMED: "❌ **Not ready: {n} to fix** before this RFC can be decided.",
    rfc.DECIDED: "✅ **Decided.**",
    MERGED_UNDECIDED: "❌ **Merged without a recorded decision.**",
    DECLINED: "**Declined:** closed without merging.",
}


def render_comment(a: Assessment, memory: Memory, cfg: Config, *, assigned_by_us: bool) -> str:
    """The kept comment. Nothing in it depends on the clock except the status, so runs that find
    nothing new leave it as it is (no edit, no request)."""
    n = len(a.problems)
    lines = [marker("rfc"), STATUS_LINES[a.status].format(n=f"{n} problem" + ("s" if n != 1 else ""))]
    heading = cfg.rfc.sections[rfc.DECISION_SECTION][0]
    if a.status == rfc.DECIDED:
        where = (
            f"in the “{heading}” section"
            if a.decided_in == "section"
            else f"in {_quiet(a.decider or '?')}'s comment starting with `Decision:`"
        )
        lines[-1] += f" The decision is recorded {where}."
    if a.status == DECLINED and a.pull.closed_at:
        lines[-1] += f" Closed on {a.pull.closed_at.date().isoformat()}; recorded as declined."
    lines.append("")
    facts = [f"**Decision maker:** {_quiet(a.decider) if a.decider else 'not named'}"]
    facts.append(f"**Decision date:** {_date_text(a, cfg)}")
    lines += [" · ".join(facts), ""]
    if a.problems:
        for i, problem in enumerate(a.problems, start=1):
            where = f"Line {problem.line}: " if problem.line else ""
            text = f"{where}{_capital(problem.message)} {problem.fix}"
            lines.append(f"{i}. {_quiet_mentions(defuse_markup(text))}")
        lines.append("")
    lines += _roster_lines(a, cfg, assigned_by_us)
    if memory.moves:
        times = len(memory.moves)
        lines += [
            f"**Decision date moved {times} time{'s' if times != 1 else ''}:**",
            "",
            "| When | From | To | By |",
            "|---|---|---|---|",
        ]
        lines += [f"| {_day_of(m.at, cfg)} | {m.old} | {m.new} | {_quiet(m.by)} |" for m in memory.moves]
        lines.append("")
    lines.append(
        "<sub>Kept up to date by gh-ops on every change to the pull request: fix the description and "
        "this comment follows.</sub>"
    )
    lines.append(memory_text(memory))
    return "\n".join(lines) + "\n"


def _roster_lines(a: Assessment, cfg: Config, assigned_by_us: bool) -> list[str]:
    if not a.roster:
        return []
    required = [e for e in a.roster if e.required and not e.team]
    optional = [e for e in a.roster if not e.required and not e.team]
    count = (
        f"required {sum(1 for e in required if e.response)}/{len(required)} · "
        f"optional {sum(1 for e in optional if e.response)}/{len(optional)}"
    )
    lines = [f"**Feedback:** {count}", "", "| Who | | Response |", "|---|---|---|"]
    for e in a.roster:
        if e.team:
            answer = "a team: answers are not tracked"
        else:
            answer = f"✅ {e.response}" if e.response else "⏳ no response yet"
        lines.append(f"| {_quiet(e.login)} | {'required' if e.required else 'optional'} | {answer} |")
    lines.append("")
    if a.awaiting_decision and required and all(e.response for e in required):
        decider = _quiet(a.decider) if a.decider else "the decision maker"
        lines += [
            f"Every required person has responded: {decider} may decide now, before the date.",
            "",
        ]
    missing = a.missing_assignees()
    if missing and a.pull.open and not assigned_by_us:
        who = ", ".join(_quiet(m) for m in missing)
        lines += [
            f"Not assigned yet: {who}. The people whose feedback is wanted are the pull request's "
            "assignees: assign them (or set `rfc.assign_feedback: true` to let gh-ops do it).",
            "",
        ]
    return lines


# --- check run, notices, chat ---------------------------------------------------------------------


def check_run_output(a: Assessment, cfg: Config) -> tuple[str, dict[str, str]]:
    """The check run's conclusion and output. Overdue is neutral: late, but not malformed."""
    date_text = _date_text(a, cfg)
    if a.status == rfc.MALFORMED:
        conclusion, title = "FAILURE", f"{len(a.problems)} problem(s) to fix"
    elif a.status == rfc.OVERDUE:
        conclusion, title = "NEUTRAL", f"Overdue: the decision was due {date_text}"
    elif a.status == rfc.DECIDED:
        conclusion, title = "SUCCESS", "Decided"
    else:
        conclusion, title = "SUCCESS", f"Ready for feedback: decision by {date_text}"
    parts = [STATUS_LINES.get(a.status, a.status).format(n=f"{len(a.problems)} problem(s)")]
    if a.problems:
        parts.append("\n".join(f"- **{_capital(p.message)}** {p.fix}" for p in a.problems))
    required = [e for e in a.roster if e.required and not e.team]
    if required:
        answered = sum(1 for e in required if e.response)
        parts.append(f"Required feedback: {answered}/{len(required)} responded.")
    return conclusion, {"title": title[:255], "summary": defuse_markup("\n\n".join(parts))[:60000]}


def due_soon_notice(a: Assessment, cfg: Config) -> str:
    moment = a.report.decision_date
    assert moment is not None
    who = " ".join(f"@{login}" for login in a.silent_required())
    decider = _quiet(a.decider) if a.decider else "the decision maker"
    return (
        f"{marker('rfc-due-soon', date=moment.date().isoformat())}\n"
        f"{who}: your feedback on this RFC is marked required, and {decider} decides by "
        f"{_date_text(a, cfg)}. A review or a comment here counts as your response.\n"
    )


def overdue_notice(a: Assessment, cfg: Config, now: datetime) -> str:
    who = f"@{a.decider}" if a.decider else (f"@{a.pull.author}" if a.pull.author else "Decision maker")
    heading = cfg.rfc.sections[rfc.DECISION_SECTION][0]
    return (
        f"{marker('rfc-overdue', at=now.isoformat(timespec='seconds'))}\n"
        f"{who}: the decision date of this RFC ({_date_text(a, cfg)}) has passed and no decision is "
        f"recorded. Write it under `## {heading}` in the description (or comment starting with "
        "`Decision:`) and merge, close the pull request to decline it, or move the date if you need "
        "more time.\n"
    )


def no_decision_notice(a: Assessment, cfg: Config) -> str:
    who = f"@{a.pull.merged_by}" if a.pull.merged_by else "Whoever merged this"
    decider = f"@{a.decider}" if a.decider else "the decision maker"
    heading = cfg.rfc.sections[rfc.DECISION_SECTION][0]
    return (
        f"{marker('rfc-no-decision')}\n"
        f"{who}: this RFC was merged with no decision recorded. Please ask {decider} to write the "
        f"decision under `## {heading}` in the description, or to comment here starting with "
        "`Decision:`, so the record says what was decided.\n"
    )


def chat_messages(a: Assessment, now: datetime) -> tuple[list[str], Memory]:
    """Chat notices not sent yet (a new RFC; its decision or decline), and the memory once sent.
    Only recent events are announced, so turning the webhook on does not replay old RFCs."""
    recent = now - timedelta(days=RECENT_DAYS)
    memory, messages = a.memory, []
    if a.pull.open and memory.outcome_announced:  # reopened: its outcome is to be told again
        memory = replace(memory, outcome_announced=False)
    ref = chat.link(a.pull.url, f"#{a.pull.number} {a.report.title or a.pull.title}")
    if (
        not memory.announced
        and a.pull.open
        and not a.pull.draft
        and a.status in (rfc.VALID, rfc.OVERDUE)
        and a.pull.created_at >= recent
    ):
        decider = f" · decides: {chat.escape(a.decider)}" if a.decider else ""
        when = f" · by {a.report.decision_date.date().isoformat()}" if a.report.decision_date else ""
        messages.append(f"New RFC {ref}{decider}{when}")
        memory = replace(memory, announced=True)
    ended = a.pull.merged_at or a.pull.closed_at
    if not memory.outcome_announced and ended is not None and ended >= recent:
        if a.status == rfc.DECIDED and a.pull.merged:
            messages.append(f"RFC decided and merged: {ref}")
            memory = replace(memory, outcome_announced=True)
        elif a.status == DECLINED:
            messages.append(f"RFC declined (closed without merging): {ref}")
            memory = replace(memory, outcome_announced=True)
    return messages, memory


# --- the plan: every write one pull request needs -------------------------------------------------


@dataclass
class Writes:
    check_run: tuple[str, dict[str, str]] | None = None  # conclusion, output
    comment: str | None = None  # the kept comment's new text (created when there is none)
    notice: tuple[str, str] | None = None  # (what it is, body): a new comment that notifies
    add_labels: list[str] = field(default_factory=list)
    remove_labels: list[str] = field(default_factory=list)
    assign: tuple[str, ...] = ()
    chat: list[str] = field(default_factory=list)

    def describe(self, a: Assessment) -> list[str]:
        out = list(_alias_lines(self, a).values())
        if self.assign:
            out.append(f"assign {', '.join(self.assign)} to #{a.pull.number}")
        out += [f"send to chat: {m}" for m in self.chat]
        return out


def plan(
    a: Assessment,
    cfg: Config,
    now: datetime,
    *,
    event: EventInfo | None = None,
    check_run: bool = False,
    reminders: bool = False,
    chat_on: bool = False,
) -> Writes:
    writes = Writes()
    pull = a.pull
    memory = a.memory
    move = moved_date(a, event, cfg)
    if move is not None and move not in memory.moves:
        memory = replace(memory, moves=(*memory.moves, move))
    if chat_on:
        writes.chat, memory = chat_messages(replace(a, memory=memory), now)

    if check_run and pull.open:
        writes.check_run = check_run_output(a, cfg)
    if not pull.has_label(cfg.rfc.label):
        writes.add_labels.append(cfg.rfc.label)
    if a.overdue and reminders and not pull.draft and not pull.has_label(cfg.rfc.overdue_label):
        writes.add_labels.append(cfg.rfc.overdue_label)
    if not a.overdue and pull.has_label(cfg.rfc.overdue_label):
        writes.remove_labels.append(cfg.rfc.overdue_label)
    if a.status == MERGED_UNDECIDED:
        if not pull.has_label(cfg.rfc.no_decision_label):
            writes.add_labels.append(cfg.rfc.no_decision_label)
        if "rfc-no-decision" not in a.notices:
            writes.notice = ("ask the merger for the decision", no_decision_notice(a, cfg))
    elif pull.has_label(cfg.rfc.no_decision_label) and a.decided_in is not None:
        writes.remove_labels.append(cfg.rfc.no_decision_label)

    assigning = cfg.rfc.assign_feedback and pull.open
    if assigning:
        room = max(0, 10 - len(pull.assignees))  # GitHub allows 10 assignees
        writes.assign = a.missing_assignees()[:room]

    if reminders and not pull.draft and writes.notice is None:
        writes.notice = _reminder(a, cfg, now)

    body = render_comment(a, memory, cfg, assigned_by_us=assigning)
    if a.kept is None or a.kept.body.strip() != body.strip():
        writes.comment = body
    return writes


def _reminder(a: Assessment, cfg: Config, now: datetime) -> tuple[str, str] | None:
    """The reminder due now, if any: silent required people the day before the date; after the
    date, the decision maker once per `rfc.remind_every` (by calendar day in the config's timezone
    when it is whole days)."""
    moment = a.report.decision_date
    if moment is None or not a.awaiting_decision:
        return None
    tz = ZoneInfo(cfg.timezone)
    if a.overdue:
        times = (_marker_time(c) for c in a.notices.get("rfc-overdue", []))
        last = max((at for at in times if at is not None), default=None)
        if last is None or _interval_passed(last, now, cfg.rfc.remind_every, tz):
            return ("remind the decision maker", overdue_notice(a, cfg, now))
        return None
    day_before = moment.astimezone(tz).date() - timedelta(days=1)
    if now < moment and now.astimezone(tz).date() >= day_before and a.silent_required():
        key = moment.date().isoformat()
        sent = [
            c
            for c in a.notices.get("rfc-due-soon", [])
            if (read_marker(c.body) or ("", {}))[1].get("date") == key
        ]
        if not sent:
            return ("remind the people whose feedback is required", due_soon_notice(a, cfg))
    return None


def _marker_time(comment: Comment) -> datetime | None:
    found = read_marker(comment.body)
    try:
        return datetime.fromisoformat(found[1]["at"]) if found else None
    except (KeyError, ValueError):
        return comment.created_at


def _interval_passed(last: datetime | None, now: datetime, every: timedelta, tz: ZoneInfo) -> bool:
    if last is None:
        return True
    if last.tzinfo is None:
        return True  # not ours to trust
    if every % timedelta(days=1) == timedelta(0):
        return (now.astimezone(tz).date() - last.astimezone(tz).date()).days >= every.days
    return now - last >= every


# --- sending the plan ---------------------------------------------------------------------------


@dataclass
class Applied:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_PART_OF = {
    "checkRun": "check_run",
    "newComment": "comment",
    "editComment": "comment",
    "notice": "notice",
    "addLabels": "add_labels",
    "removeLabels": "remove_labels",
}


def apply(
    gh: GitHub,
    repo: str,
    info: RepoInfo,
    a: Assessment,
    writes: Writes,
    cfg: Config,
    now: datetime,
    *,
    chat_url: str | None,
    read_only: bool = False,
) -> Applied:
    """Send one pull request's writes: one mutation, plus a label created the first time it is
    used, assignees (REST: GraphQL wants node ids we do not have) and the chat notice.

    `read_only`: refusals (403, FORBIDDEN) are warnings, as for a pull request from a fork,
    whose workflow token may only read."""
    applied = Applied()
    lines = _alias_lines(writes, a)
    variables: dict[str, Any] = {}
    if writes.check_run:
        conclusion, output = writes.check_run
        variables["checkRun"] = {
            "repositoryId": info.node_id,
            "headSha": a.pull.head_sha,
            "name": CHECK_NAME,
            "status": "COMPLETED",
            "conclusion": conclusion,
            "completedAt": now.astimezone(ZoneInfo("UTC"))
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "output": output,
        }
    if writes.comment is not None:
        if a.kept is None:
            variables["newComment"] = {"subjectId": a.pull.node_id, "body": writes.comment}
        else:
            variables["editComment"] = {"id": a.kept.node_id, "body": writes.comment}
    if writes.notice:
        variables["notice"] = {"subjectId": a.pull.node_id, "body": writes.notice[1]}
    comment_failed = False
    try:
        if writes.add_labels:
            ids = []
            for name in writes.add_labels:
                label_id = info.labels.get(name)
                if label_id is None:
                    key = next(k for k, v in _label_names(cfg).items() if v == name)
                    label_id = gh.create_label(
                        repo, name, color=LABEL_COLORS[key], description=LABEL_DESCRIPTIONS[key]
                    )
                    info.labels[name] = label_id
                ids.append(label_id or f"(new label {name})")
            variables["addLabels"] = {"labelableId": a.pull.node_id, "labelIds": ids}
        if writes.remove_labels:
            remove = {r.casefold() for r in writes.remove_labels}
            ids = [node_id for name, node_id in a.pull.labels.items() if name.casefold() in remove]
            variables["removeLabels"] = {"labelableId": a.pull.node_id, "labelIds": ids}
        if variables:
            why = "; ".join(line for alias, line in lines.items() if alias in variables)
            data, errors = gh.mutate(mutation(list(variables)), variables, why=why)
            failed = failed_parts(errors, list(variables), data, dry_run=gh.dry_run)
            for alias in variables:
                line = lines.get(alias, alias)
                if alias not in failed:
                    applied.done.append(line)
                else:
                    _refused(
                        applied, line, *failed[alias], check_run=alias == "checkRun", read_only=read_only
                    )
            comment_failed = any(p in failed for p in ("newComment", "editComment"))
        if writes.assign:
            line = f"assign {', '.join(writes.assign)} to #{a.pull.number}"
            after = gh.add_assignees(repo, a.pull.number, writes.assign, why=line)
            skipped = [w for w in writes.assign if w.casefold() not in {x.casefold() for x in after}]
            applied.done.append(line)
            if skipped:
                applied.warnings.append(
                    f"GitHub did not assign {', '.join(skipped)} on #{a.pull.number} "
                    "(people who cannot be assigned: not collaborators of the repository?)"
                )
    except GitHubError as exc:
        # What is left undone is said with what was done; the caller decides the exit code.
        rest = [line for alias, line in lines.items() if line not in applied.done]
        if writes.assign and not any(d.startswith("assign ") for d in applied.done):
            rest.append(f"assign {', '.join(writes.assign)} to #{a.pull.number}")
        reason = exc.message
        if read_only and exc.status == 403:
            applied.warnings.append(f"could not {'; '.join(rest) or 'write'}: {reason} {READ_ONLY_HINT}")
        else:
            applied.failed.append(f"{'; '.join(rest) or 'write'} ({reason})")
        return applied
    if writes.chat and chat_url and not comment_failed:
        for message in writes.chat:
            if gh.dry_run:
                continue
            problem = chat.post(chat_url, message, env_name=cfg.rfc.chat_webhook_env)
            if problem:
                applied.warnings.append(f"not sent to chat ({problem}): {message}")
            else:
                applied.done.append(f"send to chat: {message}")
    return applied


READ_ONLY_HINT = (
    "(the token may only read: a pull request from a fork gets a read-only token on `pull_request` "
    "events; the exit code still reports the check, and `rfc remind` catches up on schedule)"
)
_REFUSALS = ("FORBIDDEN", "INSUFFICIENT_SCOPES")


def _refused(
    applied: Applied, line: str, message: str, kind: str, *, check_run: bool, read_only: bool
) -> None:
    if check_run and kind in _REFUSALS:
        applied.warnings.append(
            f"could not {line}: {message} (a check run needs the workflow token with `checks: write`; a "
            "personal token cannot create one). The step's exit code still reports the result."
        )
    elif read_only and kind in _REFUSALS:
        applied.warnings.append(f"could not {line}: {message} {READ_ONLY_HINT}")
    else:
        applied.failed.append(f"{line} ({message})")


def _label_names(cfg: Config) -> dict[str, str]:
    return {"rfc": cfg.rfc.label, "overdue": cfg.rfc.overdue_label, "no_decision": cfg.rfc.no_decision_label}


def _alias_lines(writes: Writes, a: Assessment) -> dict[str, str]:
    """What each part of the mutation does, in words (for logs, dry runs and failures)."""
    ref = f"#{a.pull.number}"
    lines = {}
    if writes.check_run:
        lines["checkRun"] = (
            f"create check run {CHECK_NAME!r} ({writes.check_run[0].lower()}) on {a.pull.head_sha[:7]}"
        )
    if writes.comment is not None:
        lines["editComment" if a.kept else "newComment"] = (
            f"{'update' if a.kept else 'create'} the RFC comment on {ref}"
        )
    if writes.notice:
        lines["notice"] = f"comment on {ref}: {writes.notice[0]}"
    if writes.add_labels:
        lines["addLabels"] = f"add label(s) {', '.join(writes.add_labels)} to {ref}"
    if writes.remove_labels:
        lines["removeLabels"] = f"remove label(s) {', '.join(writes.remove_labels)} from {ref}"
    return lines


def _label_vars(cfg: Config) -> dict[str, str]:
    return {
        "rfcLabel": cfg.rfc.label,
        "overdueLabel": cfg.rfc.overdue_label,
        "noDecisionLabel": cfg.rfc.no_decision_label,
    }


def _complete(gh: GitHub, repo: str, node: dict[str, Any]) -> dict[str, Any]:
    """The pull request's node with every comment and review (pages beyond the first 100)."""
    for key in ("comments", "reviews"):
        page = node.get(key) or {}
        nodes = list(page.get("nodes") or [])
        info = page.get("pageInfo") or {}
        while info.get("hasNextPage") and info.get("endCursor"):
            variables = {**owner_name(repo), "number": node["number"], "after": info["endCursor"]}
            why = f"read more {key} of #{node['number']}"
            if key == "comments":
                data = gh.graphql(q.RFC_MORE_COMMENTS_QUERY, variables, why=why)
            else:
                data = gh.graphql(q.RFC_MORE_REVIEWS_QUERY, variables, why=why)
            more = ((data.get("repository") or {}).get("pullRequest") or {}).get(key) or {}
            nodes += more.get("nodes") or []
            info = more.get("pageInfo") or {}
        node = {**node, key: {"nodes": nodes}}
    return node


def read_pull(gh: GitHub, repo: str, number: int, cfg: Config, *, with_files: bool) -> tuple[RepoInfo, Pull]:
    try:
        data = gh.graphql(
            q.RFC_PULL_QUERY + q.RFC_PULL_FRAGMENT,
            {**owner_name(repo), "number": number, "withFiles": with_files, **_label_vars(cfg)},
            why=f"read pull request #{number}",
        )
    except GraphQLNotFound:
        raise UsageError(f"{repo} has no pull request #{number}, or the token cannot see it") from None
    repository = data.get("repository")
    if not repository or not repository.get("pullRequest"):
        raise UsageError(f"{repo} has no pull request #{number}")
    return _repo_info(repository, cfg), pull_from_json(_complete(gh, repo, repository["pullRequest"]))


def _pages(gh: GitHub, *, recent: bool, variables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Pages of open pull requests (oldest first), or of closed ones (latest updated first)."""
    after = None
    while True:
        if recent:
            data = gh.graphql(
                q.RFC_RECENT_PULLS_QUERY + q.RFC_PULL_FRAGMENT,
                {**variables, "after": after},
                why="list recently closed pull requests",
            )
        else:
            data = gh.graphql(
                q.RFC_OPEN_PULLS_QUERY + q.RFC_PULL_FRAGMENT,
                {**variables, "after": after},
                why="list open pull requests",
            )
        repository = data.get("repository") or {}
        yield repository
        info = (repository.get("pullRequests") or {}).get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return
        after = info.get("endCursor")


# --- changed files from the checkout ------------------------------------------------------------


def changed_files_from_checkout(
    pull_request: dict[str, Any], cwd: str | None = None
) -> tuple[str, ...] | None:
    """The files a pull request changes, read from the local checkout at no API cost.

    Only when the checkout is the pull request's merge commit with its parents (actions/checkout
    on a pull_request event with `fetch-depth: 2`): its second parent is the head commit, and its
    diff with the first parent (the base branch) is the pull request's change. Otherwise None.
    """
    head = (pull_request.get("head") or {}).get("sha")
    git = shutil.which("git")
    if not head or not git:
        return None
    where = cwd or os.getcwd()
    try:
        second = subprocess.run(
            [git, "-C", where, "rev-parse", "--verify", "--quiet", "HEAD^2"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if second.returncode != 0 or second.stdout.strip() != head:
            return None
        diff = subprocess.run(
            [git, "-C", where, "diff", "--name-only", "--no-renames", "-z", "HEAD^1", "HEAD"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if diff.returncode != 0:
        return None
    return tuple(p for p in diff.stdout.decode("utf-8", "replace").split("\0") if p)


# --- rfc check ----------------------------------------------------------------------------------


@dataclass
class CheckResult:
    number: int | None
    rfc: bool
    status: str | None = None
    assessment: Assessment | None = None
    applied: Applied | None = None
    writes: Writes | None = None
    why_not: str = ""

    @property
    def failed_policy(self) -> bool:
        return self.status in FAILING


def event_target(event_name: str | None, payload: dict[str, Any]) -> tuple[int, dict[str, Any], EventInfo]:
    """The pull request an event is about (its number, its payload object) and what happened."""
    if event_name not in EVENTS:
        raise UsageError(
            f"rfc check runs on {', '.join(EVENTS)} events, not {event_name or 'no event'}: "
            "pass --pr N to check one pull request"
        )
    if event_name == "issue_comment":
        target = payload.get("issue")
        if not isinstance(target, dict) or "pull_request" not in target:
            return 0, {}, EventInfo(event_name, payload.get("action"), None, None, None, None)
    else:
        target = payload.get("pull_request")
    if not isinstance(target, dict) or not isinstance(target.get("number"), int):
        raise UsageError(f"the {event_name} event payload has no pull request number (.pull_request.number)")
    changes = found if isinstance(found := payload.get("changes"), dict) else {}
    body_from = (changes.get("body") or {}).get("from") if isinstance(changes.get("body"), dict) else None
    sender = (payload.get("sender") or {}).get("login")
    at = _time(target.get("updated_at")) if isinstance(target.get("updated_at"), str) else None
    body = target.get("body") if isinstance(target.get("body"), str) else None
    info = EventInfo(event_name, payload.get("action"), sender, body, body_from, at)
    return target["number"], target, info


def check(
    gh_factory: Callable[[], GitHub],
    cfg: Config,
    repo: str,
    now: datetime,
    *,
    number: int | None = None,
    event_name: str | None = None,
    payload: dict[str, Any] | None = None,
    say: Say,
    warn: Say,
    cwd: str | None = None,
) -> CheckResult:
    """Check one RFC pull request and bring its check run, comment, labels and assignees up to date.

    The GitHub client is made only when needed: a pull request that is not an RFC costs nothing.
    """
    now = local_now(now, cfg.timezone)
    event = None
    with_files = True
    from_fork = False
    if number is None:
        number, target, event = event_target(event_name, payload or {})
        from_fork = _from_fork(target)
        if not number:
            return CheckResult(None, False, why_not="the comment is on an issue, not a pull request")
        labels = [lbl.get("name", "") for lbl in target.get("labels") or [] if isinstance(lbl, dict)]
        verdict = rfc.is_rfc(target.get("title"), labels, None, cfg)
        if verdict is None and event_name in PULL_EVENTS:
            files = changed_files_from_checkout(target, cwd)
            if files is not None:
                verdict = rfc.is_rfc(target.get("title"), labels, files, cfg) or False
        elif verdict is None:
            # A review or a comment: an RFC found by its files got the label on its own events.
            verdict = False
        if verdict is False:
            return CheckResult(number, False, why_not="not an RFC (no title prefix, label or RFC file)")
        with_files = verdict is None
    gh = gh_factory()
    info, pull = read_pull(gh, repo, number, cfg, with_files=with_files)
    if not rfc.is_rfc(pull.title, pull.labels, pull.files if with_files else None, cfg):
        return CheckResult(number, False, why_not="not an RFC (no title prefix, label or RFC file)")
    a = assess(pull, cfg, now)
    chat_url = chat.webhook_url(cfg.rfc.chat_webhook_env)
    writes = plan(a, cfg, now, event=event, check_run=True, chat_on=chat_url is not None)
    for line in writes.describe(a):
        say(("would " if gh.dry_run else "") + line)
    applied = apply(gh, repo, info, a, writes, cfg, now, chat_url=chat_url, read_only=from_fork)
    return CheckResult(number, True, a.status, a, applied, writes)


def _from_fork(pull_request: dict[str, Any]) -> bool:
    """A pull request whose head is in another repository: its workflow token may only read."""
    head = ((pull_request.get("head") or {}).get("repo") or {}).get("full_name")
    base = ((pull_request.get("base") or {}).get("repo") or {}).get("full_name")
    return bool(head and base and head != base)


# --- rfc remind ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestRow:
    number: int
    title: str
    url: str
    decider: str | None
    decision_date: str
    feedback: str
    status: str
    group: str  # overdue, due-soon, open, draft, decided


@dataclass
class RemindResult:
    rows: list[DigestRow] = field(default_factory=list)
    applied: list[tuple[int, Applied]] = field(default_factory=list)
    rfcs: int = 0
    failures: list[str] = field(default_factory=list)

    def error(self) -> GitHubError | None:
        """What failed, with how much else was done; None when nothing failed."""
        if not self.failures:
            return None
        done = sum(len(x.done) for _, x in self.applied)
        return GitHubError(
            "some RFCs could not be brought up to date:\n  "
            + "\n  ".join(self.failures)
            + f"\n{done} other change(s) were made; re-running is safe"
        )


def remind(
    gh: GitHub,
    cfg: Config,
    repo: str,
    now: datetime,
    *,
    say: Say,
    warn: Say,
) -> RemindResult:
    """The sweep: every open RFC (and those closed in the last days) brought up to date, with the
    reminders that are due. A failure on one pull request does not stop the others."""
    now = local_now(now, cfg.timezone)
    chat_url = chat.webhook_url(cfg.rfc.chat_webhook_env)
    result = RemindResult()
    failures = result.failures

    def handle(info: RepoInfo, node: dict[str, Any], *, reminders: bool) -> None:
        pull = pull_from_json(node)
        if not rfc.is_rfc(pull.title, pull.labels, pull.files, cfg):
            return
        result.rfcs += 1
        try:
            if any(
                ((node.get(k) or {}).get("pageInfo") or {}).get("hasNextPage")
                for k in ("comments", "reviews")
            ):
                pull = pull_from_json(_complete(gh, repo, node))
            a = assess(pull, cfg, now)
            result.rows.append(digest_row(a, cfg, now))
            if a.kept is None and pull.open and now - pull.created_at < JUST_OPENED:
                return  # `rfc check` on its opened event is on it: two runs would post two comments
            writes = plan(a, cfg, now, reminders=reminders, chat_on=chat_url is not None)
            for line in writes.describe(a):
                say(("would " if gh.dry_run else "") + line)
            applied = apply(gh, repo, info, a, writes, cfg, now, chat_url=chat_url)
        except GitHubError as exc:
            failures.append(f"#{pull.number}: {exc.message}")
            return
        result.applied.append((pull.number, applied))
        failures.extend(f"#{pull.number}: could not {f}" for f in applied.failed)
        for warning in applied.warnings:
            warn(warning)

    variables = {**owner_name(repo), "withFiles": True, **_label_vars(cfg)}
    info = None
    for repository in _pages(gh, recent=False, variables=variables):
        if not repository.get("id"):
            raise UsageError(f"repository {repo} not found (check --repo and the token)")
        info = info or _repo_info(repository, cfg)
        for node in (repository.get("pullRequests") or {}).get("nodes") or []:
            handle(info, node, reminders=True)
    recent = now - timedelta(days=RECENT_DAYS)
    assert info is not None
    for repository in _pages(gh, recent=True, variables={**owner_name(repo), "withFiles": True}):
        nodes = (repository.get("pullRequests") or {}).get("nodes") or []
        for node in nodes:
            ended = _time(node.get("closedAt") or node.get("mergedAt"))
            if ended is not None and ended >= recent:
                handle(info, node, reminders=False)
        if not nodes or (_time(nodes[-1].get("updatedAt")) or recent) < recent:
            break
    return result


def digest_row(a: Assessment, cfg: Config, now: datetime) -> DigestRow:
    tz = ZoneInfo(cfg.timezone)
    moment = a.report.decision_date
    if not a.pull.open:
        group = "decided"
    elif a.pull.draft:
        group = "draft"
    elif a.overdue:
        group = "overdue"
    elif moment is not None and a.awaiting_decision and moment.astimezone(tz).date() <= _tomorrow(now, tz):
        group = "due-soon"
    else:
        group = "open"
    required = [e for e in a.roster if e.required and not e.team]
    feedback = f"{sum(1 for e in required if e.response)}/{len(required)} required" if required else "-"
    return DigestRow(
        number=a.pull.number,
        title=a.report.title or a.pull.title,
        url=a.pull.url,
        decider=a.decider,
        decision_date=rfc._show(moment) if moment else "-",
        feedback=feedback,
        status=a.status,
        group=group,
    )


def _tomorrow(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date() + timedelta(days=1)


GROUP_TITLES = {
    "overdue": "Overdue",
    "due-soon": "Due today or tomorrow",
    "open": "Open",
    "draft": "Drafts",
    "decided": f"Decided or declined in the last {RECENT_DAYS} days",
}


GROUP_COUNTS = {
    "overdue": "overdue",
    "due-soon": "due soon",
    "open": "open",
    "draft": "drafts",
    "decided": "decided",
}


def digest(rows: list[DigestRow], now: datetime, cfg: Config, *, dry_run: bool = False) -> str:
    """The Markdown digest of a sweep for the step summary."""
    when = local_now(now, cfg.timezone).strftime("%Y-%m-%d %H:%M")
    counts = " · ".join(f"{name}: {sum(1 for r in rows if r.group == g)}" for g, name in GROUP_COUNTS.items())
    out = [f"### gh-ops rfc remind{' (dry run)' if dry_run else ''}: {when} {cfg.timezone}", "", counts, ""]
    for group, title in GROUP_TITLES.items():
        chosen = [r for r in rows if r.group == group]
        if not chosen:
            continue
        out += [
            f"#### {title}",
            "",
            "| RFC | Decision maker | Decision date | Feedback | Status |",
            "|---|---|---|---|---|",
        ]
        for r in chosen:
            name = _table_text(f"#{r.number} {r.title}")
            link = f"[{name}]({r.url})" if r.url else name
            decider = f"@{r.decider}" if r.decider else "-"
            out.append(f"| {link} | {decider} | {r.decision_date} | {r.feedback} | {r.status} |")
        out.append("")
    if not rows:
        out.append("No RFCs open or recently decided.")
    return "\n".join(out) + "\n"


def _table_text(text: str) -> str:
    """GitHub text made safe inside a Markdown table cell and link text."""
    text = defuse_markup(" ".join(text.split()))
    return re.sub(r"([|\[\]\\`*_<>])", r"\\\1", text)
