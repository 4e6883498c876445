"""Onboarding and offboarding checklists: one issue per person, filled in, kept in step with the date."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from gh_ops import dates
from gh_ops.config import Config, PeopleIssues
from gh_ops.errors import ConfigError, GitHubError, Problem, Progress, UsageError
from gh_ops.markup import defuse_markup, find_marker, marker
from gh_ops.models import Comment, Issue
from gh_ops.render import RenderedIssue, Renderer
from gh_ops.trust import check_opened_by_trusted, check_token_account

if TYPE_CHECKING:
    from gh_ops.github import GitHub

ROLES = ("engineering", "product", "design", "ops", "other")
LEAVE_KINDS = ("voluntary", "involuntary")
REQUEST_MARKER = "<!-- gh-ops:people-request"  # + " kind=onboarding -->": one comment per kind
BODY_LIMIT = 65536

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

# Shared with the schema harness: every GraphQL document gh-ops sends is validated in tests.
ORG_TEAMS_QUERY = """query OrgTeamsOfMember($org: String!, $login: String!) {
  organization(login: $org) {
    teams(first: 100, userLogins: [$login]) {
      nodes { name slug url }
      pageInfo { hasNextPage }
    }
  }
}"""


# --- who the issue is for (pure) ---------------------------------------------------------------


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
        value = self.answers.get(question)
        if value is not None and not value.strip():
            value = None  # a blank answer (or --name "") is no answer
        if value is None and required:
            self._problem(question, "is missing")
        return value

    def login(self, question: str, *, required: bool = True) -> str | None:
        value = self.text(question, required=required)
        if value is None:
            return None
        match = _LOGIN.match(value.strip())
        if not match:
            self._problem(
                question, f"{value!r} is not a GitHub username (letters, digits and single hyphens)"
            )
            return None
        return match.group(1)

    def day(self, question: str) -> date | None:
        value = self.text(question)
        if value is None:
            return None
        day = parse_day(value)
        if day is None and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            self._problem(question, f"{value!r} is not a real calendar date")
        elif day is None:
            self._problem(question, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01")
        elif not 1970 <= day.year <= 2999:
            self._problem(question, f"{value!r} is out of range")
            day = None
        return day

    def choice(self, question: str, options: tuple[str, ...], *, default: str | None = None) -> str | None:
        value = self.text(question, required=default is None)
        if value is None:
            return default
        if value.strip().lower() not in options:
            self._problem(question, f"{value!r} is not one of: {', '.join(options)}")
            return None
        return value.strip().lower()


def joiner_from_answers(answers: Mapping[str, str | None], config: Config, *, source: str) -> Joiner:
    read = _Answers(answers, JOINER_QUESTIONS, source)
    login = read.login("GitHub username")
    name = read.text("Full name")
    team_answer = read.text("Team")
    team = None
    if team_answer is not None:
        team = _team_key(team_answer, config)
        if team is None:
            known = ", ".join(sorted(config.teams)) or "none are configured"
            read._problem("Team", f"{team_answer!r} is not a team in {config.path} (teams: {known})")
    role = read.choice("Role", ROLES, default="other")
    start = read.day("Start date")
    buddy = read.login("Buddy", required=False)
    manager = read.login("Manager", required=False)
    if read.problems:
        raise AnswersError(read.problems)
    assert login and name and team and role and start
    return Joiner(login, " ".join(name.split()), team, role, start, buddy, manager)


def leaver_from_answers(answers: Mapping[str, str | None], config: Config, *, source: str) -> Leaver:
    read = _Answers(answers, LEAVER_QUESTIONS, source)
    login = read.login("GitHub username")
    name = read.text("Full name")
    last_day = read.day("Last day")
    kind = read.choice("Kind", LEAVE_KINDS)
    manager = read.login("Manager", required=False)
    if read.problems:
        raise AnswersError(read.problems)
    assert login and name and last_day and kind
    return Leaver(login, " ".join(name.split()), last_day, kind, manager)


def _team_key(answer: str, config: Config) -> str | None:
    wanted = answer.strip().lower()
    for key, team in config.teams.items():
        if wanted in (key.lower(), team.name.lower()):
            return key
    return None


# --- keeping people's work across a re-render (pure) ---------------------------------------------

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


# --- privacy (pure) -----------------------------------------------------------------------------


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


# --- the run ------------------------------------------------------------------------------------


@dataclass
class PeopleOutcome:
    kind: str
    person: Person
    repo: str
    action: str  # opened | updated | exists
    issue: Issue | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        real = self.issue is not None and not self.issue.planned
        return {
            "kind": self.kind,
            "login": self.person.login,
            "date": self.person.day.isoformat(),
            "repo": self.repo,
            "action": self.action,
            "number": self.issue.number if real and self.issue else None,
            "url": self.issue.url if real and self.issue else None,
        }


def settings(config: Config, kind: str) -> PeopleIssues:
    return config.onboarding if kind == "onboarding" else config.offboarding


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
) -> dict[str, Any]:
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
                "name": defuse_markup(person.name),
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
            "name": defuse_markup(person.name),
            "last_day": person.last_day,
            "kind": person.kind,
            "manager": person.manager,
        },
        "org": repo.split("/", 1)[0],
        "github_teams": github_teams or [],
        "access": list(config.offboarding.access),
        "now": local_now,
        "today": local_now.date(),
    }


def issue_fields(
    rendered: RenderedIssue, person: Person, kind_settings: PeopleIssues, config: Config
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels (the kind's, the joiner's team's, the template's) and assignees (buddy, manager, extra)."""
    team_labels = config.teams[person.team].labels if isinstance(person, Joiner) else ()
    labels = tuple(dict.fromkeys((*kind_settings.labels, *team_labels, *rendered.labels)))
    people = (person.buddy, person.manager) if isinstance(person, Joiner) else (person.manager,)
    assignees = tuple(
        dict.fromkeys(
            a for a in (*people, *kind_settings.assignees, *rendered.assignees) if a and a != person.login
        )
    )
    return labels, assignees


def resolve_people_repo(
    gh: GitHub | None,
    config: Config,
    *,
    flag_repo: str | None,
    current_repo: str | None,
    current_private: bool | None,
) -> tuple[str, bool | None]:
    """Where the checklist goes: --repo, else people.repo, else the current repository if it is private."""
    if flag_repo:
        return flag_repo, None
    if config.people_repo:
        return config.people_repo, None
    if current_repo is None:
        raise UsageError("no people repository: set people.repo in the config, or pass --repo OWNER/NAME")
    private = current_private
    if private is None and gh is not None:
        private = bool(gh.get_repository(current_repo).get("private"))
    if private is False:
        raise ConfigError(
            f"people.repo is not set and {current_repo} is public: joiner and leaver issues hold personal "
            "information, so set people.repo to a private repository (or pass --repo)",
            file=config.path,
        )
    return current_repo, private


def _org_teams(gh: GitHub, org: str, login: str, warn: Any) -> list[dict[str, str]]:
    try:
        data = gh.graphql(ORG_TEAMS_QUERY, {"org": org, "login": login}, why=f"read {login}'s teams in {org}")
    except GitHubError as exc:
        if exc.status is not None and exc.status >= 500:
            raise
        if "resolve to an organization" in exc.message.lower():
            warn(f"{org} is a user account, not an organization: there are no GitHub teams to list")
        else:
            warn(
                f"could not read {login}'s GitHub teams in {org} ({exc.message}); the checklist lists none. "
                "Reading teams needs a token with read:org (members: read) on the organization."
            )
        return []
    teams = (data.get("organization") or {}).get("teams") or {}
    if (teams.get("pageInfo") or {}).get("hasNextPage"):
        warn(f"{login} is in more than 100 teams in {org}; the checklist lists the first 100")
    nodes = teams.get("nodes") or []
    return [{"name": defuse_markup(t["name"]), "slug": t["slug"], "url": t["url"]} for t in nodes if t]


def find_person_issue(
    gh: GitHub, config: Config, repo: str, kind: str, person: Person, request: Request | None
) -> Issue | None:
    """The checklist this run is about, if it exists.

    First the one opened for this same request (so a corrected username updates it instead of
    opening a second); else the person's open one; else a closed one with the same date (done, so
    nothing to do). A closed checklist for another date is history: a rehire gets a new issue.
    """
    creator = config.bot if not config.trusted_authors else None
    by_request: Issue | None = None
    open_one: Issue | None = None
    closed_same_date: Issue | None = None
    for issue in gh.list_issues(repo, state="all", creator=creator):
        if not config.trusted(issue.author):
            continue
        mark = find_marker(issue.body)  # the author is trusted; a note may sit above it
        if not mark or mark[0] != kind:
            continue
        fields = mark[1]
        # The listing is newest first: keep overwriting to settle on the oldest of each.
        if request is not None and fields.get("request") == request.ref:
            by_request = issue
        if fields.get("login") == person.login.lower():
            if issue.state == "open":
                open_one = issue
            elif fields.get("date") == person.day.isoformat():
                closed_same_date = issue
    return by_request or open_one or closed_same_date


def _previous_person(person: Person, fields: dict[str, str]) -> Person:
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


def open_person_issue(
    *,
    kind: str,
    person: Person,
    gh: GitHub,
    config: Config,
    renderer: Renderer,
    repo: str,
    repo_private: bool | None,
    allow_public: bool,
    now: datetime,
    request: Request | None,
    say: Any,
    warn: Any,
) -> PeopleOutcome:
    """Open (or bring up to date) the person's checklist; then answer and close the request. Re-runnable."""
    kind_settings = settings(config, kind)
    if repo_private is None:
        repo_private = _repo_is_private(gh, config, repo)
    warning = privacy_verdict(kind, repo, repo_private, allow_public)
    if warning:
        warn(warning)

    existing = find_person_issue(gh, config, repo, kind, person, request)
    existing_fields = (find_marker(existing.body) or ("", {}))[1] if existing else {}
    mark = person_marker(kind, person, request)
    if existing is not None and "request" in existing_fields and request is None:
        # Options (not the form) for a checklist a request opened: keep pointing at that request.
        mark = mark.replace(" answers=", f" request={existing_fields['request']} answers=")
    outcome = PeopleOutcome(kind, person, repo, "exists", issue=existing)
    progress = Progress(pending=[f"open or update the {kind} issue for {person.login}"])
    try:
        if existing is not None and existing_fields.get("answers") == answers_fingerprint(person):
            state = "open" if existing.state == "open" else "closed"
            say(f"the {kind} issue is already up to date: #{existing.number} ({state})")
            progress.pending.clear()
        elif existing is not None and existing.state != "open":
            warn(f"#{existing.number}, the {kind} issue for this request, is closed: not changing it")
            progress.pending.clear()
        else:
            teams = None
            if kind == "offboarding":
                teams = _org_teams(gh, repo.split("/", 1)[0], person.login, warn)

            def render(who: Person) -> RenderedIssue:
                context = build_context(
                    kind=kind,
                    person=who,
                    config=config,
                    repo=repo,
                    now=now,
                    request=request,
                    github_teams=teams,
                )
                return renderer.render_issue(kind_settings.template, context)

            rendered = render(person)
            body = f"{mark}\n{rendered.body}"
            if len(body) > BODY_LIMIT or len(rendered.title) > 256:
                raise UsageError(
                    f"the rendered {kind} issue is larger than GitHub allows (title 256, body {BODY_LIMIT} "
                    "characters): shorten the template or the answers"
                )
            labels, assignees = issue_fields(rendered, person, kind_settings, config)
            if existing is None:
                _create(
                    gh,
                    config,
                    kind,
                    repo,
                    person,
                    rendered,
                    body,
                    labels,
                    assignees,
                    mark,
                    outcome,
                    progress,
                    say,
                    warn,
                )
            else:
                earlier = _previous_person(person, existing_fields)
                before = render(earlier)
                _, assigned_before = issue_fields(before, earlier, kind_settings, config)
                body, carried, kept = merge_previous(existing.body, body, f"{mark}\n{before.body}")
                # A title someone edited by hand is theirs; only gh-ops' own title follows the answers.
                title = rendered.title if existing.title == before.title else None
                moved = (
                    "dates moved"
                    if existing_fields.get("date") != person.day.isoformat()
                    else "answers changed"
                )
                say(
                    f"{'would update' if gh.dry_run else 'updating'} #{existing.number}: {moved}, "
                    f"{carried} ticked step(s) carried over"
                )
                if kept:
                    warn(
                        f"#{existing.number}: {len(kept)} line(s) people added, or ticked steps the template "
                        f"no longer has, are kept under '{KEPT_HEADING.lstrip('# ')}'"
                    )
                gh.update_issue(
                    repo,
                    existing.number,
                    why=f"bring the {kind} issue up to date",
                    title=title,
                    body=body,
                    # Whoever gh-ops assigned for the old answers gives way to the new answers;
                    # people assigned by hand stay.
                    assignees=tuple(
                        dict.fromkeys(
                            (*(a for a in existing.assignees if a not in assigned_before), *assignees)
                        )
                    ),
                    on_warning=warn,
                )
                outcome.action = "updated"
                progress.pending.clear()
                progress.done.append(f"updated #{existing.number}")
        if (
            request is not None
            and outcome.issue is not None
            and (request.state == "open" or existing is None)
        ):
            progress.pending.append(f"answer and close request #{request.number}")
            _answer_request(gh, config, request, outcome, say)
            progress.pending.clear()
            progress.done.append(f"closed request #{request.number}")
    except GitHubError as exc:
        exc.progress = progress
        raise
    return outcome


def _create(
    gh: GitHub,
    config: Config,
    kind: str,
    repo: str,
    person: Person,
    rendered: RenderedIssue,
    body: str,
    labels: tuple[str, ...],
    assignees: tuple[str, ...],
    mark: str,
    outcome: PeopleOutcome,
    progress: Progress,
    say: Any,
    warn: Any,
) -> None:
    check_token_account(gh, config, f"{kind} issue")
    verb = "would open" if gh.dry_run else "opening"
    # Titles hold names and dates, and a run log may be public: they stay out of it.
    say(
        f"{verb} the {kind} checklist in {repo} (labels: {', '.join(labels)}; assignees: "
        f"{', '.join(assignees) or 'none'})"
    )
    outcome.issue = gh.create_issue(
        repo,
        title=rendered.title,
        body=body,
        labels=labels,
        assignees=assignees,
        marker=mark,
        trusted_author=config.trusted,
        on_warning=warn,
    )
    outcome.action = "opened"
    progress.pending.clear()
    if not outcome.issue.planned:
        progress.done.append(f"opened #{outcome.issue.number} in {repo}")
        say(f"opened #{outcome.issue.number} {outcome.issue.url}")
        check_opened_by_trusted(outcome.issue, config, f"{kind} issue")


def _repo_is_private(gh: GitHub, config: Config, repo: str) -> bool:
    try:
        return bool(gh.get_repository(repo).get("private"))
    except GitHubError as exc:
        if exc.status == 404:
            where = "people.repo" if config.people_repo == repo else "--repo"
            raise ConfigError(
                f"{where} {repo} does not exist, or the token cannot see it (a private repository needs a "
                "token with access to it)",
                file=config.path if where == "people.repo" else None,
                line=config.line_of("people.repo") if where == "people.repo" else None,
            ) from None
        raise


def request_marker(kind: str) -> str:
    return f"{REQUEST_MARKER} kind={kind} -->"


def _who(kind: str, login: str) -> str:
    # A leaver is never @-mentioned: a mention notifies them, possibly before they have been told.
    return f"`{login}`" if kind == "offboarding" else f"@{login}"


def _answer_request(gh: GitHub, config: Config, request: Request, outcome: PeopleOutcome, say: Any) -> None:
    """Close the request, then leave (or edit into) gh-ops' one comment linking the checklist.

    The comment comes last, so once it says this it records that the request was answered: the same
    event delivered again then costs no write.
    """
    issue = outcome.issue
    assert issue is not None
    where = f"{outcome.repo}#{issue.number}" if not issue.planned else f"a new issue in {outcome.repo}"
    text = (
        f"{request_marker(outcome.kind)}\nThe {outcome.kind} checklist for "
        f"{_who(outcome.kind, outcome.person.login)} is {where}. Closing this request."
    )
    mine = _own_request_comment(gh, config, request, outcome.kind)
    if mine is not None and mine.body == text and request.state != "open":
        say(f"request {request.ref} was already answered")
        return
    # The link first: if closing then fails, a re-run finds the request still open and closes it;
    # closing first could leave a closed request that nobody answered.
    _write_request_comment(gh, request, mine, text)
    if request.state == "open":
        say(f"{'would close' if gh.dry_run else 'closing'} request {request.ref}")
        gh.update_issue(
            request.repo,
            request.number,
            why="close the answered request",
            state="closed",
            state_reason="completed",
        )


def _own_request_comment(gh: GitHub, config: Config, request: Request, kind: str) -> Comment | None:
    """gh-ops' comment for this kind on the request; a pasted marker in someone else's is not it."""
    for comment in gh.list_comments(request.repo, request.number):
        if comment.body.startswith(request_marker(kind)) and config.trusted(comment.author):
            return comment
    return None


def _write_request_comment(gh: GitHub, request: Request, mine: Comment | None, text: str) -> None:
    if mine is None:
        gh.create_comment(request.repo, request.number, text, why=f"answer request #{request.number}")
    elif mine.body != text:
        gh.update_comment(request.repo, mine.id, text, why=f"update the answer on #{request.number}")


def report_bad_answers(gh: GitHub, config: Config, kind: str, request: Request, error: AnswersError) -> None:
    """Tell the requester exactly which answers to fix, in the one comment gh-ops keeps on the request.

    Once the request was answered (its comment links the checklist), a later bad edit does not replace
    the link: the run fails with the problems in its log instead.
    """
    mine = _own_request_comment(gh, config, request, kind)
    if request.state != "open" or (mine is not None and "checklist for" in mine.body):
        return
    lines = [f"- {p.key}: {defuse_markup(p.message)}" for p in error.problems]
    text = (
        f"{request_marker(kind)}\nI could not open the {kind} checklist yet. "
        "Please edit this issue and fix:\n\n"
        + "\n".join(lines)
        + "\n\nI will try again as soon as the issue is edited."
    )
    if mine is None:  # a new comment: make sure the next run will recognise it as gh-ops' own
        check_token_account(gh, config, f"comment on {request.ref}")
    _write_request_comment(gh, request, mine, text)


# --- the issues event -------------------------------------------------------------------------------

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
    issue = payload.get("issue")
    repository = payload.get("repository")
    if not isinstance(issue, dict) or not isinstance(repository, dict):
        raise UsageError("the issues event payload has no issue or repository ($GITHUB_EVENT_PATH)")
    labels = {label.get("name") for label in issue.get("labels") or [] if isinstance(label, dict)}
    mine, other = (
        settings(config, kind),
        settings(config, "offboarding" if kind == "onboarding" else "onboarding"),
    )
    if mine.form_label not in labels:
        return None
    if other.form_label in labels:
        raise UsageError(
            f"request #{issue.get('number')} carries both {mine.form_label!r} and {other.form_label!r}: "
            "remove the one that does not apply"
        )
    action = payload.get("action")
    if action not in REQUEST_ACTIONS:
        return None
    body = issue.get("body")
    try:
        return Request(
            repo=str(repository["full_name"]),
            number=int(issue["number"]),
            url=str(issue.get("html_url") or ""),
            state=str(issue.get("state") or "open"),
            private=repository.get("private") if isinstance(repository.get("private"), bool) else None,
            state_reason=issue.get("state_reason"),
            body=body if isinstance(body, str) else "",
        )
    except (KeyError, TypeError, ValueError):
        raise UsageError("the issues event payload lacks the issue number or repository name") from None


def refresh_request(gh: GitHub, request: Request) -> Request:
    """The request as it is now: a re-run of an old workflow run must not bring back old answers."""
    current = gh.get_issue(request.repo, request.number)
    return replace(request, state=current.state, state_reason=current.state_reason, body=current.body)
