"""RFCs, the rules: which pull requests are RFCs; what an RFC must hold (its sections, one decision
maker, a decision date within rfc.max_decision_days of opening, the people whose feedback is
wanted); its status once GitHub says who responded, decided, merged or closed; when reminders and
chat notices are due; and what a new RFC document holds. Pure functions: no GitHub, no I/O, no
clock (`now` is always given)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gh_ops.config import Config
from gh_ops.errors import UsageError
from gh_ops.events import IssuesEvent, PullRequestEvent
from gh_ops.markup import defuse_markup, read_marker
from gh_ops.models import TITLE_LIMIT, Comment, Review
from gh_ops.rfc.document import (
    DATE_FORMS,
    RfcSection,
    UnreadableDate,
    feedback_people,
    mentions,
    parse_decision_date,
    parse_sections,
    read_decision_date,
    without_placeholders,
)
from gh_ops.rfc.settings import RFC_SECTIONS, RfcSettings

# --- what a report says ------------------------------------------------------------------------

VALID = "valid"  # every section is there and filled; the decision date is still ahead
OVERDUE = "overdue"  # well formed, open, undecided, and the decision date has passed
MALFORMED = "malformed"  # at least one problem
DECIDED = "decided"  # well formed, and the Decision section is filled in

# The sections every RFC needs, in the order the template has them. "decision" is filled in later.
DECISION_SECTION = "decision"
REQUIRED_SECTIONS = tuple(sid for sid in RFC_SECTIONS if sid != DECISION_SECTION)

# What belongs in each section: used in the "how to fix" of a problem.
SECTION_PURPOSE = {
    "decision_to_make": "the question being decided, in a sentence or two",
    "decision_maker": "the one person who makes the decision, as @login",
    "decision_date": "the date the decision will be made by, such as 2026-12-01",
    "feedback": "the people whose feedback you need, as @login, each marked required or optional",
    "problem": "the problem the decision solves, and who has it",
    "recommendation": "what you recommend, and why",
    "context": "what the people giving feedback need to know",
    DECISION_SECTION: "what was decided, written by the decision maker before merging",
}

# Every problem code `check_rfc` can return. They are a contract: checks and comments refer to them.
PROBLEM_CODES = (
    "title-empty",
    "section-missing",
    "section-empty",
    "decision-maker-none",
    "decision-maker-several",
    "decision-maker-team",
    "decision-date-unreadable",
    "decision-date-before-opening",
    "decision-date-too-late",
    "feedback-no-people",
    "decision-not-recorded",
)


@dataclass(frozen=True)
class RfcProblem:
    """One thing wrong with an RFC: a stable code, what is wrong, and how to fix it."""

    code: str
    message: str
    fix: str
    section: str | None = None  # the section id it is about
    line: int | None = None  # 1-based line of that section's heading in the body

    def __str__(self) -> str:
        return f"{self.message} {self.fix}"


@dataclass(frozen=True)
class FeedbackWanted:
    login: str  # a login, or org/team for a team
    required: bool


@dataclass(frozen=True)
class RfcReport:
    status: str  # VALID, OVERDUE, MALFORMED or DECIDED
    problems: tuple[RfcProblem, ...]
    title: str  # without the prefix
    sections: dict[str, RfcSection]
    decider: str | None
    decision_date: datetime | None
    days_after_opening: int | None  # the decision date's day, counted from the day the PR opened
    feedback: tuple[FeedbackWanted, ...]
    decided: bool  # the Decision section is filled in
    overdue: bool  # open, undecided, and past the decision date (whatever else is wrong)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- which pull requests are RFCs --------------------------------------------------------------


def has_prefix(title: str | None, cfg: Config) -> bool:
    return (title or "").lstrip().casefold().startswith(cfg.section(RfcSettings).title_prefix.casefold())


def strip_prefix(title: str | None, cfg: Config) -> str:
    """The title without the RFC prefix, spaces collapsed."""
    text = " ".join((title or "").split())
    if has_prefix(text, cfg):
        text = text[len(cfg.section(RfcSettings).title_prefix) :].strip()
    return text


def in_rfc_folder(path: str, cfg: Config) -> bool:
    """A file under the RFC folder (its README aside: editing that is not an RFC)."""
    path = path.replace("\\", "/").removeprefix("./")
    if not path.startswith(cfg.section(RfcSettings).folder):
        return False
    rest = path[len(cfg.section(RfcSettings).folder) :]
    return bool(rest) and not ("/" not in rest and rest.casefold().startswith("readme"))


def is_rfc(
    title: str | None, labels: Iterable[str], changed_files: Iterable[str] | None, cfg: Config
) -> bool | None:
    """True for a pull request with the title prefix (any case), the RFC label, or a file changed
    under the RFC folder. None when only the changed files could tell and they are unknown."""
    if has_prefix(title, cfg):
        return True
    label = cfg.section(RfcSettings).label.casefold()
    if any(name.casefold() == label for name in labels):
        return True
    if changed_files is None:
        return None
    return any(in_rfc_folder(path, cfg) for path in changed_files)


# --- the decision maker ------------------------------------------------------------------------


def decision_maker(section_text: str) -> str | RfcProblem:
    """The one @login in the Decision maker section, or the problem with it."""
    named = mentions(without_placeholders(section_text))
    teams = [n for n in named if "/" in n]
    how = "Name the one person who makes the decision as @login (usually the person who will own the work)."
    if teams:
        return RfcProblem(
            "decision-maker-team",
            f"the decision maker is a team (@{teams[0]}): one person decides, not a team.",
            how,
            "decision_maker",
        )
    if not named:
        return RfcProblem(
            "decision-maker-none", "the decision maker is not named as an @login.", how, "decision_maker"
        )
    if len(named) > 1:
        listed = ", ".join(f"@{n}" for n in named)
        return RfcProblem(
            "decision-maker-several",
            f"the decision maker section names {len(named)} people ({listed}): exactly one person decides.",
            how + " Ask the others for feedback instead.",
            "decision_maker",
        )
    return named[0]


# --- the whole check ---------------------------------------------------------------------------


def _heading(cfg: Config, sid: str) -> str:
    return cfg.section(RfcSettings).sections[sid][0]


def _section_problem(cfg: Config, sid: str, section: RfcSection | None) -> RfcProblem:
    heading = _heading(cfg, sid)
    others = cfg.section(RfcSettings).sections[sid][1:4]
    also = f" (or {', '.join(others)})" if others else ""
    if section is None:
        return RfcProblem(
            "section-missing",
            f"the “{heading}” section is missing.",
            f"Add a heading `## {heading}`{also} with {SECTION_PURPOSE[sid]}.",
            sid,
        )
    return RfcProblem(
        "section-empty",
        f"the “{section.heading}” section is empty (only template text or TBD).",
        f"Under the heading, write {SECTION_PURPOSE[sid]}.",
        sid,
        section.line,
    )


def check_rfc(
    title: str | None,
    body: str | None,
    opened_at: datetime,
    now: datetime,
    cfg: Config,
    merged: bool = False,
) -> RfcReport:
    """Every problem with an RFC pull request, and the facts read from it.

    `opened_at` is when the pull request was opened; `now` decides whether it is overdue. The
    decision date is at most `rfc.max_decision_days` days after the day it was opened (that day is
    day 0), counted in the config's timezone, and not before it was opened.
    """
    problems: list[RfcProblem] = []
    name = strip_prefix(title, cfg)
    if not name:
        problems.append(
            RfcProblem(
                "title-empty",
                "the title says nothing after the RFC prefix.",
                f"Title the pull request `{cfg.section(RfcSettings).title_prefix} <what is being decided>`.",
            )
        )
    sections = parse_sections(body, cfg)
    for sid in REQUIRED_SECTIONS:
        section = sections.get(sid)
        if section is None or section.empty:
            problems.append(_section_problem(cfg, sid, section))

    decider = None
    section = sections.get("decision_maker")
    if section is not None and not section.empty:
        found = decision_maker(section.text)
        if isinstance(found, RfcProblem):
            problems.append(RfcProblem(found.code, found.message, found.fix, found.section, section.line))
        else:
            decider = found

    decision_at, days = None, None
    section = sections.get("decision_date")
    if section is not None and not section.empty:
        decision_at, days, problem = _check_date(section, opened_at, cfg)
        if problem is not None:
            problems.append(problem)

    feedback: tuple[FeedbackWanted, ...] = ()
    section = sections.get("feedback")
    if section is not None and not section.empty:
        feedback = tuple(FeedbackWanted(login, required) for login, required in feedback_people(section.text))
        if not feedback:
            problems.append(
                RfcProblem(
                    "feedback-no-people",
                    f"the “{section.heading}” section names nobody as an @login.",
                    "List the people whose feedback you need as @login, and say for each whether it is "
                    "required or optional.",
                    "feedback",
                    section.line,
                )
            )

    decision = sections.get(DECISION_SECTION)
    decided = decision is not None and not decision.empty
    if merged and not decided:
        heading = _heading(cfg, DECISION_SECTION)
        problems.append(
            RfcProblem(
                "decision-not-recorded",
                "the RFC was merged without its decision written down.",
                f"The decision maker writes the decision under `## {heading}` in the pull request "
                "description before merging.",
                DECISION_SECTION,
                decision.line if decision else None,
            )
        )
    overdue = not merged and not decided and decision_at is not None and now > decision_at
    if problems:
        status = MALFORMED
    elif decided:
        status = DECIDED
    else:
        status = OVERDUE if overdue else VALID
    return RfcReport(
        status=status,
        problems=tuple(problems),
        title=name,
        sections=sections,
        decider=decider,
        decision_date=decision_at,
        days_after_opening=days,
        feedback=feedback,
        decided=decided,
        overdue=overdue,
    )


def _check_date(
    section: RfcSection, opened_at: datetime, cfg: Config
) -> tuple[datetime | None, int | None, RfcProblem | None]:
    limit = cfg.section(RfcSettings).max_decision_days
    try:
        decision_at = read_decision_date(section.text, cfg.timezone)
    except UnreadableDate as exc:
        return (
            None,
            None,
            RfcProblem(
                "decision-date-unreadable",
                f"the decision date cannot be read: {exc}.",
                f"Write one date, such as {DATE_FORMS}; a time and zone may follow (2026-12-01 17:00 CET).",
                "decision_date",
                section.line,
            ),
        )
    tz = ZoneInfo(cfg.timezone)
    opened_day = opened_at.astimezone(tz).date()
    days = (decision_at.astimezone(tz).date() - opened_day).days
    latest = opened_day + timedelta(days=limit)
    if decision_at < opened_at:
        problem = RfcProblem(
            "decision-date-before-opening",
            f"the decision date ({show_date(decision_at)}) is before the pull request was opened "
            f"({opened_day.isoformat()}).",
            f"Pick a date from {opened_day.isoformat()} to {latest.isoformat()}.",
            "decision_date",
            section.line,
        )
        return decision_at, days, problem
    if days > limit:
        problem = RfcProblem(
            "decision-date-too-late",
            f"the decision date ({show_date(decision_at)}) is {days} days after the pull request was opened; "
            f"the most is {limit}.",
            f"Decide by {latest.isoformat()} at the latest: a short decision time keeps RFCs moving.",
            "decision_date",
            section.line,
        )
        return decision_at, days, problem
    return decision_at, days, None


def show_date(moment: datetime) -> str:
    if moment.timetz().replace(tzinfo=None) == time.max:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M %z")


# --- an RFC document in the working copy (`rfc lint`) -------------------------------------------

_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=[-_.]|$)")
_TITLE_HEADING = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def date_in_name(path: str) -> date | None:
    """The date a document's file name starts with, as `rfc new` names it (`2026-11-24-slug.md`)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    found = _NAME_DATE.match(name)
    if found is None:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def lint_opened_at(path: str, now: datetime, cfg: Config) -> datetime:
    """When `rfc lint` takes the document's pull request to open: the start of the day its file name
    says (in the config's timezone), or `now` when that day is today or the name has no date."""
    tz = ZoneInfo(cfg.timezone)
    named = date_in_name(path)
    if named is None or named == now.astimezone(tz).date():
        return now
    return datetime.combine(named, time.min, tz)


def split_document(text: str) -> tuple[str | None, str, int]:
    """A document's title (its first line, when that is a `# ` heading), the rest (what the pull
    request's description holds) and how many lines come before the rest."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, text, 0
    found = _TITLE_HEADING.match(lines[first])
    if found is None:
        return None, text, 0
    return found.group(1).strip(), "\n".join(lines[first + 1 :]), first + 1


def lint_document(text: str, path: str, now: datetime, cfg: Config) -> tuple[RfcProblem, ...]:
    """The problems `check_rfc` finds in an RFC document, as a pull request titled by its first
    heading, described by the rest and opened on the day its file name says (else `now`) would have
    them. Each has a line of the file (1 for the title and for a missing section)."""
    title, body, offset = split_document(text)
    report = check_rfc(title, body, lint_opened_at(path, now, cfg), now, cfg)
    out = []
    for problem in report.problems:
        if problem.code == "title-empty":
            prefix = cfg.section(RfcSettings).title_prefix
            problem = replace(
                problem,
                message="the document's first line is no `# " + prefix + " <title>` heading with a title."
                if title is None
                else problem.message,
                fix=f"Start the document with `# {prefix} <what is being decided>`, and give the pull "
                "request that title.",
                line=offset or 1,
            )
        else:
            problem = replace(problem, line=problem.line + offset if problem.line else 1)
        out.append(problem)
    return tuple(out)


# --- a new RFC document ------------------------------------------------------------------------


def slug(title: str, limit: int = 60) -> str:
    """A file-name slug: lower-case ASCII words joined by hyphens, cut at a word, or `rfc`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "rfc")


def default_path(cfg: Config, today: date, title: str) -> str:
    """Where `rfc new` writes: `<folder><yyyy-mm-dd>-<slug>.md`."""
    return f"{cfg.section(RfcSettings).folder}{today.isoformat()}-{slug(strip_prefix(title, cfg))}.md"


def longest_title(cfg: Config) -> int:
    """The longest RFC title (without its prefix) a pull request titled "<prefix> <title>" can hold."""
    return TITLE_LIMIT - len(cfg.section(RfcSettings).title_prefix) - 1


def new_context(
    cfg: Config, *, title: str, decider: str | None, decide_by: date, today: date
) -> dict[str, Any]:
    """The variables the RFC template sees."""
    return {
        "rfc": {
            "title": strip_prefix(title, cfg),
            "prefix": cfg.section(RfcSettings).title_prefix,
            "decider": decider,
            "decision_date": decide_by,
            "max_decision_days": cfg.section(RfcSettings).max_decision_days,
            "headings": {sid: headings[0] for sid, headings in cfg.section(RfcSettings).sections.items()},
        },
        "today": today,
        "timezone": cfg.timezone,
    }


def document_text(title: str, body: str) -> str:
    """The RFC file: its title as the first heading, then the rendered body."""
    return f"# {title}\n\n{body.strip()}\n"


_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


@dataclass(frozen=True)
class NewRfc:
    """What `rfc new` will write, checked."""

    title: str  # without the prefix
    decider: str | None
    decide_by: date
    path: str
    warnings: tuple[str, ...] = ()


def plan_new(
    cfg: Config, *, title: str, decider: str | None, by: str | None, out: str | None, today: date
) -> NewRfc:
    """Check the options of `rfc new`; `today` is the date in the config's timezone."""
    name = strip_prefix(title, cfg)
    if not name:
        raise UsageError(
            'the title is empty: say what is being decided, e.g. gh-ops rfc new "Adopt Postgres 17"'
        )
    if len(name) > (room := longest_title(cfg)):
        prefix = cfg.section(RfcSettings).title_prefix
        raise UsageError(
            f"the title has {len(name)} characters; after the prefix {prefix!r} a pull request title "
            f"has room for {room} (GitHub allows {TITLE_LIMIT})"
        )
    login = None
    if decider is not None:
        login = decider.strip().removeprefix("@")
        if "/" in login:
            raise UsageError(f"--decider {decider!r} is a team: one person decides; give their login")
        if not _LOGIN.fullmatch(login):
            raise UsageError(f"--decider {decider!r} is not a GitHub login")
    limit = cfg.section(RfcSettings).max_decision_days
    warnings: list[str] = []
    if by is None:
        decide_by = today + timedelta(days=limit)
    else:
        decide_by = _day(by.strip())
        if decide_by < today:
            raise UsageError(f"--by {by} is in the past (today is {today.isoformat()} in {cfg.timezone})")
        if (decide_by - today).days > limit:
            warnings.append(
                f"--by {decide_by.isoformat()} is more than {limit} days away: the RFC will be reported "
                f"unless its pull request opens on {(decide_by - timedelta(days=limit)).isoformat()} or later"
            )
    return NewRfc(name, login, decide_by, out or default_path(cfg, today, name), tuple(warnings))


def _day(text: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"--by {text!r} is not a real calendar date") from None
    raise UsageError(f"--by {text!r}: expected a date written YYYY-MM-DD, such as 2026-12-01")


# --- the pull request, as GitHub says it is ----------------------------------------------------

COMMENT_KIND = "rfc"  # the marker of the comment gh-ops keeps up to date on each RFC
JUST_OPENED = timedelta(minutes=15)  # the sweep leaves a pull request this new to `rfc check`
RECENT_DAYS = 7  # the digest's "recently decided"; also how old a notice may be to still be sent

PULL_EVENTS = ("pull_request", "pull_request_target")
EVENTS = (*PULL_EVENTS, "pull_request_review", "issue_comment")

# Statuses beyond VALID / OVERDUE / MALFORMED / DECIDED, once GitHub says what became of the pull request:
MERGED_UNDECIDED = "merged-undecided"
DECLINED = "declined"
FAILING = (MALFORMED, MERGED_UNDECIDED)


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


def roster(feedback: tuple[FeedbackWanted, ...], pull: Pull) -> tuple[RosterEntry, ...]:
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
    report: RfcReport
    status: str  # VALID, OVERDUE, MALFORMED, DECIDED, MERGED_UNDECIDED or DECLINED
    decided_in: str | None  # "section", "comment" or None
    roster: tuple[RosterEntry, ...]
    kept: Comment | None  # gh-ops' comment on this pull request
    memory: Memory
    notices: dict[str, list[Comment]]  # gh-ops' other comments by marker kind
    # More comments of the kept kind, left by two runs racing (`rfc check` and `rfc remind` both
    # finding none and posting one): their memory is in `memory`; they are deleted.
    duplicates: tuple[Comment, ...] = ()

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
    def problems(self) -> tuple[RfcProblem, ...]:
        if self.status == MALFORMED:
            return self.report.problems
        if self.status == MERGED_UNDECIDED:
            return tuple(p for p in self.report.problems if p.code == "decision-not-recorded")
        return ()

    def missing_assignees(self) -> tuple[str, ...]:
        return tuple(e.login for e in self.roster if not e.team and not e.assigned)

    def silent_required(self) -> tuple[str, ...]:
        return tuple(e.login for e in self.roster if e.required and not e.team and e.response is None)


def assess(pull: Pull, cfg: Config, now: datetime) -> Assessment:
    first = check_rfc(pull.title, pull.body, pull.created_at, now, cfg)
    by_comment = decision_comment(pull, first.decider)
    decided_in = "section" if first.decided else ("comment" if by_comment else None)
    report = first
    if pull.merged and decided_in is None:
        report = check_rfc(pull.title, pull.body, pull.created_at, now, cfg, merged=True)
    if pull.state == "CLOSED":
        status = DECLINED
    elif pull.open and report.problems:
        status = MALFORMED  # a filled Decision section does not excuse the rest
    elif decided_in is not None:
        status = DECIDED
    elif pull.merged:
        status = MERGED_UNDECIDED
    else:
        status = report.status
    ours: list[Comment] = []
    notices: dict[str, list[Comment]] = {}
    for comment in pull.comments:
        if not cfg.trusted(comment.author):
            continue
        found = read_marker(comment.body)
        if found is None:
            continue
        if found[0] == COMMENT_KIND:
            ours.append(comment)
        else:
            notices.setdefault(found[0], []).append(comment)
    kept, duplicates, memory = keep_oldest(ours)
    return Assessment(
        pull=pull,
        report=report,
        status=status,
        decided_in=decided_in,
        roster=roster(report.feedback, pull),
        kept=kept,
        memory=memory,
        notices=notices,
        duplicates=duplicates,
    )


def keep_oldest(comments: Iterable[Comment]) -> tuple[Comment | None, tuple[Comment, ...], Memory]:
    """Of gh-ops' kept comments on a pull request (normally one; two runs racing may each post
    one), the oldest, the others, and the memory of them all merged (see merge_memory)."""
    ordered = sorted(comments, key=lambda c: (c.created_at is None, c.created_at or _NEVER))
    if not ordered:
        return None, (), Memory()
    memory = Memory()
    for comment in ordered:
        memory = merge_memory(memory, read_memory(comment.body))
    return ordered[0], tuple(ordered[1:]), memory


_NEVER = datetime.max.replace(tzinfo=UTC)


def merge_memory(a: Memory, b: Memory) -> Memory:
    """What two kept comments remember, together, so that nothing is done twice: every move of
    the decision date either saw (once each, in time order), and a chat notice as sent when
    either sent it. (Reminders are comments of their own, so they stay counted.)"""
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


@dataclass(frozen=True)
class EventTarget:
    """The pull request an event is about, as far as the payload says."""

    number: int
    title: str | None
    labels: list[str]
    head_sha: str | None
    from_fork: bool  # its head is in another repository: the workflow token may only read
    info: EventInfo


def event_target(event_name: str | None, payload: dict[str, Any]) -> EventTarget | None:
    """The pull request an event is about and what happened; None for a comment on an issue."""
    if event_name not in EVENTS:
        raise UsageError(
            f"rfc check runs on {', '.join(EVENTS)} events, not {event_name or 'no event'}: "
            "pass --pr N to check one pull request"
        )
    if event_name == "issue_comment":
        issue = IssuesEvent(payload, event_name).issue
        if not issue.is_pull_request:
            return None
        return EventTarget(
            issue.number,
            issue.title,
            issue.labels,
            None,
            False,
            EventInfo(event_name, payload.get("action"), None, None, None, issue.updated_at),
        )
    event = PullRequestEvent(payload, event_name)
    pull = event.pull_request
    head, base = pull.repo_of("head"), pull.repo_of("base")
    info = EventInfo(event_name, event.action, event.sender, pull.body, event.body_before, pull.updated_at)
    return EventTarget(
        pull.number, pull.title, pull.labels, pull.head_sha, bool(head and base and head != base), info
    )


def moved_date(a: Assessment, event: EventInfo | None, cfg: Config) -> Move | None:
    """The move an `edited` event made to the decision date, if it made one."""
    if event is None or event.action != "edited" or event.body_from is None:
        return None
    old, new = (_date_in(body, cfg) for body in (event.body_from, event.body))
    if old is None or new is None or old == new:
        return None
    at = (event.at or a.pull.updated_at or a.pull.created_at).isoformat()
    return Move(show_date(old), show_date(new), event.sender or "someone", at)


def _date_in(body: str | None, cfg: Config) -> datetime | None:
    section = parse_sections(body, cfg).get("decision_date")
    return parse_decision_date(section.text, cfg.timezone) if section else None


# --- reminders and chat notices -----------------------------------------------------------------


# The reminders gh-ops posts (comment marker kinds).
OVERDUE_REMINDER = "rfc-overdue"
DUE_SOON_REMINDER = "rfc-due-soon"
NO_DECISION_NOTICE = "rfc-no-decision"


def reminder_due(a: Assessment, cfg: Config, now: datetime) -> str | None:
    """The reminder due now, if any: silent required people the day before the date
    (DUE_SOON_REMINDER); after the date, the decision maker once per `rfc.remind_every`, by calendar
    day in the config's timezone when it is whole days (OVERDUE_REMINDER)."""
    moment = a.report.decision_date
    if moment is None or not a.awaiting_decision:
        return None
    tz = ZoneInfo(cfg.timezone)
    if a.overdue:
        times = (_marker_time(c) for c in a.notices.get(OVERDUE_REMINDER, []))
        last = max((at for at in times if at is not None), default=None)
        if last is None or _interval_passed(last, now, cfg.section(RfcSettings).remind_every, tz):
            return OVERDUE_REMINDER
        return None
    day_before = moment.astimezone(tz).date() - timedelta(days=1)
    if now < moment and now.astimezone(tz).date() >= day_before and a.silent_required():
        key = moment.date().isoformat()
        sent = [
            c
            for c in a.notices.get(DUE_SOON_REMINDER, [])
            if (read_marker(c.body) or ("", {}))[1].get("date") == key
        ]
        if not sent:
            return DUE_SOON_REMINDER
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


# What is announced to chat, once each (the kept comment's memory remembers it).
ANNOUNCE_NEW = "announce-new"
ANNOUNCE_DECIDED = "announce-decided"
ANNOUNCE_DECLINED = "announce-declined"


def chat_notices(a: Assessment, now: datetime) -> tuple[list[str], Memory]:
    """Chat notices not sent yet (a new RFC; its decision or decline), and the memory once sent.
    Only recent events are announced, so turning the webhook on does not replay old RFCs."""
    recent = now - timedelta(days=RECENT_DAYS)
    memory, notices = a.memory, []
    if a.pull.open and memory.outcome_announced:  # reopened: its outcome is to be told again
        memory = replace(memory, outcome_announced=False)
    if (
        not memory.announced
        and a.pull.open
        and not a.pull.draft
        and a.status in (VALID, OVERDUE)
        and a.pull.created_at >= recent
    ):
        notices.append(ANNOUNCE_NEW)
        memory = replace(memory, announced=True)
    ended = a.pull.merged_at or a.pull.closed_at
    if not memory.outcome_announced and ended is not None and ended >= recent:
        if a.status == DECIDED and a.pull.merged:
            notices.append(ANNOUNCE_DECIDED)
            memory = replace(memory, outcome_announced=True)
        elif a.status == DECLINED:
            notices.append(ANNOUNCE_DECLINED)
            memory = replace(memory, outcome_announced=True)
    return notices, memory


# --- the digest of a sweep ----------------------------------------------------------------------


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
        decision_date=show_date(moment) if moment else "-",
        feedback=feedback,
        status=a.status,
        group=group,
    )


def _tomorrow(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date() + timedelta(days=1)
