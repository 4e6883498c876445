"""Sprint issues: one per team per sprint, opened ahead of time, linked to the previous one, never twice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from gh_ops import dates
from gh_ops.config import Config, SprintSchedule, Team
from gh_ops.errors import ConfigError, GitHubError, Progress, TemplateError
from gh_ops.markup import defuse_markup, marker, read_marker
from gh_ops.models import Issue
from gh_ops.render import RenderedIssue, Renderer
from gh_ops.trust import check_opened_by_trusted, check_token_account

if TYPE_CHECKING:
    from gh_ops.github import GitHub

KIND = "sprint"
NEXT_LINK_MARKER = "<!-- gh-ops:next-sprint -->"

# --- the calendar (pure) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sprint:
    number: int
    start: date
    end: date  # the last day of the sprint, inclusive
    opens_on: date  # the day its issue is due to be opened

    @property
    def period(self) -> str:
        return self.start.isoformat()

    def as_context(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "start": self.start,
            "end": self.end,
            "opens_on": self.opens_on,
            "next_start": self.end + timedelta(days=1),
            "days": (self.end - self.start).days + 1,
            "weeks": ((self.end - self.start).days + 1) // 7,
            "period": self.period,
        }


def sprint_by_number(schedule: SprintSchedule, number: int) -> Sprint:
    """Sprint N starts on anchor + (N-1) × cadence."""
    start = schedule.anchor + timedelta(days=(number - 1) * schedule.cadence_days)
    return Sprint(
        number=number,
        start=start,
        end=start + timedelta(days=schedule.cadence_days - 1),
        opens_on=start - timedelta(days=schedule.open_days_before),
    )


def sprint_number_on(schedule: SprintSchedule, day: date) -> int:
    """The number of the sprint running on `day`; 0 before sprint 1 starts."""
    if day < schedule.anchor:
        return 0
    return (day - schedule.anchor).days // schedule.cadence_days + 1


def due_sprint(schedule: SprintSchedule, today: date) -> Sprint | None:
    """The one sprint whose issue should exist today: the next once its window opened, else the current."""
    current = sprint_number_on(schedule, today)
    upcoming = sprint_by_number(schedule, current + 1)
    if today >= upcoming.opens_on:
        return upcoming
    if current >= 1:
        return sprint_by_number(schedule, current)
    return None


# --- goals carried into the retrospective (pure) ---------------------------------------------


@dataclass(frozen=True)
class Goal:
    text: str
    done: bool
    owner: str | None

    def as_context(self) -> dict[str, Any]:
        return {"text": self.text, "done": self.done, "owner": self.owner}


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TASK = re.compile(r"^( {0,1})[-*+]\s+\[( |x|X)\]\s+(.*\S)\s*$")
_OWNER = re.compile(r"(?<![\w`])@([A-Za-z0-9][A-Za-z0-9-]{0,38})\b")
# The default template's italic placeholder lines ("_First goal · owner @…_"), not yet filled in.
_PLACEHOLDER = re.compile(r"^_.*@….*_$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def extract_goals(body: str, heading: str = "Goals") -> list[Goal]:
    """Top-level task-list items under the first heading containing `heading`, with checked state."""
    goals: list[Goal] = []
    level: int | None = None
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        head = _HEADING.match(line)
        if head:
            if level is not None and len(head.group(1)) <= level:
                break
            if level is None and heading.lower() in head.group(2).lower():
                level = len(head.group(1))
            continue
        if level is None:
            continue
        task = _TASK.match(line)
        if not task or _PLACEHOLDER.match(task.group(3)):
            continue
        text = task.group(3)
        owner = _OWNER.search(text)
        goals.append(
            Goal(text=defuse_markup(text), done=task.group(2) != " ", owner=owner.group(1) if owner else None)
        )
    return goals


# --- the template context ---------------------------------------------------------------------


def previous_issue_context(issue: Issue, goals_heading: str, sprint_number: int) -> dict[str, Any]:
    return {
        "number": issue.number,
        "sprint": sprint_number,
        "url": issue.url,
        "title": defuse_markup(issue.title),
        "state": issue.state,
        "goals": [g.as_context() for g in extract_goals(issue.body, goals_heading)],
    }


SAMPLE_PREVIOUS_GOALS = [
    Goal("Ship the new dashboard filters to every customer — owner @alice", True, "alice"),
    Goal("Cut p95 query latency below 2s — owner @bob", False, "bob"),
]


def sample_previous_issue(repo: str, web_url: str, sprint_number: int, number: int = 41) -> dict[str, Any]:
    """Stand-in previous sprint issue for offline previews and `validate`."""
    return {
        "number": number,
        "sprint": sprint_number,
        "url": f"{web_url}/{repo}/issues/{number}",
        "title": "Sample previous sprint",
        "state": "open",
        "goals": [g.as_context() for g in SAMPLE_PREVIOUS_GOALS],
    }


def build_context(
    *, team: Team, sprint: Sprint, repo: str, now: datetime, previous_issue: dict[str, Any] | None
) -> dict[str, Any]:
    local_now = dates.local_now(now, team.timezone)
    previous_sprint = None
    if sprint.number > 1:
        gap = sprint.end - sprint.start + timedelta(days=1)
        previous_sprint = {
            "number": sprint.number - 1,
            "start": sprint.start - gap,
            "end": sprint.start - timedelta(days=1),
        }
    return {
        "kind": KIND,
        "repo": repo,
        "team": team.as_context(),
        "sprint": sprint.as_context(),
        "previous_sprint": previous_sprint,
        "previous_issue": previous_issue,
        "now": local_now,
        "today": local_now.date(),
    }


def issue_fields(
    rendered: RenderedIssue, team: Team, config_labels: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels (config, team, template) and assignees (lead first, then the template's), de-duplicated."""
    labels = tuple(dict.fromkeys((*config_labels, *team.labels, *rendered.labels)))
    assignees = tuple(dict.fromkeys((team.lead, *rendered.assignees)))
    return labels, assignees


def sprint_marker(team: Team, sprint: Sprint) -> str:
    return marker(KIND, team=team.key, period=sprint.period, number=str(sprint.number))


def link_section(new_issue: Issue, sprint: Sprint) -> str:
    """Appended to the previous sprint issue; its marker is how a re-run knows the link is made."""
    target = f"#{new_issue.number}" if not new_issue.planned else "the new sprint issue"
    return f"\n\n{NEXT_LINK_MARKER}\n---\n➡️ Sprint {sprint.number} continues in {target}.\n"


# --- the run -----------------------------------------------------------------------------------


@dataclass
class TeamOutcome:
    team: Team
    sprint: Sprint | None
    action: str  # opened | exists | not-due
    issue: Issue | None = None
    previous: Issue | None = None
    previous_action: str | None = None  # linked | linked-and-closed
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "team": self.team.key,
            "sprint": self.sprint.number if self.sprint else None,
            "start": self.sprint.start.isoformat() if self.sprint else None,
            "end": self.sprint.end.isoformat() if self.sprint else None,
            "action": self.action,
            "number": self.issue.number if self.issue and not self.issue.planned else None,
            "url": self.issue.url if self.issue and not self.issue.planned else None,
            "previous": self.previous.number if self.previous else None,
            "previous_action": self.previous_action,
        }


def sprint_teams(config: Config, keys: tuple[str, ...]) -> list[Team]:
    if config.sprint is None:
        raise ConfigError(
            f"{config.path} has no sprint: section; add one to use `sprint open` "
            "(see the README for an example)"
        )
    teams = config.select_teams(keys)
    disabled = [t.key for t in teams if t.schedule is None]
    if keys and disabled:
        raise ConfigError(f"team {', '.join(disabled)} has sprints disabled in {config.path}")
    return [t for t in teams if t.schedule is not None]


PREVIOUS_LOOKBACK = 2  # a missed sprint is bridged: sprint N follows N-1, or else N-2
TITLE_LIMIT = 256  # GitHub's limits; checked before writing so they are input errors, not API ones
BODY_LIMIT = 65536


@dataclass
class _Listing:
    """Trusted sprint issues found by one newest-first listing of the bot's issues."""

    by_key: dict[tuple[str, str], Issue] = field(default_factory=dict)  # (team, period) -> oldest issue
    number_of: dict[int, int] = field(default_factory=dict)  # issue number -> sprint number
    unmarked: dict[str, Issue] = field(default_factory=dict)  # title -> trusted issue with no marker

    def previous(self, team: Team, sprint: Sprint) -> Issue | None:
        """The newest sprint issue of the team before `sprint`, looking back PREVIOUS_LOOKBACK sprints."""
        assert team.schedule is not None
        for back in range(1, PREVIOUS_LOOKBACK + 1):
            if sprint.number - back < 1:
                break
            period = sprint_by_number(team.schedule, sprint.number - back).period
            if (team.key, period) in self.by_key:
                return self.by_key[(team.key, period)]
        return None


def _list_sprint_issues(
    gh: GitHub, config: Config, repo: str, teams: list[Team], due: dict[str, Sprint], warn: Any
) -> _Listing:
    """Read the trusted sprint issues that matter for the due sprints, paging no further than needed."""
    listing = _Listing()
    creator = config.bot if not config.trusted_authors else None
    # An issue for sprint K cannot have been opened before K's start minus a whole cadence (the
    # largest open_days_before allowed, even if the setting was larger when it was opened), nor
    # can the oldest sprint we look back to. Once the listing is older than that, stop paging.
    earliest: list[date] = []
    for team in teams:
        if team.key in due and team.schedule is not None:
            oldest = sprint_by_number(team.schedule, max(1, due[team.key].number - PREVIOUS_LOOKBACK))
            earliest.append(oldest.start - timedelta(days=team.schedule.cadence_days))
    cutoff = datetime.combine(min(earliest) - timedelta(days=1), time.min, tzinfo=UTC)
    for issue in gh.list_issues(repo, state="all", creator=creator):
        if issue.created_at is not None and issue.created_at < cutoff:
            break
        if not config.trusted(issue.author):
            continue  # anyone can paste a marker; only the bot's issues count
        mark = read_marker(issue.body)
        if not mark:
            listing.unmarked.setdefault(issue.title, issue)
            continue
        if mark[0] != KIND:
            continue
        key = (mark[1].get("team", ""), mark[1].get("period", ""))
        if key in listing.by_key:
            warn(
                f"two sprint issues for team {key[0]} starting {key[1]}: #{issue.number} and "
                f"#{listing.by_key[key].number}; using the older one, #{issue.number}"
            )
        listing.by_key[key] = issue  # the listing is newest first: the last seen is the oldest
        number = mark[1].get("number", "")
        if number.isdigit():
            listing.number_of[issue.number] = int(number)
    return listing


@dataclass
class _Planned:
    outcome: TeamOutcome
    rendered: RenderedIssue | None = None
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    milestone: int | None = None


def _check_sizes(rendered: RenderedIssue, body: str, template: str) -> None:
    if len(rendered.title) > TITLE_LIMIT:
        raise TemplateError(
            f"the rendered title has {len(rendered.title)} characters; GitHub allows {TITLE_LIMIT}",
            file=template,
        )
    if len(body) > BODY_LIMIT:
        raise TemplateError(
            f"the rendered body has {len(body)} characters; GitHub allows {BODY_LIMIT}", file=template
        )


def _plan(
    *,
    gh: GitHub,
    config: Config,
    renderer: Renderer,
    repo: str,
    now: datetime,
    teams: list[Team],
    due: dict[str, Sprint],
    warn: Any,
) -> list[_Planned]:
    """Read what exists and render every missing issue before anything is written."""
    assert config.sprint is not None
    listing = _list_sprint_issues(gh, config, repo, teams, due, warn)
    plans: list[_Planned] = []
    milestones: dict[str, int] | None = None
    for team in teams:
        sprint = due.get(team.key)
        if sprint is None or team.schedule is None:
            continue
        previous = listing.previous(team, sprint)
        plan = _Planned(
            TeamOutcome(
                team, sprint, "exists", issue=listing.by_key.get((team.key, sprint.period)), previous=previous
            )
        )
        plans.append(plan)
        if plan.outcome.issue is not None:
            continue
        previous_ctx = None
        if previous is not None:
            previous_ctx = previous_issue_context(
                previous,
                config.sprint.goals_heading,
                listing.number_of.get(previous.number, sprint.number - 1),
            )
        context = build_context(team=team, sprint=sprint, repo=repo, now=now, previous_issue=previous_ctx)
        rendered = renderer.render_issue(config.sprint.template, context)
        twin = listing.unmarked.get(rendered.title)
        if twin is not None:
            # Someone edited the hidden marker away; the dated title still says which sprint it is.
            warn(
                f"#{twin.number} has lost its gh-ops marker but has this sprint's title; "
                f"treating it as team {team.key}'s sprint {sprint.number} issue"
            )
            plan.outcome.issue = twin
            continue
        plan.rendered = rendered
        _check_sizes(rendered, f"{sprint_marker(team, sprint)}\n{rendered.body}", config.sprint.template)
        plan.labels, plan.assignees = issue_fields(rendered, team, config.sprint.labels)
        if rendered.milestone:
            if milestones is None:
                milestones = {m.title: m.number for m in gh.list_milestones(repo)}
            plan.milestone = milestones.get(rendered.milestone)
            if plan.milestone is None and rendered.milestone.isdigit():
                plan.milestone = int(rendered.milestone)
            if plan.milestone is None:
                warn(
                    f"milestone {rendered.milestone!r} does not exist in {repo}; opening the issue without it"
                )
    return plans


def open_sprint_issues(
    *,
    gh: GitHub,
    config: Config,
    renderer: Renderer,
    repo: str,
    now: datetime,
    team_keys: tuple[str, ...],
    say: Any,
    warn: Any,
) -> list[TeamOutcome]:
    """Open every due and missing sprint issue; link (and close) the previous one. Safe to re-run."""
    assert config.sprint is not None
    teams = sprint_teams(config, team_keys)
    outcomes: list[TeamOutcome] = []
    due: dict[str, Sprint] = {}
    for team in teams:
        assert team.schedule is not None
        sprint = due_sprint(team.schedule, dates.local_date(now, team.timezone))
        if sprint is None:
            first = sprint_by_number(team.schedule, 1)
            outcomes.append(
                TeamOutcome(
                    team, None, "not-due", notes=[f"nothing due yet: sprint 1 opens on {first.opens_on}"]
                )
            )
            say(f"{team.key}: nothing due yet (sprint 1 opens on {first.opens_on})")
        else:
            due[team.key] = sprint
    if not due:
        return outcomes

    plans = _plan(
        gh=gh, config=config, renderer=renderer, repo=repo, now=now, teams=teams, due=due, warn=warn
    )
    progress = Progress(
        pending=[
            f"team {p.outcome.team.key}: open sprint {p.outcome.sprint.number} issue"
            for p in plans
            if p.rendered is not None and p.outcome.sprint
        ]
    )
    if progress.pending:
        check_token_account(gh, config, "sprint issues")
    try:
        for plan in plans:
            outcome, team, sprint = plan.outcome, plan.outcome.team, plan.outcome.sprint
            assert sprint is not None
            if plan.rendered is not None:
                step = f"team {team.key}: open sprint {sprint.number} issue"
                mark = sprint_marker(team, sprint)
                verb = "would open" if gh.dry_run else "opening"
                say(
                    f"{team.key}: {verb} {plan.rendered.title!r} "
                    f"(labels: {', '.join(plan.labels) or 'none'}; assignees: {', '.join(plan.assignees)})"
                )
                outcome.issue = gh.create_issue(
                    repo,
                    title=plan.rendered.title,
                    body=f"{mark}\n{plan.rendered.body}",
                    labels=plan.labels,
                    assignees=plan.assignees,
                    milestone=plan.milestone,
                    marker=mark,
                    trusted_author=config.trusted,
                    on_warning=warn,
                )
                outcome.action = "opened"
                progress.pending.remove(step)
                if not outcome.issue.planned:
                    progress.done.append(f"{step} #{outcome.issue.number}")
                    say(f"{team.key}: opened #{outcome.issue.number} {outcome.issue.url}")
                    check_opened_by_trusted(outcome.issue, config, "sprint issues")
            else:
                assert outcome.issue is not None
                say(f"{team.key}: sprint {sprint.number} is already open as #{outcome.issue.number}")
            if outcome.previous is not None and NEXT_LINK_MARKER not in outcome.previous.body:
                _link_previous(gh, config, repo, outcome, progress, say, warn)
            outcomes.append(outcome)
    except GitHubError as exc:
        exc.progress = progress
        raise
    return outcomes


def _link_previous(
    gh: GitHub, config: Config, repo: str, outcome: TeamOutcome, progress: Progress, say: Any, warn: Any
) -> None:
    """Append a link to the successor to the previous issue (and close it) in one PATCH."""
    assert config.sprint is not None and outcome.previous is not None and outcome.issue is not None
    assert outcome.sprint is not None
    previous, team = outcome.previous, outcome.team
    close = config.sprint.close_previous and previous.state == "open"
    body: str | None = previous.body + link_section(outcome.issue, outcome.sprint)
    if len(body or "") > BODY_LIMIT:
        # No room for the link in a body at GitHub's limit; the new issue still links back.
        warn(
            f"#{previous.number} is too long to take a link to its successor; linked from the new issue only"
        )
        body = None
        if not close:
            return
    action = ("link and close" if close else "link") if body is not None else "close"
    step = f"team {team.key}: {action} #{previous.number}"
    progress.pending.insert(0, step)  # the step under way is the first not done
    say(f"{team.key}: {'would ' if gh.dry_run else ''}{action} the previous sprint issue #{previous.number}")
    gh.update_issue(
        repo,
        previous.number,
        why=f"link the previous sprint issue to sprint {outcome.sprint.number}",
        body=body,
        state="closed" if close else None,
        state_reason="completed" if close else None,
    )
    outcome.previous_action = {"link": "linked", "close": "closed"}.get(action, "linked-and-closed")
    progress.pending.remove(step)
    progress.done.append(f"team {team.key}: {outcome.previous_action.replace('-', ' ')} #{previous.number}")
