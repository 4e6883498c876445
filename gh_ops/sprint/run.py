"""Sprint issues on GitHub: one listing of the bot's recent issues finds what exists, every missing
issue is rendered before anything is written, then each is opened and the previous one linked (and
closed) in one PATCH. Safe to run daily, twice, or late."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from gh_ops import dates
from gh_ops.config import Config, Team
from gh_ops.context import Context, Say
from gh_ops.converge import is_closed_duplicate, settle_issue
from gh_ops.errors import GitHubError, Progress, WriteBudgetReached
from gh_ops.markup import read_marker
from gh_ops.models import BODY_LIMIT, Issue, RenderedIssue
from gh_ops.sprint.rules import (
    KIND,
    NEXT_LINK_MARKER,
    PREVIOUS_LOOKBACK,
    Listing,
    Sprint,
    build_context,
    check_sizes,
    due_sprint,
    has_label,
    issue_fields,
    link_section,
    previous_issue_context,
    sprint_by_number,
    sprint_marker,
    sprint_teams,
)
from gh_ops.sprint.settings import SprintSettings
from gh_ops.trust import check_opened_by_trusted, check_token_account

if TYPE_CHECKING:
    from gh_ops.github import GitHub
    from gh_ops.render import Renderer


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


def _listing_cutoff(config: Config, teams: list[Team], due: dict[str, Sprint]) -> datetime:
    """How far back a sprint issue that matters can have been opened.

    An issue for sprint K cannot have been opened before K's start minus a whole cadence (the
    largest open_days_before allowed, even if the setting was larger when it was opened), nor can
    the oldest sprint we look back to. Once a listing is older than that, it stops paging."""
    schedules = config.section(SprintSettings).schedules
    earliest: list[date] = []
    for team in teams:
        if team.key in due and team.key in schedules:
            schedule = schedules[team.key]
            oldest = sprint_by_number(schedule, max(1, due[team.key].number - PREVIOUS_LOOKBACK))
            earliest.append(oldest.start - timedelta(days=schedule.cadence_days))
    return datetime.combine(min(earliest) - timedelta(days=1), time.min, tzinfo=UTC)


def _until(issues: Iterable[Issue], cutoff: datetime) -> Iterator[Issue]:
    """A newest-first listing up to its first issue opened before `cutoff` (no page further)."""
    for issue in issues:
        if issue.created_at is not None and issue.created_at < cutoff:
            return
        yield issue


def _newest_first(issue: Issue) -> tuple[datetime, int]:
    return (issue.created_at or datetime.max.replace(tzinfo=UTC), issue.number)


def _read_listing(issues: Iterable[Issue], config: Config) -> tuple[Listing, list[str]]:
    """The trusted sprint issues of a newest-first listing, and a warning per duplicate."""
    listing, warnings = Listing(), []
    for issue in issues:
        if not config.trusted(issue.author):
            continue  # anyone can paste a marker; only the bot's issues count
        if is_closed_duplicate(issue):
            continue  # closed by the run that opened it, as the duplicate of an older one
        mark = read_marker(issue.body)
        if not mark:
            listing.unmarked.setdefault(issue.title, issue)
            continue
        if mark[0] != KIND:
            continue
        key = (mark[1].get("team", ""), mark[1].get("period", ""))
        if key in listing.by_key:
            warnings.append(
                f"two sprint issues for team {key[0]} starting {key[1]}: #{issue.number} and "
                f"#{listing.by_key[key].number}; using the older one, #{issue.number}"
            )
        listing.by_key[key] = issue  # the listing is newest first: the last seen is the oldest
        number = mark[1].get("number", "")
        if number.isdigit():
            listing.number_of[issue.number] = int(number)
    return listing, warnings


def _list_sprint_issues(
    gh: GitHub, config: Config, repo: str, due: dict[str, Sprint], cutoff: datetime, say: Say, warn: Say
) -> Listing:
    """Read the trusted sprint issues that matter for the due sprints, paging no further than needed.

    The issues with the kind label come first: one page, whoever opened them and however many
    issues the repository has (the list API cannot filter by more than one creator, so with
    trusted_authors a listing by creator would be everyone's issues). Only when a due sprint's issue
    is not among them (none is open yet, or an older gh-ops opened it without the label, or someone
    took the label off) are the recent issues of each trusted account read as well, so that no
    issue is ever opened twice."""
    kind = config.section(SprintSettings).kind_label
    creator = config.bot if not config.trusted_authors else None
    labelled = gh.list_issues(repo, state="all", creator=creator, labels=(kind,))
    listing, warnings = _read_listing(_until(labelled, cutoff), config)
    missing = [
        f"team {key}'s sprint {sprint.number}"
        for key, sprint in due.items()
        if (key, sprint.period) not in listing.by_key
    ]
    if missing:
        authors: dict[str, str] = {}  # GitHub compares logins in any case: one listing each
        for login in (config.bot, *config.trusted_authors):
            authors.setdefault(login.casefold(), login)
        say(
            f"no issue labelled {kind} for {', '.join(missing)}: looking through the recent issues "
            f"of {', '.join(authors.values())} as well (for an issue opened without the label)"
        )
        recent = [_until(gh.list_issues(repo, state="all", creator=a), cutoff) for a in authors.values()]
        listing, warnings = _read_listing(heapq.merge(*recent, key=_newest_first, reverse=True), config)
    for warning in warnings:
        warn(warning)
    return listing


@dataclass
class _Planned:
    outcome: TeamOutcome
    rendered: RenderedIssue | None = None
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    milestone: int | None = None
    # Found without the kind label (an older gh-ops opened them, or someone took it off): labelled
    # before anything else is written, so that the next run finds them in its one read.
    unlabelled: tuple[Issue, ...] = ()

    def label_step(self, issue: Issue, kind_label: str) -> str:
        return f"team {self.outcome.team.key}: label #{issue.number} {kind_label}"

    def open_step(self) -> str:
        assert self.outcome.sprint is not None
        return f"team {self.outcome.team.key}: open sprint {self.outcome.sprint.number} issue"

    def steps(self, kind_label: str) -> list[str]:
        """Its writes before any link, in order (for the failure report)."""
        labels = [self.label_step(issue, kind_label) for issue in self.unlabelled]
        return labels + ([self.open_step()] if self.rendered is not None else [])


def _plan(
    *,
    gh: GitHub,
    config: Config,
    renderer: Renderer,
    repo: str,
    now: datetime,
    teams: list[Team],
    due: dict[str, Sprint],
    say: Say,
    warn: Say,
) -> list[_Planned]:
    """Read what exists and render every missing issue before anything is written."""
    settings = config.section(SprintSettings)
    cutoff = _listing_cutoff(config, teams, due)
    listing = _list_sprint_issues(gh, config, repo, due, cutoff, say, warn)
    plans: list[_Planned] = []
    milestones: dict[str, int] | None = None
    for team in teams:
        sprint = due.get(team.key)
        if sprint is None or team.key not in settings.schedules:
            continue
        previous = listing.previous(team, settings.schedules[team.key], sprint)
        plan = _Planned(
            TeamOutcome(
                team, sprint, "exists", issue=listing.by_key.get((team.key, sprint.period)), previous=previous
            )
        )
        plans.append(plan)
        needed = [plan.outcome.issue] if plan.outcome.issue is not None else []
        if previous is not None and NEXT_LINK_MARKER not in previous.body:
            needed.append(previous)  # still to be linked: a re-run after a failure must find it
        plan.unlabelled = tuple(i for i in needed if not has_label(i.labels, settings.kind_label))
        if plan.outcome.issue is not None:
            continue
        previous_ctx = None
        if previous is not None:
            previous_ctx = previous_issue_context(
                previous,
                settings.goals_heading,
                listing.number_of.get(previous.number, sprint.number - 1),
            )
        context = build_context(team=team, sprint=sprint, repo=repo, now=now, previous_issue=previous_ctx)
        rendered = renderer.render_issue(settings.template, context)
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
        check_sizes(rendered, f"{sprint_marker(team, sprint)}\n{rendered.body}", settings.template)
        plan.labels, plan.assignees = issue_fields(rendered, team, settings.labels, settings.kind_label)
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


def open_sprint_issues(ctx: Context, repo: str, team_keys: tuple[str, ...]) -> list[TeamOutcome]:
    """Open every due and missing sprint issue; link (and close) the previous one. Safe to re-run."""
    from gh_ops.render import Renderer  # Jinja2: only for a run that may render

    config, now, say, warn = ctx.config, ctx.now, ctx.say, ctx.warn
    schedules = config.section(SprintSettings).schedules
    teams = sprint_teams(config, team_keys)
    outcomes: list[TeamOutcome] = []
    due: dict[str, Sprint] = {}
    for team in teams:
        sprint = due_sprint(schedules[team.key], dates.local_date(now, team.timezone))
        if sprint is None:
            first = sprint_by_number(schedules[team.key], 1)
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

    gh, renderer = ctx.github(), Renderer(config.templates_dir)
    plans = _plan(
        gh=gh, config=config, renderer=renderer, repo=repo, now=now, teams=teams, due=due, say=say, warn=warn
    )
    kind = config.section(SprintSettings).kind_label
    progress = Progress(pending=[step for plan in plans for step in plan.steps(kind)])
    # The links come after every issue is opened (and settled): until then, each is still to do.
    progress.pending += [_link_step(p.outcome) for p in plans if _needs_link(p.outcome)]
    if any(plan.rendered is not None for plan in plans):
        check_token_account(gh, config, "sprint issues")
    try:
        for plan in plans:
            outcome, team, sprint = plan.outcome, plan.outcome.team, plan.outcome.sprint
            assert sprint is not None
            for issue in plan.unlabelled:
                step = plan.label_step(issue, kind)
                say(
                    f"{team.key}: {'would label' if gh.dry_run else 'labelling'} #{issue.number} {kind} "
                    "(found without it), so that the next run finds it in one read"
                )
                gh.add_labels(repo, issue.number, (kind,), why=f"label sprint issue #{issue.number} {kind}")
                progress.pending.remove(step)
                if not gh.dry_run:
                    progress.done.append(step)
            if plan.rendered is not None:
                step = plan.open_step()
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
        opened = [plan.outcome for plan in plans if plan.outcome.action == "opened"]
        if opened and not gh.dry_run:
            _settle(gh, config, repo, opened, say)
        for plan in plans:
            outcome = plan.outcome
            if _needs_link(outcome):
                progress.pending.remove(_link_step(outcome))
                _link_previous(gh, config, repo, outcome, progress, say, warn)
            outcomes.append(outcome)
    except GitHubError as exc:
        exc.progress = progress
        raise
    except WriteBudgetReached as stop:
        # The steps not done: each is a write, and a link to a previous issue may follow each.
        stop.left = max(stop.left, len(progress.pending))
        # What it opened before the stop is settled now: no later run settles another run's issue.
        opened = [p.outcome for p in plans if p.outcome.action == "opened" and p.outcome.issue is not None]
        if opened and not gh.dry_run:
            _settle(gh, config, repo, opened, say)
        raise
    return outcomes


def _settle(gh: GitHub, config: Config, repo: str, opened: list[TeamOutcome], say: Say) -> None:
    """Converge with runs that opened the same sprints' issues at the same moment (gh_ops.converge):
    one read of the newest labelled issues, where every such issue is, for all the issues this run
    opened; the oldest of each sprint stands, before anything links to it."""
    kind = config.section(SprintSettings).kind_label
    creator = config.bot if not config.trusted_authors else None
    newest = list(itertools.islice(gh.list_issues(repo, state="all", creator=creator, labels=(kind,)), 100))
    for outcome in opened:
        mine, team, sprint = outcome.issue, outcome.team, outcome.sprint
        assert mine is not None and sprint is not None
        siblings = [
            issue
            for issue in newest
            if config.trusted(issue.author) and _key_of(issue) == (team.key, sprint.period)
        ]
        standing = settle_issue(gh, repo, mine, siblings, say=_prefixed(say, f"{team.key}: "))
        if standing.number != mine.number:
            outcome.issue, outcome.action = standing, "exists"
            outcome.notes.append(
                f"opened #{mine.number} at the same moment as another run; closed it as a duplicate of "
                f"#{standing.number}"
            )


def _prefixed(say: Say, prefix: str) -> Say:
    return lambda line: say(prefix + line)


def _needs_link(outcome: TeamOutcome) -> bool:
    return outcome.previous is not None and NEXT_LINK_MARKER not in outcome.previous.body


def _link_step(outcome: TeamOutcome) -> str:
    assert outcome.previous is not None
    return f"team {outcome.team.key}: link #{outcome.previous.number}"


def _key_of(issue: Issue) -> tuple[str, str] | None:
    """(team, period) of a sprint issue's marker; None for anything else."""
    mark = read_marker(issue.body)
    if not mark or mark[0] != KIND:
        return None
    return (mark[1].get("team", ""), mark[1].get("period", ""))


def _link_previous(
    gh: GitHub, config: Config, repo: str, outcome: TeamOutcome, progress: Progress, say: Say, warn: Say
) -> None:
    """Append a link to the successor to the previous issue (and close it) in one PATCH.

    A PATCH replaces the whole body, and GitHub has no conditional write: the body is read again
    right before it, so an edit made since the listing at the start of the run is kept (one read per
    link; the listing alone decides when there is nothing to write, at no cost)."""
    assert outcome.previous is not None and outcome.issue is not None and outcome.sprint is not None
    previous, team = outcome.previous, outcome.team
    link = link_section(outcome.issue, outcome.sprint)
    close_previous = config.section(SprintSettings).close_previous

    def plan(issue: Issue) -> tuple[str | None, str | None, bool]:
        """The body to write (None: leave it), the action, and whether the link did not fit."""
        body: str | None = None if NEXT_LINK_MARKER in issue.body else issue.body + link
        too_long = body is not None and len(body) > BODY_LIMIT
        if too_long:
            body = None
        close = close_previous and issue.state == "open"
        action = ("link and close" if close else "link") if body is not None else "close" if close else None
        return body, action, too_long

    def too_long_warning() -> None:
        # No room for the link in a body at GitHub's limit; the new issue still links back.
        warn(
            f"#{previous.number} is too long to take a link to its successor; linked from the new issue only"
        )

    _, action, too_long = plan(previous)
    if action is None:
        if too_long:
            too_long_warning()
        return
    step = f"team {team.key}: {action} #{previous.number}"
    progress.pending.insert(0, step)  # the step under way is the first not done
    current = gh.get_issue(repo, previous.number)
    body, action, too_long = plan(current)
    if too_long:
        too_long_warning()
    progress.pending.remove(step)
    if action is None:  # linked (or closed and shortened) by someone else meanwhile
        say(f"{team.key}: the previous sprint issue #{previous.number} is already linked")
        return
    step = f"team {team.key}: {action} #{previous.number}"
    progress.pending.insert(0, step)
    say(f"{team.key}: {'would ' if gh.dry_run else ''}{action} the previous sprint issue #{previous.number}")
    close = action != "link"
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
