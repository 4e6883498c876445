"""Sprint issues, the rules: the sprint calendar (which sprint's issue is due on a day), the goals
carried into the next retrospective, the issue's variables, labels, assignees and marker, and which
earlier issue is the previous one. Pure functions: no GitHub, no I/O, no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from gh_ops import dates
from gh_ops.config import Config, Team
from gh_ops.errors import ConfigError, TemplateError
from gh_ops.markup import defuse_markup, marker
from gh_ops.models import BODY_LIMIT, TITLE_LIMIT, Issue, RenderedIssue
from gh_ops.sprint.settings import SprintSchedule, SprintSettings

KIND = "sprint"
NEXT_LINK_MARKER = "<!-- gh-ops:next-sprint -->"

# --- the calendar ------------------------------------------------------------------------------


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


def windows_opened_between(
    schedule: SprintSchedule, after: date | None, through: date, lookback_days: int
) -> list[Sprint]:
    """The sprints whose issue became due (its `opens_on`) after the day `after` and up to
    `through`, both days as the team's calendar reads them: what a daily `sprint open` would have
    opened had it run on each of those days. With `after` None (no run known), the last
    `lookback_days` days. Only sprints that `due_sprint` names on their opening day."""
    first_day = (after + timedelta(days=1)) if after is not None else through - timedelta(days=lookback_days)
    found: list[Sprint] = []
    number = max(1, sprint_number_on(schedule, first_day))
    while True:
        sprint = sprint_by_number(schedule, number)
        if sprint.opens_on > through:
            return found
        if sprint.opens_on >= first_day and due_sprint(schedule, sprint.opens_on) == sprint:
            found.append(sprint)
        number += 1


# --- goals carried into the retrospective ------------------------------------------------------


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


# What a retrospective carries over at most: the first MAX_GOALS goals, each cut to MAX_GOAL_LENGTH
# characters. `validate` renders the template with exactly this much, so a previous issue that is
# longer (a pasted log under Goals) can never make the new issue too big for GitHub.
MAX_GOALS = 30
MAX_GOAL_LENGTH = 300


def extract_goals(body: str, heading: str = "Goals") -> list[Goal]:
    """Top-level task-list items under the first heading containing `heading`, with checked state
    (at most MAX_GOALS, each at most MAX_GOAL_LENGTH characters)."""
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
        if len(text) > MAX_GOAL_LENGTH:
            text = text[: MAX_GOAL_LENGTH - 1].rstrip() + "…"
        goals.append(
            Goal(text=defuse_markup(text), done=task.group(2) != " ", owner=owner.group(1) if owner else None)
        )
        if len(goals) == MAX_GOALS:
            break
    return goals


# --- the issue: its template variables, labels, assignees and marker ---------------------------


def previous_issue_context(issue: Issue, goals_heading: str, sprint_number: int) -> dict[str, Any]:
    return {
        "number": issue.number,
        "sprint": sprint_number,
        "url": issue.url,
        "title": defuse_markup(issue.title),
        "state": issue.state,
        "goals": [g.as_context() for g in extract_goals(issue.body, goals_heading)],
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
    rendered: RenderedIssue, team: Team, config_labels: tuple[str, ...], kind_label: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels (config, team, template, then the kind label gh-ops finds its issues by, unless one of
    those is already it) and assignees (lead first, then the template's), de-duplicated."""
    labels = tuple(dict.fromkeys((*config_labels, *team.labels, *rendered.labels)))
    if not has_label(labels, kind_label):
        labels += (kind_label,)
    assignees = tuple(dict.fromkeys((team.lead, *rendered.assignees)))
    return labels, assignees


def has_label(labels: tuple[str, ...], name: str) -> bool:
    """GitHub compares label names in any case."""
    return name.casefold() in (label.casefold() for label in labels)


def sprint_marker(team: Team, sprint: Sprint) -> str:
    return marker(KIND, team=team.key, period=sprint.period, number=str(sprint.number))


def link_section(new_issue: Issue, sprint: Sprint) -> str:
    """Appended to the previous sprint issue; its marker is how a re-run knows the link is made."""
    target = f"#{new_issue.number}" if not new_issue.planned else "the new sprint issue"
    return f"\n\n{NEXT_LINK_MARKER}\n---\n➡️ Sprint {sprint.number} continues in {target}.\n"


MISSED_LOOKBACK_DAYS = 35  # with no scheduled run known, how far back doctor looks for missed windows


def missed_windows(config: Config, since: datetime | None, now: datetime) -> list[tuple[Team, Sprint]]:
    """For each team with sprints, the sprint windows that opened after the schedule last ran
    (`since`; None: never) and by `now`: the sprint issues a daily `sprint open` would have opened."""
    settings = config.section(SprintSettings)
    if not settings.configured:
        return []
    found: list[tuple[Team, Sprint]] = []
    for team in config.select_teams(()):
        schedule = settings.schedules.get(team.key)
        if schedule is None:
            continue
        after = dates.local_date(since, team.timezone) if since is not None else None
        through = dates.local_date(now, team.timezone)
        found += [(team, s) for s in windows_opened_between(schedule, after, through, MISSED_LOOKBACK_DAYS)]
    return found


def sprint_teams(config: Config, keys: tuple[str, ...]) -> list[Team]:
    """The teams that hold sprints, or those of `keys` (each must hold sprints)."""
    settings = config.section(SprintSettings)
    if not settings.configured:
        raise ConfigError(
            f"{config.path} has no sprint: section; add one to use `sprint open` "
            "(see the README for an example)"
        )
    teams = config.select_teams(keys)
    disabled = [t.key for t in teams if t.key not in settings.schedules]
    if keys and disabled:
        raise ConfigError(f"team {', '.join(disabled)} has sprints disabled in {config.path}")
    return [t for t in teams if t.key in settings.schedules]


PREVIOUS_LOOKBACK = 2  # a missed sprint is bridged: sprint N follows N-1, or else N-2


@dataclass
class Listing:
    """Trusted sprint issues found by a newest-first listing (the issues with the kind label, or
    else the recent issues of every trusted author)."""

    by_key: dict[tuple[str, str], Issue] = field(default_factory=dict)  # (team, period) -> oldest issue
    number_of: dict[int, int] = field(default_factory=dict)  # issue number -> sprint number
    unmarked: dict[str, Issue] = field(default_factory=dict)  # title -> trusted issue with no marker

    def previous(self, team: Team, schedule: SprintSchedule, sprint: Sprint) -> Issue | None:
        """The newest sprint issue of the team before `sprint`, looking back PREVIOUS_LOOKBACK sprints."""
        for back in range(1, PREVIOUS_LOOKBACK + 1):
            if sprint.number - back < 1:
                break
            period = sprint_by_number(schedule, sprint.number - back).period
            if (team.key, period) in self.by_key:
                return self.by_key[(team.key, period)]
        return None


def check_sizes(rendered: RenderedIssue, body: str, template: str) -> None:
    if len(rendered.title) > TITLE_LIMIT:
        raise TemplateError(
            f"the rendered title has {len(rendered.title)} characters; GitHub allows {TITLE_LIMIT}",
            file=template,
        )
    if len(body) > BODY_LIMIT:
        raise TemplateError(
            f"the rendered body has {len(body)} characters; GitHub allows {BODY_LIMIT}", file=template
        )
