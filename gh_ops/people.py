"""Onboarding and offboarding checklists: one issue per person, filled in, kept in step with the date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gh_ops import dates
from gh_ops.config import Config, PeopleIssues
from gh_ops.errors import ConfigError, GitHubError, Problem, Progress, UsageError
from gh_ops.github import Comment, GitHub, Issue
from gh_ops.render import RenderedIssue, Renderer, defuse_markup, marker, read_marker

ROLES = ("engineering", "product", "design", "ops", "other")
LEAVE_KINDS = ("voluntary", "involuntary")
NO_RESPONSE = "_No response_"  # what GitHub renders for an unanswered optional question
REQUEST_MARKER = "<!-- gh-ops:people-request -->"
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


class AnswersError(UsageError):
    """Answers (form or flags) that cannot make a checklist; each problem names its question."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} answer(s) need fixing", problems=problems)


_HEADING = re.compile(r"^###\s+(.+?)\s*$")


def parse_form(body: str) -> dict[str, str | None]:
    """The answers of an issue form as GitHub renders them: `### Question`, a blank line, the answer."""
    answers: dict[str, str | None] = {}
    question: str | None = None
    lines: list[str] = []
    for line in (body or "").splitlines():
        heading = _HEADING.match(line)
        if heading:
            if question is not None:
                answers[question] = _answer(lines)
            question, lines = heading.group(1), []
        elif question is not None:
            lines.append(line)
    if question is not None:
        answers[question] = _answer(lines)
    return answers


def _answer(lines: list[str]) -> str | None:
    text = "\n".join(lines).strip()
    return None if not text or text == NO_RESPONSE else text


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

    def __init__(self, answers: dict[str, str | None], flags: dict[str, str], source: str) -> None:
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
        if day is None:
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


def joiner_from_answers(answers: dict[str, str | None], config: Config, *, source: str) -> Joiner:
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


def leaver_from_answers(answers: dict[str, str | None], config: Config, *, source: str) -> Leaver:
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


# --- keeping ticked boxes across a re-render (pure) --------------------------------------------

_TASK = re.compile(r"^(\s*[-*+]\s+\[)( |x|X)(\]\s+)(.*)$")
_DATEISH = re.compile(
    r"\*\*[^*]*\*\*"  # the bold date at the start of a step
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{4})?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}(?:,?\s+\d{4})?\b",
    re.IGNORECASE,
)


def _step_key(text: str) -> str:
    """A checklist step without its dates, so the same step matches after the dates move."""
    return " ".join(_DATEISH.sub(" ", text).lower().split())


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


def person_marker(kind: str, person: Person) -> str:
    return marker(kind, login=person.login.lower(), date=person.day.isoformat())


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
        warn(
            f"could not read {login}'s GitHub teams in {org} ({exc.message}); the checklist lists none. "
            "Reading teams needs a token with read:org (members: read) on the organization."
        )
        return []
    organization = data.get("organization") or {}
    nodes = (organization.get("teams") or {}).get("nodes") or []
    return [{"name": defuse_markup(t["name"]), "slug": t["slug"], "url": t["url"]} for t in nodes if t]


def find_person_issue(gh: GitHub, config: Config, repo: str, kind: str, login: str) -> Issue | None:
    """The trusted checklist issue for this person and kind, whatever its date."""
    creator = config.bot if not config.trusted_authors else None
    found: Issue | None = None
    for issue in gh.list_issues(repo, state="all", creator=creator):
        if not config.trusted(issue.author):
            continue
        mark = read_marker(issue.body)
        if mark and mark[0] == kind and mark[1].get("login") == login.lower():
            found = issue  # newest first: keep going to settle on the oldest
    return found


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
        repo_private = bool(gh.get_repository(repo).get("private"))
    warning = privacy_verdict(kind, repo, repo_private, allow_public)
    if warning:
        warn(warning)

    existing = find_person_issue(gh, config, repo, kind, person.login)
    mark = person_marker(kind, person)
    outcome = PeopleOutcome(kind, person, repo, "exists", issue=existing)
    progress = Progress()
    try:
        if existing is not None and read_marker(existing.body) == read_marker(mark):
            say(f"{kind} issue for {person.login} is already open as #{existing.number}")
        else:
            teams = (
                _org_teams(gh, repo.split("/", 1)[0], person.login, warn) if kind == "offboarding" else None
            )
            context = build_context(
                kind=kind,
                person=person,
                config=config,
                repo=repo,
                now=now,
                request=request,
                github_teams=teams,
            )
            rendered = renderer.render_issue(kind_settings.template, context)
            body = f"{mark}\n{rendered.body}"
            if len(body) > BODY_LIMIT or len(rendered.title) > 256:
                raise UsageError(f"the rendered {kind} issue is larger than GitHub allows")
            if existing is None:
                if gh.has_token:  # as for sprints: an untrusted author would get a new issue every run
                    login = gh.authenticated_login()
                    if login is not None and not config.trusted(login):
                        raise config.untrusted_account_error(login, f"{kind} issue")
                labels, assignees = issue_fields(rendered, person, kind_settings, config)
                verb = "would open" if gh.dry_run else "opening"
                say(
                    f"{verb} {rendered.title!r} in {repo} (labels: {', '.join(labels)}; "
                    f"assignees: {', '.join(assignees) or 'none'})"
                )
                progress.pending.append(f"open the {kind} issue")
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
                    if not config.trusted(outcome.issue.author):
                        error = config.untrusted_account_error(outcome.issue.author or "?", f"{kind} issue")
                        error.message += f" (#{outcome.issue.number} was opened before this was known.)"
                        raise error
            else:
                body, kept = carry_ticks(existing.body, body)
                old_date = (read_marker(existing.body) or ("", {}))[1].get("date", "?")
                say(
                    f"{'would update' if gh.dry_run else 'updating'} #{existing.number}: date {old_date} → "
                    f"{person.day.isoformat()}, keeping {kept} ticked step(s)"
                )
                progress.pending.append(f"update the dates in #{existing.number}")
                gh.update_issue(
                    repo, existing.number, why=f"move the {kind} dates", title=rendered.title, body=body
                )
                outcome.action = "updated"
                progress.pending.clear()
                progress.done.append(f"updated #{existing.number}")
        if request is not None and request.state == "open" and outcome.issue is not None:
            progress.pending.append(f"answer and close request #{request.number}")
            _answer_request(gh, config, request, outcome, say)
            progress.pending.clear()
            progress.done.append(f"closed request #{request.number}")
    except GitHubError as exc:
        exc.progress = progress
        raise
    return outcome


def _answer_request(gh: GitHub, config: Config, request: Request, outcome: PeopleOutcome, say: Any) -> None:
    """Close the request, then leave (or edit into) gh-ops' one comment linking the checklist.

    The comment comes last, so once it says this it records that the request was answered: the same
    event delivered again (its payload still says "open") then costs no write.
    """
    issue = outcome.issue
    assert issue is not None
    where = f"{outcome.repo}#{issue.number}" if not issue.planned else f"a new issue in {outcome.repo}"
    text = (
        f"{REQUEST_MARKER}\nThe {outcome.kind} checklist for @{outcome.person.login} is {where}. "
        "Closing this request."
    )
    mine = _own_request_comment(gh, config, request)
    if mine is not None and mine.body == text:
        say(f"request {request.repo}#{request.number} was already answered")
        return
    say(f"{'would close' if gh.dry_run else 'closing'} request {request.repo}#{request.number}")
    gh.update_issue(
        request.repo,
        request.number,
        why="close the answered request",
        state="closed",
        state_reason="completed",
    )
    _write_request_comment(gh, request, mine, text)


def _own_request_comment(gh: GitHub, config: Config, request: Request) -> Comment | None:
    """gh-ops' one comment on the request; a pasted marker in someone else's comment is not it."""
    for comment in gh.list_comments(request.repo, request.number):
        if comment.body.startswith(REQUEST_MARKER) and config.trusted(comment.author):
            return comment
    return None


def _write_request_comment(gh: GitHub, request: Request, mine: Comment | None, text: str) -> None:
    if mine is None:
        gh.create_comment(request.repo, request.number, text, why=f"answer request #{request.number}")
    elif mine.body != text:
        gh.update_comment(request.repo, mine.id, text, why=f"update the answer on #{request.number}")


def report_bad_answers(gh: GitHub, config: Config, request: Request, error: AnswersError) -> None:
    """Tell the requester exactly which answers to fix, in the one comment gh-ops keeps on the request."""
    lines = [f"- {p.key}: {p.message}" for p in error.problems]
    text = (
        f"{REQUEST_MARKER}\nI could not open the checklist yet. Please edit this issue and fix:\n\n"
        + "\n".join(lines)
        + "\n\nI will try again as soon as the issue is edited."
    )
    _write_request_comment(gh, request, _own_request_comment(gh, config, request), text)


# --- the issues event -------------------------------------------------------------------------------


def request_from_event(
    event_name: str | None, payload: dict[str, Any], kind_settings: PeopleIssues
) -> tuple[Request, dict[str, str | None]] | None:
    """The request and its answers, or None when the event is not a request of this kind."""
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
    if kind_settings.form_label not in labels:
        return None
    try:
        request = Request(
            repo=repository["full_name"],
            number=int(issue["number"]),
            url=issue.get("html_url") or "",
            state=issue.get("state") or "open",
            private=repository.get("private"),
        )
    except (KeyError, TypeError, ValueError):
        raise UsageError("the issues event payload lacks the issue number or repository name") from None
    return request, parse_form(issue.get("body") or "")
