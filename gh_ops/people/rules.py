"""Onboarding and offboarding checklists, the rules: who the checklist is for (answers read from the
issue form or the options, every problem named), its marker and variables, how people's ticks and
notes survive a re-render, where it may be opened, and which request events call for it. Pure
functions: no GitHub, no I/O."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from gh_ops import dates
from gh_ops.config import Config
from gh_ops.errors import Problem, UsageError
from gh_ops.events import IssuesEvent
from gh_ops.forms import FormAnswers
from gh_ops.markup import defuse_markup, find_marker, marker, no_mentions, quoted
from gh_ops.models import PERSON_LABEL_PREFIX, Issue, RenderedIssue
from gh_ops.people.settings import PeopleIssues, PeopleSettings

ROLES = ("engineering", "product", "design", "ops", "other")
LEAVE_KINDS = ("voluntary", "involuntary")
REQUEST_MARKER = "<!-- gh-ops:people-request"  # + " kind=onboarding -->": one comment per kind

# The issue forms' question labels (a contract: .github/ISSUE_TEMPLATE/*.yml use them) and the
# command-line option that gives the same answer.
JOINER_QUESTIONS = {
    "GitHub username": "--login",
    "Full name": "--name",
    "Team": "--team",
    "Role": "--role",
    "Start date": "--start",
    "Buddy": "--buddy",
    "Manager": "--manager",
}

LEAVER_QUESTIONS = {
    "GitHub username": "--login",
    "Full name": "--name",
    "Last day": "--last-day",
    "Kind": "--kind",
    "Manager": "--manager",
}


# --- who the issue is for ---------------------------------------------------------------------


@dataclass(frozen=True)
class Joiner:
    login: str
    name: str
    team: str  # a team key from the config
    role: str
    start: date
    buddy: str | None
    manager: str | None

    @property
    def day(self) -> date:
        return self.start


@dataclass(frozen=True)
class Leaver:
    login: str
    name: str
    last_day: date
    kind: str
    manager: str | None

    @property
    def day(self) -> date:
        return self.last_day


Person = Joiner | Leaver


@dataclass(frozen=True)
class Request:
    """The issue-form issue a checklist was asked for in."""

    repo: str
    number: int
    url: str
    state: str
    private: bool | None
    state_reason: str | None = None
    body: str = ""
    owner_type: str | None = None  # of its repository: "Organization" or "User", when known
    comments: int | None = None  # how many comments GitHub counts on it (None: not known)
    # When it was opened, and whether this run is for an edit of it (the answers, a username among
    # them, may differ from those an earlier run opened its checklist with).
    opened_at: datetime | None = None
    edited: bool = False

    @property
    def ref(self) -> str:
        return f"{self.repo}#{self.number}"


class AnswersError(UsageError):
    """Answers (form or flags) that cannot make a checklist; each problem names its question."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} answer(s) need fixing", problems=problems)


_LOGIN = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")
_DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def parse_day(text: str) -> date | None:
    """A calendar date in the forms people type: 2026-12-01, 1 December 2026, Dec 1, 2026."""
    cleaned = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


MAX_NAME_LENGTH = 100  # characters of a person's full name


class _Answers:
    """Reads answers by question, collecting every problem instead of stopping at the first."""

    def __init__(self, answers: Mapping[str, str | None], flags: dict[str, str], source: str) -> None:
        self.answers = answers
        self.flags = flags
        self.source = source  # "form" or "flags": decides how a problem names its question
        self.problems: list[Problem] = []

    def _name(self, question: str) -> str:
        return f'"{question}"' if self.source == "form" else self.flags[question]

    def _problem(self, question: str, message: str) -> None:
        self.problems.append(Problem(message, key=self._name(question)))

    def text(self, question: str, *, required: bool = True) -> str | None:
        if isinstance(self.answers, FormAnswers) and self.answers.repeated(question):
            # Someone typed the heading into another answer: which one is theirs is a guess.
            self._problem(question, "appears twice in the form: keep only the one under its own question")
            return None
        value = self.answers.get(question)
        if value is not None and not value.strip():
            value = None  # a blank answer (or --name "") is no answer
        if value is None and required:
            self._problem(question, "is missing")
        return value

    def name(self, question: str) -> str | None:
        """A full name, its spaces tidied; refused above MAX_NAME_LENGTH characters (titles and
        checklists must fit GitHub's limits, and `validate` renders them with a name that long)."""
        value = self.text(question)
        if value is None:
            return None
        tidy = " ".join(value.split())
        if len(tidy) > MAX_NAME_LENGTH:
            self._problem(
                question,
                f"is {len(tidy):,} characters long: give the name as people write it "
                f"(at most {MAX_NAME_LENGTH} characters)",
            )
            return None
        return tidy

    def not_the_person(self, person: str | None, question: str, login: str | None, role: str) -> None:
        """A buddy or manager who is the person themself is a mistake (and would mention a leaver)."""
        if person and login and person.casefold() == login.casefold():
            self._problem(question, f"is the person themself: {role} is someone else")

    def login(self, question: str, *, required: bool = True) -> str | None:
        value = self.text(question, required=required)
        if value is None:
            return None
        match = _LOGIN.match(value.strip())
        if not match:
            self._problem(
                question, f"{quoted(value)} is not a GitHub username (letters, digits and single hyphens)"
            )
            return None
        return match.group(1)

    def day(self, question: str) -> date | None:
        value = self.text(question)
        if value is None:
            return None
        day = parse_day(value)
        if day is None and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            self._problem(question, f"{quoted(value)} is not a real calendar date")
        elif day is None:
            self._problem(question, f"{quoted(value)} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01")
        elif not 1970 <= day.year <= 2999:
            self._problem(question, f"{quoted(value)} is out of range")
            day = None
        return day

    def choice(self, question: str, options: tuple[str, ...], *, default: str | None = None) -> str | None:
        value = self.text(question, required=default is None)
        if value is None:
            return default
        if value.strip().lower() not in options:
            self._problem(question, f"{quoted(value)} is not one of: {', '.join(options)}")
            return None
        return value.strip().lower()


def joiner_from_answers(answers: Mapping[str, str | None], config: Config, *, source: str) -> Joiner:
    read = _Answers(answers, JOINER_QUESTIONS, source)
    login = read.login("GitHub username")
    name = read.name("Full name")
    team_answer = read.text("Team")
    team = None
    if team_answer is not None:
        team = config.team_key(team_answer)
        if team is None:
            known = ", ".join(sorted(config.teams)) or "none are configured"
            read._problem("Team", f"{quoted(team_answer)} is not a team in {config.path} (teams: {known})")
    role = read.choice("Role", ROLES, default="other")
    start = read.day("Start date")
    buddy = read.login("Buddy", required=False)
    manager = read.login("Manager", required=False)
    read.not_the_person(login, "Buddy", buddy, "the joiner's buddy")
    read.not_the_person(login, "Manager", manager, "the joiner's manager")
    if read.problems:
        raise AnswersError(read.problems)
    assert login and name and team and role and start
    return Joiner(login, name, team, role, start, buddy, manager)


def leaver_from_answers(answers: Mapping[str, str | None], config: Config, *, source: str) -> Leaver:
    read = _Answers(answers, LEAVER_QUESTIONS, source)
    login = read.login("GitHub username")
    name = read.name("Full name")
    last_day = read.day("Last day")
    kind = read.choice("Kind", LEAVE_KINDS)
    manager = read.login("Manager", required=False)
    read.not_the_person(login, "Manager", manager, "the leaver's manager")
    if read.problems:
        raise AnswersError(read.problems)
    assert login and name and last_day and kind
    return Leaver(login, name, last_day, kind, manager)


def person_from_answers(config: Config, kind: str, answers: Mapping[str, str | None], source: str) -> Person:
    """The joiner or leaver these answers describe (`source`: "form" or "flags", for the messages)."""
    if kind == "onboarding":
        return joiner_from_answers(answers, config, source=source)
    return leaver_from_answers(answers, config, source=source)


FAR_DATES_FLAG = "--allow-far-dates"


def _years_from(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_date_near(person: Person, today: date, *, source: str) -> None:
    """Refuse a start date or last day more than a year from `today` on either side: a date 25
    years back is a typo, not a checklist to open (`FAR_DATES_FLAG` skips this check)."""
    question = "Start date" if isinstance(person, Joiner) else "Last day"
    if person.day < _years_from(today, -1):
        where = "before"
    elif person.day > _years_from(today, 1):
        where = "after"
    else:
        return
    read = _Answers({}, JOINER_QUESTIONS if isinstance(person, Joiner) else LEAVER_QUESTIONS, source)
    read._problem(
        question,
        f"{person.day.isoformat()} is more than a year {where} today ({today.isoformat()}): check the "
        f"year; if the date is right, run gh-ops with {FAR_DATES_FLAG}",
    )
    raise AnswersError(read.problems)


# --- keeping people's work across a re-render ---------------------------------------------------

_TASK = re.compile(r"^(\s*[-*+]\s+\[)( |x|X)(\]\s+)(.*)$")
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_DATEISH = re.compile(
    r"\*\*[^*]*\*\*"  # the bold date at the start of a step
    r"|\b\d{4}-W?\d{2}(?:-\d{2})?\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b"
    rf"|\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b",
    re.IGNORECASE,
)
KEPT_MARKER = "<!-- gh-ops:kept -->"
KEPT_HEADING = "### Kept from before the dates moved"


def _step_key(text: str) -> str:
    """A line without its dates, so the same step (or note) matches after the dates move."""
    return " ".join(_DATEISH.sub(" ", text).lower().split())


def _line_key(line: str) -> str:
    task = _TASK.match(line)
    return _step_key(task.group(4) if task else line)


def carry_ticks(old_body: str, new_body: str) -> tuple[str, int]:
    """The new body with every step ticked that was ticked in the old one; and how many were."""
    ticked: dict[str, int] = {}
    for line in old_body.splitlines():
        task = _TASK.match(line)
        if task and task.group(2) != " ":
            key = _step_key(task.group(4))
            ticked[key] = ticked.get(key, 0) + 1
    out, kept = [], 0
    for line in new_body.splitlines(keepends=True):
        task = _TASK.match(line.rstrip("\n"))
        if task and task.group(2) == " ":
            key = _step_key(task.group(4))
            if ticked.get(key):
                ticked[key] -= 1
                kept += 1
                line = f"{task.group(1)}x{task.group(3)}{task.group(4)}" + (
                    "\n" if line.endswith("\n") else ""
                )
        out.append(line)
    return "".join(out), kept


def _unticked(line: str) -> str:
    task = _TASK.match(line)
    return f"{task.group(1)} {task.group(3)}{task.group(4)}" if task else line


def merge_previous(old_body: str, new_body: str, old_template_body: str = "") -> tuple[str, int, list[str]]:
    """Re-dated body keeping people's work: ticks move to the same steps, and what people added to
    the old body (notes, steps of their own) and ticked steps the template no longer has are kept
    at the end under their own heading. `old_template_body` is the template rendered for the old
    date: lines that only it has are gh-ops' own and are not kept.
    Returns the body, the ticks carried, and the lines kept."""
    body, carried = carry_ticks(old_body, new_body)
    new_keys = {_line_key(line) for line in body.splitlines()}
    template_lines = {_unticked(line) for line in old_template_body.splitlines()}
    kept: list[str] = []
    for line in old_body.splitlines():
        stripped = line.strip()
        if line.startswith("<!-- gh-ops:") or stripped in ("", KEPT_HEADING, "---"):
            continue
        if _line_key(line) in new_keys:
            continue  # still there (re-dated), ticks carried
        task = _TASK.match(line)
        ticked = bool(task and task.group(2) != " ")
        if _unticked(line) in template_lines and not ticked:
            continue  # gh-ops' own text that changed with the answers: the new version replaces it
        if not task and stripped.startswith(("|", "#", ">")) and not old_template_body:
            continue  # without the old template to compare, tables and headings are taken as ours
        kept.append(line)
    if kept:
        body = body.rstrip("\n") + f"\n\n{KEPT_HEADING}\n{KEPT_MARKER}\n" + "\n".join(kept) + "\n"
    return body, carried, kept


# --- privacy -----------------------------------------------------------------------------------


def privacy_verdict(kind: str, repo: str, private: bool, allow_public: bool) -> str | None:
    """A warning to give, or raise when the issue must not be opened there at all."""
    if private:
        return None
    if kind == "offboarding" and not allow_public:
        raise UsageError(
            f"refusing to open an offboarding issue in {repo}: it is public, and the issue holds personal "
            "information. Set people.repo to a private repository, or pass --allow-public if you really "
            "mean it."
        )
    return f"{repo} is public: anyone can read this {kind} issue; consider a private people.repo"


# --- the checklist: its marker, variables, labels and assignees ----------------------------------


def settings(config: Config, kind: str) -> PeopleIssues:
    return config.section(PeopleSettings).of(kind)


def answers_fingerprint(person: Person) -> str:
    """A short hash of every answer: a change to any of them (not only the date) re-renders the issue."""
    import hashlib

    text = "|".join(f"{k}={v}" for k, v in sorted(vars(person).items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# Answers recorded in the marker besides login and date, so a later run can draw the issue exactly as
# it was (to tell gh-ops' own old text from what people added). Values are URL-quoted: one word each.
_RECORDED = {
    "team": "team",
    "role": "role",
    "buddy": "buddy",
    "manager": "manager",
    "kind": "leave",
    "name": "name",
}


def person_marker(kind: str, person: Person, request: Request | None = None) -> str:
    from urllib.parse import quote

    fields = {"login": person.login.lower(), "date": person.day.isoformat()}
    if request is not None:
        fields["request"] = request.ref
    fields["answers"] = answers_fingerprint(person)
    for attribute, key in _RECORDED.items():
        value = getattr(person, attribute, None)
        if value is not None:
            fields[key] = quote(str(value), safe="")
    return marker(kind, **fields)


def build_context(
    *,
    kind: str,
    person: Person,
    config: Config,
    repo: str,
    now: datetime,
    request: Request | None,
    github_teams: list[dict[str, str]] | None = None,
    owner_is_org: bool = True,
) -> dict[str, Any]:
    """The template's variables. `owner_is_org`: the checklist's repository belongs to a GitHub
    organization (the leaver has one to leave), not to a personal account."""
    request_ctx = None
    if request is not None:
        request_ctx = {"repo": request.repo, "number": request.number, "url": request.url}
    base: dict[str, Any] = {"kind": kind, "repo": repo, "request": request_ctx}
    if isinstance(person, Joiner):
        team = config.teams[person.team]
        local_now = dates.local_now(now, team.timezone)
        return {
            **base,
            "person": {
                "login": person.login,
                "name": no_mentions(defuse_markup(person.name)),
                "role": person.role,
                "start": person.start,
                "buddy": person.buddy,
                "manager": person.manager,
            },
            "team": team.as_context(),
            "now": local_now,
            "today": local_now.date(),
        }
    local_now = dates.local_now(now, config.timezone)
    return {
        **base,
        "person": {
            "login": person.login,
            "name": no_mentions(defuse_markup(person.name)),
            "last_day": person.last_day,
            "kind": person.kind,
            "manager": person.manager,
        },
        "org": repo.split("/", 1)[0],
        "owner_is_org": owner_is_org,
        "github_teams": github_teams or [],
        "access": list(config.section(PeopleSettings).offboarding.access),
        "now": local_now,
        "today": local_now.date(),
    }


def issue_fields(
    rendered: RenderedIssue, person: Person, kind_settings: PeopleIssues, config: Config
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels (the kind's, the joiner's team's, the template's, and the person's label that finds
    their checklists) and assignees (buddy, manager, extra)."""
    team_labels = config.teams[person.team].labels if isinstance(person, Joiner) else ()
    configured = (*kind_settings.labels, *team_labels, *rendered.labels)
    mine = (label for label in configured if not is_person_label(label))  # only gh-ops names those
    labels = tuple(dict.fromkeys((*mine, person_label(person.login))))
    people = (person.buddy, person.manager) if isinstance(person, Joiner) else (person.manager,)
    assignees = tuple(
        dict.fromkeys(
            a for a in (*people, *kind_settings.assignees, *rendered.assignees) if a and a != person.login
        )
    )
    return labels, assignees


def previous_person(person: Person, fields: dict[str, str]) -> Person:
    """The person as the existing issue was drawn for (answers recorded in its marker), to tell
    gh-ops' own old text from what people added. Unrecorded answers fall back to today's."""
    from urllib.parse import unquote

    changes: dict[str, Any] = {}
    with contextlib.suppress(ValueError):  # no recorded date: keep today's
        day = date.fromisoformat(fields.get("date", ""))
        changes["start" if isinstance(person, Joiner) else "last_day"] = day
    if fields.get("login"):
        changes["login"] = fields["login"]
    for attribute, key in _RECORDED.items():
        if hasattr(person, attribute):
            changes[attribute] = unquote(fields[key]) if key in fields else None
    if "team" in changes and changes["team"] is None:
        changes["team"] = getattr(person, "team", None)  # the team is required: keep today's
    if "kind" in changes and changes["kind"] is None:
        changes["kind"] = getattr(person, "kind", None)
    if changes.get("name") is None:
        changes["name"] = person.name
    if isinstance(person, Joiner) and changes.get("role") is None:
        changes["role"] = person.role
    return replace(person, **changes)


# --- finding the person's checklist ------------------------------------------------------------------


def person_label(login: str) -> str:
    """The label on every checklist of one person (both kinds), which the issue listing can filter
    on: a one-way hash of the login, so no name or login is written in a label."""
    digest = hashlib.sha256(f"gh-ops people {login.lower()}".encode()).hexdigest()
    return f"{PERSON_LABEL_PREFIX}{digest[:12]}"


def is_person_label(name: str) -> bool:
    return name.lower().startswith(PERSON_LABEL_PREFIX)


def relabelled(labels: Iterable[str], person: Person) -> tuple[str, ...]:
    """An issue's labels with the person's label in place of any other person label (a corrected
    username); every other label, whoever put it there, stays."""
    kept = [label for label in labels if not is_person_label(label)]
    return tuple(dict.fromkeys((*kept, person_label(person.login))))


def pick_checklist(
    issues: Iterable[Issue],
    kind: str,
    person: Person,
    request_ref: str | None,
    trusted: Callable[[str | None], bool],
) -> Issue | None:
    """The checklist a run is about among `issues` (any order, repeats allowed): the one opened for
    this same request (so a corrected username updates it instead of opening a second); else the
    person's open one; else a closed one with the same date (done: nothing to do). The oldest of
    each. A closed checklist for another date is history: a rehire gets a new issue. Only issues
    by trusted authors count."""
    by_request: Issue | None = None
    open_one: Issue | None = None
    closed_same_date: Issue | None = None
    seen: set[int] = set()
    for issue in sorted(issues, key=lambda i: i.number):  # numbers grow with time: oldest first
        if issue.number in seen or not trusted(issue.author):
            continue
        seen.add(issue.number)
        mark = find_marker(issue.body)  # the author is trusted; a note may sit above it
        if not mark or mark[0] != kind:
            continue
        fields = mark[1]
        if request_ref is not None and fields.get("request") == request_ref:
            by_request = by_request or issue
        if fields.get("login") == person.login.lower():
            if issue.state == "open":
                open_one = open_one or issue
            elif fields.get("date") == person.day.isoformat():
                closed_same_date = closed_same_date or issue
    return by_request or open_one or closed_same_date


def is_twin_checklist(
    issue: Issue,
    kind: str,
    person: Person,
    request_ref: str | None,
    trusted: Callable[[str | None], bool],
) -> bool:
    """An open trusted checklist of this kind for the same person (or for the same request) that
    another run may have opened at the same moment as this run's: of these, the oldest stands
    (gh_ops.converge). A closed one is history, never a twin (the look would have found it)."""
    mark = find_marker(issue.body)
    if issue.state != "open" or issue.is_pull_request or not trusted(issue.author):
        return False
    if mark is None or mark[0] != kind:
        return False
    fields = mark[1]
    return fields.get("login") == person.login.lower() or (
        request_ref is not None and fields.get("request") == request_ref
    )


def is_request_checklist(
    issue: Issue, kind: str, request_ref: str, trusted: Callable[[str | None], bool]
) -> bool:
    """A trusted checklist of this kind opened for this request (what a link on the request must lead to)."""
    mark = find_marker(issue.body)
    return (
        not issue.is_pull_request
        and trusted(issue.author)
        and mark is not None
        and mark[0] == kind
        and mark[1].get("request") == request_ref
    )


# How far back a checklist made before checklists carried the person label can still matter: a date
# is at most a year from the day it is entered (check_date_near), so the checklist for a date was
# made, and last changed, no earlier than a year before it; a few weeks more for slack.
LEGACY_WINDOW = timedelta(days=400)


def legacy_since(person: Person) -> datetime:
    """Issues last updated before this cannot be this person's checklist from an older gh-ops."""
    return datetime.combine(person.day - LEGACY_WINDOW, time(), tzinfo=UTC)


def link_text(kind: str, login: str, where: str) -> str:
    """gh-ops' comment on an answered request, linking the checklist (`where`: OWNER/REPO#N)."""
    whom = who(kind, login)
    return f"{request_marker(kind)}\nThe {kind} checklist for {whom} is {where}. Closing this request."


_LINK = re.compile(r"\bchecklist for \S+ is (?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(?P<number>\d+)\. ")


def linked_checklist(comment_body: str, kind: str, repo: str) -> int | None:
    """The number of the checklist in `repo` that gh-ops' comment on a request links to, if any."""
    if not comment_body.startswith(request_marker(kind)):
        return None
    match = _LINK.search(comment_body)
    if match is None or match.group("repo").lower() != repo.lower():
        return None
    return int(match.group("number"))


# --- the request it was asked for in --------------------------------------------------------------


def request_marker(kind: str) -> str:
    return f"{REQUEST_MARKER} kind={kind} -->"


def who(kind: str, login: str) -> str:
    # A leaver is never @-mentioned: a mention notifies them, possibly before they have been told.
    return f"`{login}`" if kind == "offboarding" else f"@{login}"


REQUEST_ACTIONS = ("opened", "edited", "reopened", "labeled")


def request_from_event(
    event_name: str | None, payload: dict[str, Any], kind: str, config: Config
) -> Request | None:
    """The request this issues event is about, or None when there is nothing for this kind to do."""
    if event_name != "issues":
        raise UsageError(
            f"no person given, and the event is {event_name or 'missing'}, not an issues event: pass the "
            "person's options, or run on `issues` events from the issue form"
        )
    event = IssuesEvent(payload, "issues")
    issue = event.issue
    labels = set(issue.labels)
    mine, other = (
        settings(config, kind),
        settings(config, "offboarding" if kind == "onboarding" else "onboarding"),
    )
    if mine.form_label not in labels:
        return None
    if other.form_label in labels:
        raise UsageError(
            f"request #{issue.number} carries both {mine.form_label!r} and {other.form_label!r}: "
            "remove the one that does not apply"
        )
    if event.action not in REQUEST_ACTIONS:
        return None
    repository = event.repository
    return Request(
        repo=repository.full_name,
        number=issue.number,
        url=issue.url,
        state=issue.state,
        private=repository.private,
        state_reason=issue.state_reason,
        body=issue.body,
        owner_type=repository.owner_type,
        opened_at=issue.created_at,
        edited=event.action == "edited",
    )
