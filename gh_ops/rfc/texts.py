"""What RFCs say: the comment kept up to date on each RFC, the check run, the reminders, the chat
messages and the digest of a sweep. Logins in the kept comment are put in code, so editing it never
notifies anyone; text from GitHub is defused before it is embedded."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from gh_ops.config import Config
from gh_ops.dates import local_now
from gh_ops.markup import chat_escape, chat_link, defuse_markup, marker
from gh_ops.rfc.document import MENTION
from gh_ops.rfc.rules import (
    ANNOUNCE_DECIDED,
    ANNOUNCE_NEW,
    COMMENT_KIND,
    DECIDED,
    DECISION_SECTION,
    DECLINED,
    DUE_SOON_REMINDER,
    MALFORMED,
    MERGED_UNDECIDED,
    NO_DECISION_NOTICE,
    OVERDUE,
    OVERDUE_REMINDER,
    RECENT_DAYS,
    VALID,
    Assessment,
    DigestRow,
    Memory,
    memory_text,
    show_date,
)
from gh_ops.rfc.settings import RfcSettings

LABEL_COLORS = {"rfc": "5319e7", "overdue": "d93f0b", "no_decision": "b60205"}
LABEL_DESCRIPTIONS = {
    "rfc": "A request for comments: a decision proposed in a pull request",
    "overdue": "RFC past its decision date with no decision recorded",
    "no_decision": "RFC merged without its decision written down",
}


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
    return MENTION.sub(lambda m: f"`{m.group(0)}`", text)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date_text(a: Assessment, cfg: Config) -> str:
    moment = a.report.decision_date
    if moment is None:
        return "not readable"
    shown = show_date(moment)
    if shown == moment.date().isoformat():
        local = moment.tzinfo == ZoneInfo(cfg.timezone)
        zone = cfg.timezone if local else f"UTC{moment.strftime('%z')[:3]}:{moment.strftime('%z')[3:]}"
        return f"{shown} ({moment.strftime('%A')}), end of the day ({zone})"
    return shown


STATUS_LINES = {
    VALID: "✅ **Ready for feedback.** Every section is filled in.",
    OVERDUE: "⏰ **Overdue.** The decision date has passed and no decision is recorded.",
    MALFORMED: "❌ **Not ready: {n} to fix** before this RFC can be decided.",
    DECIDED: "✅ **Decided.**",
    MERGED_UNDECIDED: "❌ **Merged without a recorded decision.**",
    DECLINED: "**Declined:** closed without merging.",
}


def render_comment(a: Assessment, memory: Memory, cfg: Config, *, assigned_by_us: bool) -> str:
    """The kept comment. Nothing in it depends on the clock except the status, so runs that find
    nothing new leave it as it is (no edit, no request)."""
    n = len(a.problems)
    lines = [marker(COMMENT_KIND), STATUS_LINES[a.status].format(n=f"{n} problem" + ("s" if n != 1 else ""))]
    heading = cfg.section(RfcSettings).sections[DECISION_SECTION][0]
    if a.status == DECIDED:
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


def check_run_output(a: Assessment, cfg: Config) -> tuple[str, dict[str, str]]:
    """The check run's conclusion and output. Overdue is neutral: late, but not malformed."""
    date_text = _date_text(a, cfg)
    if a.status == MALFORMED:
        conclusion, title = "FAILURE", f"{len(a.problems)} problem(s) to fix"
    elif a.status == OVERDUE:
        conclusion, title = "NEUTRAL", f"Overdue: the decision was due {date_text}"
    elif a.status == DECIDED:
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
        f"{marker(DUE_SOON_REMINDER, date=moment.date().isoformat())}\n"
        f"{who}: your feedback on this RFC is marked required, and {decider} decides by "
        f"{_date_text(a, cfg)}. A review or a comment here counts as your response.\n"
    )


def overdue_notice(a: Assessment, cfg: Config, now: datetime) -> str:
    who = f"@{a.decider}" if a.decider else (f"@{a.pull.author}" if a.pull.author else "Decision maker")
    heading = cfg.section(RfcSettings).sections[DECISION_SECTION][0]
    return (
        f"{marker(OVERDUE_REMINDER, at=now.isoformat(timespec='seconds'))}\n"
        f"{who}: the decision date of this RFC ({_date_text(a, cfg)}) has passed and no decision is "
        f"recorded. Write it under `## {heading}` in the description (or comment starting with "
        "`Decision:`) and merge, close the pull request to decline it, or move the date if you need "
        "more time.\n"
    )


def no_decision_notice(a: Assessment, cfg: Config) -> str:
    who = f"@{a.pull.merged_by}" if a.pull.merged_by else "Whoever merged this"
    decider = f"@{a.decider}" if a.decider else "the decision maker"
    heading = cfg.section(RfcSettings).sections[DECISION_SECTION][0]
    return (
        f"{marker(NO_DECISION_NOTICE)}\n"
        f"{who}: this RFC was merged with no decision recorded. Please ask {decider} to write the "
        f"decision under `## {heading}` in the description, or to comment here starting with "
        "`Decision:`, so the record says what was decided.\n"
    )


def chat_text(notice: str, a: Assessment) -> str:
    """The chat message for a notice of rules.chat_notices. GitHub text in it is escaped."""
    ref = chat_link(a.pull.url, f"#{a.pull.number} {a.report.title or a.pull.title}")
    if notice == ANNOUNCE_NEW:
        decider = f" · decides: {chat_escape(a.decider)}" if a.decider else ""
        when = f" · by {a.report.decision_date.date().isoformat()}" if a.report.decision_date else ""
        return f"New RFC {ref}{decider}{when}"
    if notice == ANNOUNCE_DECIDED:
        return f"RFC decided and merged: {ref}"
    return f"RFC declined (closed without merging): {ref}"


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
