"""Onboarding and offboarding checklists on GitHub: the request read anew, the people repository
chosen and checked private, the person's checklist found (at most two reads), opened or re-rendered in
place, then the request answered and closed. Safe to re-run: a redelivered event costs no write."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gh_ops import dates
from gh_ops.config import Config
from gh_ops.context import Context, Say
from gh_ops.converge import is_closed_duplicate, settle_comment, settle_issue
from gh_ops.errors import ConfigError, GitHubError, Progress, RateLimited, UsageError
from gh_ops.forms import parse_form
from gh_ops.markup import defuse_markup, find_marker, no_mentions, shortened
from gh_ops.models import BODY_LIMIT, TITLE_LIMIT, Comment, Issue, RenderedIssue
from gh_ops.people.queries import ORG_TEAMS_QUERY
from gh_ops.people.rules import (
    KEPT_HEADING,
    AnswersError,
    Person,
    Request,
    answers_fingerprint,
    build_context,
    check_date_near,
    is_person_label,
    is_request_checklist,
    is_twin_checklist,
    issue_fields,
    legacy_since,
    link_text,
    linked_checklist,
    merge_previous,
    person_from_answers,
    person_label,
    person_marker,
    pick_checklist,
    previous_person,
    privacy_verdict,
    relabelled,
    request_from_event,
    request_marker,
    settings,
)
from gh_ops.people.settings import PeopleSettings
from gh_ops.trust import check_opened_by_trusted, check_token_account

if TYPE_CHECKING:
    from gh_ops.github import GitHub
    from gh_ops.render import Renderer


def open_checklist(
    ctx: Context,
    kind: str,
    *,
    answers: Mapping[str, str | None] | None,
    event: tuple[str | None, dict[str, Any]] | None,
    flag_repo: str | None,
    current_repo: Callable[[], str | None],
    allow_public: bool,
    allow_far_dates: bool,
) -> PeopleOutcome | None:
    """`onboarding open` / `offboarding open`: the person from the options (`answers`) or from the
    request of an issues `event`; then their checklist opened or brought up to date. None when the
    event calls for nothing. `current_repo` is read only for options (a request names its own).
    A date more than a year from today is refused unless `allow_far_dates`."""
    from gh_ops.render import Renderer  # Jinja2: only for a run that renders

    config, say, warn = ctx.config, ctx.say, ctx.warn
    request = None
    current_private: bool | None = None
    current_owner_type: str | None = None

    def checked_person(answers: Mapping[str, str | None], source: str) -> Person:
        person = person_from_answers(config, kind, answers, source)
        if not allow_far_dates:  # the clock is read only for answers that are otherwise right
            check_date_near(person, dates.local_date(ctx.now, config.timezone), source=source)
        return person

    if answers is not None:
        person = checked_person(answers, "flags")
        repo_here = current_repo()
        gh = ctx.github()
    else:
        assert event is not None
        request = request_from_event(event[0], event[1], kind, config)
        if request is None:
            label = settings(config, kind).form_label
            say(f"nothing to do: not an opened or edited request labelled {label!r}")
            return None
        gh = ctx.github()
        request = refresh_request(gh, request)
        if request.state_reason == "not_planned":
            say(f"nothing to do: request {request.ref} was closed as not planned")
            return None
        if kind == "offboarding" and request.private is False:
            warn(f"the leaver request {request.ref} is in a public repository, where anyone can read it")
        try:
            person = checked_person(parse_form(request.body), "form")
        except AnswersError as exc:
            try:
                report_bad_answers(gh, config, kind, request, exc, say)
            except GitHubError as comment_failure:
                warn(f"could not comment on {request.ref}: {comment_failure.message}")
            raise
        repo_here, current_private, current_owner_type = request.repo, request.private, request.owner_type
    repo, private, owner_type = resolve_people_repo(
        gh,
        config,
        flag_repo=flag_repo,
        current_repo=repo_here,
        current_private=current_private,
        current_owner_type=current_owner_type,
    )
    open_issue = functools.partial(
        open_person_issue,
        kind=kind,
        gh=gh,
        config=config,
        renderer=Renderer(config.templates_dir),
        repo=repo,
        repo_private=private,
        owner_type=owner_type,
        allow_public=allow_public,
        now=ctx.now,
        say=say,
        warn=warn,
    )
    for _ in range(REREADS + 1):
        outcome = open_issue(person=person, request=request)
        if outcome.standing is not None:
            # This run's checklist was closed as the duplicate of one another run opened at the
            # same moment from other answers: bring that one up to date, as a run just after would.
            outcome = open_issue(person=person, request=request, found=outcome.standing)
        newer = _edited_meanwhile(gh, request, outcome)
        if newer is None:
            break
        try:
            person = checked_person(parse_form(newer.body), "form")
        except AnswersError:
            warn(
                f"request {newer.ref} was edited while this run was under way and its answers now need "
                "fixing: the run for that edit names them"
            )
            break
        say(
            f"request {newer.ref} was edited while this run was under way: bringing the checklist up to "
            "date with its answers as they are now"
        )
        request = newer
    return outcome


# How many times a run reads its request again after updating the checklist from it (each time
# only because the requester edited it meanwhile: see _edited_meanwhile).
REREADS = 3


def _edited_meanwhile(gh: GitHub, request: Request | None, outcome: PeopleOutcome) -> Request | None:
    """The request as it is now, when it was edited after this run read it and before this run's
    update of the checklist landed; None otherwise.

    The run for that edit may have finished first, and then this run's update, drawn from the older
    answers, would be the one that stays. GitHub has no conditional write, so after updating a
    checklist from a request (only then: a run that opened it converges through
    gh_ops.converge, and a checklist already up to date was not written), the request is read again
    (one read); if it changed, the run goes again with its answers as they are now. Whatever order
    the runs' writes land in, the last one is drawn from the request's latest answers."""
    if request is None or gh.dry_run or outcome.action != "updated":
        return None
    current = replace(refresh_request(gh, request), edited=True)
    return current if current.body != request.body else None


@dataclass
class PeopleOutcome:
    kind: str
    person: Person
    repo: str
    action: str  # opened | updated | exists
    issue: Issue | None = None
    notes: list[str] = field(default_factory=list)
    # Another run's checklist that stands over this run's (closed as its duplicate) and was drawn
    # from other answers: still to be brought up to date (open_checklist does it at once).
    standing: Issue | None = None

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


def resolve_people_repo(
    gh: GitHub | None,
    config: Config,
    *,
    flag_repo: str | None,
    current_repo: str | None,
    current_private: bool | None,
    current_owner_type: str | None = None,
) -> tuple[str, bool | None, str | None]:
    """Where the checklist goes: --repo, else people.repo, else the current repository if it is
    private. With whether it is private and the type of account that owns it, when known."""
    if flag_repo:
        return flag_repo, None, None
    people_repo = config.section(PeopleSettings).repo
    if people_repo:
        return people_repo, None, None
    if current_repo is None:
        raise UsageError("no people repository: set people.repo in the config, or pass --repo OWNER/NAME")
    private, owner_type = current_private, current_owner_type
    if private is None and gh is not None:
        data = gh.get_repository(current_repo)
        private, owner_type = bool(data.get("private")), _owner_type(data)
    if private is False:
        raise ConfigError(
            f"people.repo is not set and {current_repo} is public: joiner and leaver issues hold personal "
            "information, so set people.repo to a private repository (or pass --repo)",
            file=config.path,
        )
    return current_repo, private, owner_type


def _owner_type(repository: dict[str, Any]) -> str | None:
    """ "Organization" or "User": the account that owns a repository, as REST gives it."""
    owner = repository.get("owner")
    kind = owner.get("type") if isinstance(owner, dict) else None
    return kind if isinstance(kind, str) else None


def _org_teams(gh: GitHub, org: str, login: str, warn: Any) -> list[dict[str, str]] | None:
    """The person's teams in the organization; None when `org` turns out to be a personal account."""
    try:
        data = gh.graphql(ORG_TEAMS_QUERY, {"org": org, "login": login}, why=f"read {login}'s teams in {org}")
    except GitHubError as exc:
        if isinstance(exc, RateLimited) or exc.status is not None and exc.status >= 500:
            raise  # not a missing permission: the teams must be read, later
        if "resolve to an organization" in exc.message.lower():
            warn(f"{org} is a user account, not an organization: there are no GitHub teams to list")
            return None
        warn(
            f"could not read {login}'s GitHub teams in {org} ({exc.message}); the checklist lists none. "
            "Reading teams needs a token with read:org (members: read) on the organization."
        )
        return []
    teams = (data.get("organization") or {}).get("teams") or {}
    if (teams.get("pageInfo") or {}).get("hasNextPage"):
        warn(f"{login} is in more than 100 teams in {org}; the checklist lists the first 100")
    nodes = teams.get("nodes") or []
    return [
        {"name": no_mentions(defuse_markup(t["name"])), "slug": t["slug"], "url": t["url"]}
        for t in nodes
        if t
    ]


class RequestComments:
    """The request's comments, read at most once a run (and not at all when GitHub counts none), for
    the link to its checklist and for gh-ops' own comment on it."""

    def __init__(self, gh: GitHub, request: Request) -> None:
        self.gh, self.request = gh, request
        self._read: list[Comment] | None = [] if request.comments == 0 else None

    def all(self) -> list[Comment]:
        if self._read is None:
            self._read = self.gh.list_comments(self.request.repo, self.request.number)
        return self._read

    def changed(self) -> None:
        """gh-ops wrote a comment: a later look reads them again."""
        self._read = None


def find_person_issue(
    gh: GitHub,
    config: Config,
    repo: str,
    kind: str,
    person: Person,
    request: Request | None,
    comments: RequestComments | None = None,
) -> Issue | None:
    """The checklist this run is about, if it exists (see rules.pick_checklist for which one).

    At most two reads of the people repository, whatever its size:
    1. the person's checklists, by the label every checklist of theirs carries (one page);
    2. only when that is not the request's own checklist: the checklist gh-ops' comment on the
       request links to (a corrected username, or one made before checklists were labelled), read
       by its number; or, when nothing was found, checklists older gh-ops versions made without the
       label (`_unlabelled_checklists`), which stops at the first labelled one.
    """
    creator = config.bot if not config.trusted_authors else None
    ref = request.ref if request is not None else None
    labelled = _person_checklists(gh, repo, person, creator)
    found = pick_checklist(labelled, kind, person, ref, config.trusted)
    if request is not None and not _is_request_checklist(found, kind, request, config):
        comments = comments or RequestComments(gh, request)
        linked = _linked_checklist(gh, config, repo, kind, request, comments, labelled)
        if linked is not None:
            return linked
        if request.edited and _own_request_comment(config, comments, kind) is None:
            made = _unanswered_request_checklist(gh, config, repo, kind, request, creator)
            if made is not None:
                return made
    if found is not None:
        return found
    return pick_checklist(
        _unlabelled_checklists(gh, config, repo, kind, person, ref, creator),
        kind,
        person,
        ref,
        config.trusted,
    )


def _person_checklists(gh: GitHub, repo: str, person: Person, creator: str | None) -> list[Issue]:
    """Every issue carrying the person's label but those closed as the duplicate of an older one
    (gh_ops.converge): one read, a page in practice."""
    return [
        issue
        for issue in gh.list_issues(repo, state="all", creator=creator, labels=(person_label(person.login),))
        if not is_closed_duplicate(issue)
    ]


def _unanswered_request_checklist(
    gh: GitHub, config: Config, repo: str, kind: str, request: Request, creator: str | None
) -> Issue | None:
    """The checklist an earlier run opened for an edited request it did not get to answer (it
    stopped, or GitHub failed, between the two): the answers, the username among them, may have
    changed since, so neither the person's label nor a link finds it. It was made after the request
    was opened, so only issues changed since then are read (a page, in practice)."""
    if request.opened_at is None:
        return None
    for issue in gh.list_issues(
        repo, state="all", creator=creator, sort="created", direction="asc", since=request.opened_at
    ):
        if is_request_checklist(issue, kind, request.ref, config.trusted) and not is_closed_duplicate(issue):
            return issue
    return None


def _is_request_checklist(issue: Issue | None, kind: str, request: Request, config: Config) -> bool:
    return issue is not None and is_request_checklist(issue, kind, request.ref, config.trusted)


def _linked_checklist(
    gh: GitHub,
    config: Config,
    repo: str,
    kind: str,
    request: Request,
    comments: RequestComments,
    labelled: list[Issue],
) -> Issue | None:
    """The checklist gh-ops' comment on the request links to, when it is the request's own."""
    mine = _own_request_comment(config, comments, kind)
    number = linked_checklist(mine.body, kind, repo) if mine is not None else None
    if number is None or any(issue.number == number for issue in labelled):
        return None  # no link, or the listing already held it (and it is not the request's)
    try:
        issue = gh.get_issue(repo, number)
    except GitHubError as exc:
        if exc.status in (404, 410):  # deleted or transferred: as if never linked
            return None
        raise
    wanted = is_request_checklist(issue, kind, request.ref, config.trusted) and not is_closed_duplicate(issue)
    return issue if wanted else None


def _unlabelled_checklists(
    gh: GitHub,
    config: Config,
    repo: str,
    kind: str,
    person: Person,
    request_ref: str | None,
    creator: str | None,
) -> Iterator[Issue]:
    """Checklists gh-ops versions before the person label made, oldest first: among the issues
    updated since the earliest day such a checklist could still be for (rules.legacy_since), up to
    the first labelled one (every later checklist carries its label, so the labelled listing has
    it). Stops early once it has what no later issue could beat. Once every checklist in that
    window is labelled, this is one read that stops at its first issue."""
    best: Issue | None = None
    for issue in gh.list_issues(
        repo, state="all", creator=creator, sort="created", direction="asc", since=legacy_since(person)
    ):
        if any(is_person_label(label) for label in issue.labels):
            return
        yield issue
        best = pick_checklist(
            [issue] if best is None else [best, issue], kind, person, request_ref, config.trusted
        )
        if best is not None and (
            is_request_checklist(best, kind, request_ref, config.trusted)
            if request_ref is not None
            else best.state == "open"
        ):
            return  # the oldest of the kind that wins: nothing later can come first


def open_person_issue(
    *,
    kind: str,
    person: Person,
    gh: GitHub,
    config: Config,
    renderer: Renderer,
    repo: str,
    repo_private: bool | None,
    owner_type: str | None,
    allow_public: bool,
    now: datetime,
    request: Request | None,
    say: Say,
    warn: Say,
    found: Issue | None = None,
) -> PeopleOutcome:
    """Open (or bring up to date) the person's checklist; then answer and close the request. Re-runnable.

    `found`: the checklist another run opened at the same moment, which stands (the one this run
    opened was closed as its duplicate) but was drawn from other answers: it is brought up to date
    as a run started just after would, without looking for it again."""
    kind_settings = settings(config, kind)
    if found is None:
        if repo_private is None:
            repo_private, owner_type = _read_repo(gh, config, repo)
        warning = privacy_verdict(kind, repo, repo_private, allow_public)
        if warning:
            warn(warning)

    comments = RequestComments(gh, request) if request is not None else None
    existing = found or find_person_issue(gh, config, repo, kind, person, request, comments)
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
            # Unknown (a payload without it): an organization, unless its teams query says otherwise.
            owner_is_org = owner_type != "User"
            if kind == "offboarding" and owner_is_org:
                teams = _org_teams(gh, repo.split("/", 1)[0], person.login, warn)
                owner_is_org = teams is not None
            elif kind == "offboarding":
                say(f"{repo.split('/', 1)[0]} is a user account, not an organization: no teams to list")

            def render(who: Person) -> RenderedIssue:
                context = build_context(
                    kind=kind,
                    person=who,
                    config=config,
                    repo=repo,
                    now=now,
                    request=request,
                    github_teams=teams,
                    owner_is_org=owner_is_org,
                )
                return renderer.render_issue(kind_settings.template, context)

            rendered = render(person)
            body = f"{mark}\n{rendered.body}"
            if len(body) > BODY_LIMIT or len(rendered.title) > TITLE_LIMIT:
                raise UsageError(
                    f"the rendered {kind} issue is larger than GitHub allows (title {TITLE_LIMIT}, body "
                    f"{BODY_LIMIT} characters): shorten the template or the answers"
                )
            labels, assignees = issue_fields(rendered, person, kind_settings, config)
            if existing is None and request is not None:
                # The checklist and the request's answer (its link, and closing it) in the same run
                # or not at all: the answer is what finds the checklist once the answers change.
                gh.reserve_writes(
                    2 + (request.state == "open"),
                    why=f"open the {kind} checklist and answer request {request.ref}",
                )
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
                standing = _settle(gh, config, kind, repo, person, request, outcome, say)
                if standing is not None and _answers_of(standing) != answers_fingerprint(person):
                    outcome.standing = standing  # the caller updates it (found=) before answering
                    return outcome
            else:
                earlier = previous_person(person, existing_fields)
                labelled = any(is_person_label(label) for label in existing.labels)
                new_labels = relabelled(existing.labels, person) if labelled else existing.labels
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
                if (
                    request is not None
                    and request.state != "open"
                    and existing_fields.get("login") != person.login.lower()
                ):
                    # The answered request's link names the old username: put the new one in it
                    # first, so that if this run stops before the checklist is updated, a re-run
                    # (which sees the checklist still out of date) finishes both.
                    progress.pending.insert(
                        0, f"name {person.login} in the link on request #{request.number}"
                    )
                    assert comments is not None
                    _answer_request(gh, config, request, comments, outcome, say)
                    progress.pending.pop(0)
                    progress.done.append(f"updated the link on request #{request.number}")
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
                    # A corrected username: the person label follows it (a checklist made before
                    # checklists were labelled keeps its labels: see _unlabelled_checklists).
                    labels=new_labels if set(new_labels) != set(existing.labels) else None,
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
            assert comments is not None
            _answer_request(gh, config, request, comments, outcome, say)
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
    # Titles hold names and dates, and a run log may be public: they stay out of it, and so does the
    # person label (a hash of the login can be looked up).
    shown = [label for label in labels if not is_person_label(label)]
    say(
        f"{verb} the {kind} checklist in {repo} (labels: {', '.join(shown)} and the person's label; "
        f"assignees: {', '.join(assignees) or 'none'})"
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


def _settle(
    gh: GitHub,
    config: Config,
    kind: str,
    repo: str,
    person: Person,
    request: Request | None,
    outcome: PeopleOutcome,
    say: Say,
) -> Issue | None:
    """Converge with runs that opened the same checklist at the same moment (gh_ops.converge): one
    read of the person's checklists (their label, as the look), after this run's was opened; the
    oldest open one for the person (or the request) stands. Returns it when it is another run's
    (this run's was then closed as its duplicate, and the request is answered with the one that
    stands); None when this run's stands, or nothing was opened (a dry run)."""
    mine = outcome.issue
    if mine is None or mine.planned:
        return None
    creator = config.bot if not config.trusted_authors else None
    ref = request.ref if request is not None else None
    twins = [
        issue
        for issue in _person_checklists(gh, repo, person, creator)
        if is_twin_checklist(issue, kind, person, ref, config.trusted)
    ]
    standing = settle_issue(gh, repo, mine, twins, say=say)
    if standing.number == mine.number:
        return None
    outcome.issue, outcome.action = standing, "exists"
    outcome.notes.append(
        f"opened #{mine.number} at the same moment as another run; closed it as a duplicate of "
        f"#{standing.number}"
    )
    return standing


def _answers_of(issue: Issue) -> str | None:
    """The answers fingerprint a checklist was drawn from (its marker's)."""
    return (find_marker(issue.body) or ("", {}))[1].get("answers")


def _read_repo(gh: GitHub, config: Config, repo: str) -> tuple[bool, str | None]:
    """Whether the people repository is private, and the type of account that owns it."""
    try:
        data = gh.get_repository(repo)
        return bool(data.get("private")), _owner_type(data)
    except GitHubError as exc:
        if exc.status == 404:
            where = "people.repo" if config.section(PeopleSettings).repo == repo else "--repo"
            raise ConfigError(
                f"{where} {repo} does not exist, or the token cannot see it (a private repository needs a "
                "token with access to it)",
                file=config.path if where == "people.repo" else None,
                line=config.line_of("people.repo") if where == "people.repo" else None,
            ) from None
        raise


def _answer_request(
    gh: GitHub, config: Config, request: Request, comments: RequestComments, outcome: PeopleOutcome, say: Any
) -> None:
    """Close the request, then leave (or edit into) gh-ops' one comment linking the checklist.

    The comment comes last, so once it says this it records that the request was answered: the same
    event delivered again then costs no write.
    """
    issue = outcome.issue
    assert issue is not None
    where = f"{outcome.repo}#{issue.number}" if not issue.planned else f"a new issue in {outcome.repo}"
    text = link_text(outcome.kind, outcome.person.login, where)
    mine = _own_request_comment(config, comments, outcome.kind)
    if mine is not None and mine.body == text and request.state != "open":
        say(f"request {request.ref} was already answered")
        return
    # The link first: if closing then fails, a re-run finds the request still open and closes it;
    # closing first could leave a closed request that nobody answered.
    _write_request_comment(gh, config, request, comments, mine, text, outcome.kind, say)
    if request.state == "open":
        say(f"{'would close' if gh.dry_run else 'closing'} request {request.ref}")
        gh.update_issue(
            request.repo,
            request.number,
            why="close the answered request",
            state="closed",
            state_reason="completed",
        )


def _own_request_comment(config: Config, comments: RequestComments, kind: str) -> Comment | None:
    """gh-ops' comment for this kind on the request; a pasted marker in someone else's is not it."""
    for comment in comments.all():
        if comment.body.startswith(request_marker(kind)) and config.trusted(comment.author):
            return comment
    return None


def _write_request_comment(
    gh: GitHub,
    config: Config,
    request: Request,
    comments: RequestComments,
    mine: Comment | None,
    text: str,
    kind: str,
    say: Say,
) -> None:
    """Post gh-ops' one comment for this kind on the request, or edit it into `text`.

    A new comment converges with runs that posted theirs at the same moment (gh_ops.converge): one
    read of the request's comments after posting; the oldest stands, with the newest text."""
    comments.changed()
    if mine is None:
        posted = gh.create_comment(
            request.repo, request.number, text, why=f"answer request #{request.number}"
        )
        if posted is not None:  # None: a dry run, nothing posted
            twins = [
                c
                for c in comments.all()
                if c.body.startswith(request_marker(kind)) and config.trusted(c.author)
            ]
            settle_comment(gh, request.repo, request.number, posted, twins, say=say, text=_answer_that_stands)
            comments.changed()
    elif mine.body != text:
        gh.update_comment(request.repo, mine.id, text, why=f"update the answer on #{request.number}")


def _links_checklist(body: str) -> bool:
    return "checklist for" in body


def _answer_that_stands(oldest: Comment, mine: Comment) -> str:
    """Two runs answered a request at once: a link to the checklist outranks a request for fixes
    (made from an older reading of the answers, since a checklist was opened from newer ones), as
    report_bad_answers never replaces a link; otherwise the newer reading's text."""
    if _links_checklist(oldest.body) and not _links_checklist(mine.body):
        return oldest.body
    return mine.body


def report_bad_answers(
    gh: GitHub, config: Config, kind: str, request: Request, error: AnswersError, say: Say
) -> None:
    """Tell the requester exactly which answers to fix, in the one comment gh-ops keeps on the request.

    Once the request was answered (its comment links the checklist), a later bad edit does not replace
    the link: the run fails with the problems in its log instead.
    """
    comments = RequestComments(gh, request)
    mine = _own_request_comment(config, comments, kind)
    if request.state != "open" or (mine is not None and _links_checklist(mine.body)):
        return
    text = bad_answers_comment(kind, error)
    if mine is None:  # a new comment: make sure the next run will recognise it as gh-ops' own
        check_token_account(gh, config, f"comment on {request.ref}")
    _write_request_comment(gh, config, request, comments, mine, text, kind, say)


PROBLEM_LINE_LIMIT = 2_000  # characters of one problem in the comment (answers are quoted shorter)


def bad_answers_comment(kind: str, error: AnswersError) -> str:
    """The comment naming each answer to fix; within GitHub's body limit whatever the answers were."""
    head = (
        f"{request_marker(kind)}\nI could not open the {kind} checklist yet. "
        "Please edit this issue and fix:\n\n"
    )
    tail = "\n\nI will try again as soon as the issue is edited."
    lines: list[str] = []
    room = BODY_LIMIT - len(head) - len(tail) - 100  # 100: the "and N more" line
    for number, problem in enumerate(error.problems):
        line = (
            f"- {problem.key}: {no_mentions(defuse_markup(shortened(problem.message, PROBLEM_LINE_LIMIT)))}"
        )
        if len(line) + 1 > room:
            lines.append(f"- … and {len(error.problems) - number} more (see the run's log)")
            break
        lines.append(line)
        room -= len(line) + 1
    return head + "\n".join(lines) + tail


def refresh_request(gh: GitHub, request: Request) -> Request:
    """The request as it is now: a re-run of an old workflow run must not bring back old answers."""
    try:
        current = gh.get_issue(request.repo, request.number)
    except GitHubError as exc:
        if exc.status in (404, 410):
            raise UsageError(
                f"request {request.ref} does not exist any more (deleted or transferred?), or the token "
                "cannot see it"
            ) from None
        raise
    return replace(
        request,
        state=current.state,
        state_reason=current.state_reason,
        body=current.body,
        comments=current.comments,
    )
