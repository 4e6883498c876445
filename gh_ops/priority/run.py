"""Bug priorities on GitHub: `priority labels` keeps the label set in step, `priority apply` gives one
issue its one priority label (and its notes, and protects security details), `priority triage` asks
once for a priority on untriaged bugs. Each reads what it needs through the boundary (triage and an
organization's labels 100 issues or repositories a request) and writes only what changed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gh_ops.config import Config
from gh_ops.context import Context
from gh_ops.converge import settle_comment
from gh_ops.dates import duration_text, parse_time
from gh_ops.errors import GitHubError, Progress, UsageError, WriteBudgetReached
from gh_ops.gql import login, owner_name
from gh_ops.markup import read_marker
from gh_ops.models import Comment, Issue, Label
from gh_ops.priority.queries import (
    MORE_LABELS_QUERY,
    NOTES_PER_READ,
    NOTES_QUERY,
    ORG_LABELS_QUERY,
    TRANSFER_ISSUE_MUTATION,
    TRIAGE_ISSUES_QUERY,
    TRIAGE_MORE_COMMENTS_QUERY,
)
from gh_ops.priority.rules import (
    NOTE_KIND,
    NOTE_SECURITY,
    NOTE_TRIAGE,
    Decision,
    History,
    LabelChange,
    OrgRepository,
    Target,
    TriageReport,
    decide,
    find_cvss_vector,
    has_label,
    has_note,
    is_bug,
    is_gh_ops,
    label_changes,
    note_marker,
    priority_from_form,
    priority_from_rules,
    priority_labels_of,
    read_history,
    security_note,
    triage_note,
)
from gh_ops.priority.settings import PRIORITY_LABELS, SECURITY_LABEL, PrioritySettings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from gh_ops.github import GitHub


@dataclass
class ApplyOutcome:
    repo: str
    number: int | None
    action: str  # labelled, unchanged, skipped
    reason: str
    priority: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    comments: list[str] = field(default_factory=list)  # note kinds written
    transferred_to: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "issue": self.number,
            "action": self.action,
            "priority": self.priority,
            "reason": self.reason,
            "added": list(self.added),
            "removed": list(self.removed),
            "comments": self.comments,
            "transferred_to": self.transferred_to,
        }


def apply_priority(ctx: Context, target: Target) -> ApplyOutcome:
    """Give one issue its one priority label, leave the notes it needs, and protect security details."""
    config, say = ctx.config, ctx.say
    cfg = config.section(PrioritySettings)
    issue, repo = target.issue, target.repo
    ref = f"{repo}#{issue.number}"

    def nothing_to_do(reason: str) -> ApplyOutcome:
        say(f"{ref}: nothing to do: {reason}")
        return ApplyOutcome(repo, issue.number, "skipped", reason)

    if issue.state != "open":
        return nothing_to_do("the issue is closed")
    bug = is_bug(issue.title, issue.body, issue.labels, cfg)
    vector = find_cvss_vector(issue.body)
    security = has_label(issue.labels, SECURITY_LABEL)
    if not (bug or security or vector):
        return nothing_to_do("not a bug, not a security issue, no CVSS vector")
    if not (
        priority_labels_of(issue.labels)
        or vector
        or security
        or priority_from_form(issue.body, cfg)
        or priority_from_rules(issue.title, issue.body, cfg)
    ):
        # Costs no request: triage asks for a priority later.
        return nothing_to_do("no priority label, and nothing in the issue gives one")

    gh = ctx.github()
    timeline = list(gh.list_timeline(repo, issue.number))
    if target.updated_at is not None and any(e.at and e.at > target.updated_at for e in timeline):
        # A re-run of an older event: its copy of the title and body may be out of date.
        issue = gh.get_issue(repo, issue.number)
        bug = is_bug(issue.title, issue.body, issue.labels, cfg)
        target = dataclasses.replace(target, issue=issue)
    history = read_history(timeline, issue.labels, config.trusted)
    decision = _decide(config, issue, history, bug)
    outcome = ApplyOutcome(repo, issue.number, "unchanged", decision.reason, decision.keep)
    say(f"{ref}: {decision.reason}")
    progress = Progress()  # _write_labels lists its writes as pending, then done
    created: dict[str, Comment] = {}  # the notes this run posted, by kind: settled once all are posted
    settled: list[bool] = []  # whether they were (before a stop at the write budget, or after)
    try:
        expected = {*history.labels, *decision.add} - set(decision.remove)
        answer = _write_labels(gh, repo, issue.number, decision.add, decision.remove, progress)
        if answer is not _NOTHING_WRITTEN and _managed(answer) != _managed(expected):
            # Another run (or a person) changed the labels since this run read them: decide again on
            # the issue as it is now, so the labels end as a single run would leave them.
            _converge_labels(ctx, target, say=say)
        outcome.added, outcome.removed = decision.add, decision.remove
        if decision.add or decision.remove:
            outcome.action = "labelled"
        for kind, text in decision.notes.items():
            if _write_note(
                gh, config, repo, issue.number, history.notes.get(kind), kind, text, created, start=True
            ):
                outcome.comments.append(kind)
        for kind, text in decision.note_updates.items():
            if _write_note(
                gh, config, repo, issue.number, history.notes.get(kind), kind, text, created, start=False
            ):
                outcome.comments.append(kind)

        def settle() -> None:
            settled.append(True)
            _settle_notes(gh, config, repo, [(issue, created)], say=say)

        if has_label(expected, SECURITY_LABEL):
            _protect_security_details(gh, config, target, history, outcome, created, settle, say=say)
        else:
            settle()
    except GitHubError as exc:
        exc.progress = progress
        raise
    except WriteBudgetReached:
        # The notes posted before the stop are settled now: no later run settles another's.
        if created and not settled:
            _settle_notes(gh, config, repo, [(issue, created)], say=say)
        raise
    return outcome


# What _write_labels answers when it wrote nothing (None: a dry run, or GitHub's answer unknown).
_NOTHING_WRITTEN: tuple[str, ...] = ("(nothing written)",)
CONVERGE_ROUNDS = 3  # decisions again on the issue as it is now, before leaving it to the next event


def _write_labels(
    gh: GitHub,
    repo: str,
    number: int,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    progress: Progress,
) -> tuple[str, ...] | None:
    """Remove, then add (the issue never shows two priority labels, even if a write fails); the labels
    GitHub says the issue has after the last write (None: unknown, _NOTHING_WRITTEN: no write)."""
    answer: tuple[str, ...] | None = _NOTHING_WRITTEN
    for label in remove:
        progress.pending.append(f"remove {label}")
    if add:
        progress.pending.append(f"add {', '.join(add)}")
    for label in remove:
        answer = gh.remove_label(repo, number, label, why=f"remove {label} from #{number}")
        progress.pending.remove(f"remove {label}")
        progress.done.append(f"removed {label}")
    if add:
        answer = gh.add_labels(repo, number, add, why=f"label #{number}")
        progress.pending.remove(f"add {', '.join(add)}")
        progress.done.append(f"added {', '.join(add)}")
    if gh.dry_run:
        return _NOTHING_WRITTEN
    return answer


def _managed(labels: Iterable[str] | None) -> tuple[tuple[str, ...], bool] | None:
    """What apply decides of a label set: its priority labels and whether it has `security`."""
    if labels is None:
        return None
    labels = list(labels)
    return tuple(priority_labels_of(labels)), has_label(labels, SECURITY_LABEL)


def _converge_labels(ctx: Context, target: Target, *, say: Callable[[str], None]) -> None:
    """Runs that overlap each decide on what they read; a run whose writes' answer shows labels it did
    not expect reads the issue and its history again (two reads, only then) and decides on the issue
    as it is now. Whichever run writes last either read everything written before it, or sees in its
    answer that it did not, so the labels end as one run on the issue as it is now leaves them."""
    config, gh = ctx.config, ctx.github()
    cfg = config.section(PrioritySettings)
    repo, number = target.repo, target.issue.number
    for _round in range(CONVERGE_ROUNDS):
        issue = gh.get_issue(repo, number)
        history = read_history(gh.list_timeline(repo, number), issue.labels, config.trusted)
        decision = _decide(config, issue, history, is_bug(issue.title, issue.body, issue.labels, cfg))
        if not (decision.add or decision.remove) or issue.state != "open":
            return
        say(f"{repo}#{number}: another run changed the labels meanwhile; now: {decision.reason}")
        expected = {*history.labels, *decision.add} - set(decision.remove)
        with gh.repairing():
            answer = _write_labels(gh, repo, number, decision.add, decision.remove, Progress())
        if _managed(answer) == _managed(expected):
            return
    ctx.warn(f"{repo}#{number}: the labels kept changing while gh-ops wrote them; the next event decides")


def _decide(config: Config, issue: Issue, history: History, bug: bool) -> Decision:
    """The rules' decision on the issue as read, with its label history."""
    return decide(
        title=issue.title,
        body=issue.body,
        labels=history.labels,
        added_by=history.added_by,
        # Only labels gh-ops' own account added are its own: a trusted author is still a person.
        trusted=lambda login: is_gh_ops(config, login),
        cfg=config.section(PrioritySettings),
        bug=bug,
        removed_by=history.removed_by,
    )


def _settle_notes(
    gh: GitHub,
    config: Config,
    repo: str,
    posted: list[tuple[Issue, dict[str, Comment]]],
    *,
    say: Callable[[str], None],
) -> None:
    """Converge with runs that posted the same note at the same moment (gh_ops.converge): one read of
    the newest comments of up to 100 issues this run commented on, after posting; on each, the
    oldest note of a kind stands and this run's newer one is merged into it and deleted."""
    posted = [(issue, mine) for issue, mine in posted if mine and not gh.dry_run]
    for start in range(0, len(posted), NOTES_PER_READ):
        chunk = posted[start : start + NOTES_PER_READ]
        data = gh.graphql(
            NOTES_QUERY,
            {"ids": [issue.node_id for issue, _ in chunk]},
            why=f"read the newest comments of {len(chunk)} issue(s) after commenting",
        )
        for (issue, mine), node in zip(chunk, data.get("nodes") or [], strict=False):
            comments = [
                Comment.from_graphql(n) for n in ((node or {}).get("comments") or {}).get("nodes") or [] if n
            ]
            for kind, comment in mine.items():
                siblings = [c for c in comments if config.trusted(c.author) and _note_kind(c) == kind]
                settle_comment(
                    gh, repo, issue.number, comment, siblings, say=_prefixed(say, f"{repo}#{issue.number}: ")
                )


def _note_kind(comment: Comment) -> str | None:
    mark = read_marker(comment.body)
    return mark[1].get("note") if mark and mark[0] == NOTE_KIND else None


def _prefixed(say: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    return lambda line: say(prefix + line)


def _check_trusted(config: Config, comment: Comment | None) -> None:
    """gh-ops finds its notes by marker in comments of trusted accounts only: a note written by another
    account (a personal token) would be written again on every run. Stop after the first one."""
    if comment is not None and not config.trusted(comment.author):
        raise config.untrusted_account_error(comment.author or "?", "priority comments")


def _write_note(
    gh: GitHub,
    config: Config,
    repo: str,
    number: int,
    mine: Comment | None,
    kind: str,
    text: str,
    created: dict[str, Comment],
    *,
    start: bool,
) -> bool:
    """One comment per kind, edited in place when its text changes; `start=False` only edits. A note
    posted goes into `created`, to be settled with overlapping runs' once all are posted."""
    body = f"{note_marker(kind)}\n{text}"
    if mine is None:
        if not start:
            return False
        _posted(
            config,
            created,
            kind,
            gh.create_comment(repo, number, body, why=f"explain the priority of #{number}"),
        )
        return True
    if mine.body == body:
        return False
    gh.update_comment(repo, mine.id, body, why=f"update the priority note on #{number}")
    return True


def _posted(config: Config, created: dict[str, Comment], kind: str, comment: Comment | None) -> None:
    _check_trusted(config, comment)
    if comment is not None:
        created[kind] = comment


def _protect_security_details(
    gh: GitHub,
    config: Config,
    target: Target,
    history: History,
    outcome: ApplyOutcome,
    created: dict[str, Comment],
    settle: Callable[[], None],
    *,
    say: Callable[[str], None],
) -> None:
    """Ask for security details elsewhere; then settle the notes posted (before the issue moves)."""
    cfg = config.section(PrioritySettings)
    private = target.private
    if private is None:
        private = bool(gh.get_repository(target.repo).get("private"))
    if private:
        settle()
        return
    number = target.issue.number
    transfer_to = cfg.private_repo if cfg.private_repo and cfg.private_repo != target.repo else None
    if NOTE_SECURITY not in history.notes:
        place = cfg.private_place or f"{gh.web_url}/{target.repo}/security/advisories/new"
        text = f"{note_marker(NOTE_SECURITY)}\n{security_note(place, transfer_to)}"
        why = f"ask to keep security details out of #{number}"
        _posted(config, created, NOTE_SECURITY, gh.create_comment(target.repo, number, text, why=why))
        outcome.comments.append(NOTE_SECURITY)
    settle()
    if transfer_to is None:
        return
    if not target.issue.node_id:
        raise UsageError(f"cannot transfer {target.repo}#{number}: the issue's node_id is unknown")
    destination = gh.get_repository(transfer_to)
    if not destination.get("private"):
        raise UsageError(
            f"priority.private_repo {transfer_to} is public: security issues are only moved to a private "
            "repository",
            file=config.path,
            line=config.line_of("priority.private_repo"),
        )
    say(f"{'would move' if gh.dry_run else 'moving'} {target.repo}#{number} to {transfer_to}")
    gh.graphql(
        TRANSFER_ISSUE_MUTATION,
        {"issueId": target.issue.node_id, "repositoryId": destination["node_id"]},
        why=f"move security issue #{number} to {transfer_to}",
    )
    outcome.transferred_to = transfer_to


def triage(ctx: Context, repo: str) -> TriageReport:
    """Count open bugs per priority; ask once for a priority on each untriaged bug older than the limit.

    One GraphQL read per 100 open issues tells everything, gh-ops' earlier note included; only a bug
    asked when it already had over 100 comments costs more (see `_asked_before`)."""
    config, now, say, gh = ctx.config, ctx.now, ctx.say, ctx.github()
    cfg = config.section(PrioritySettings)
    counts: dict[str, int] = {label: 0 for label in PRIORITY_LABELS}
    counts["none"] = 0
    untriaged: list[tuple[Issue, str]] = []
    cutoff = now - cfg.untriaged_after
    text = f"{note_marker(NOTE_TRIAGE)}\n{triage_note(config)}"
    progress = Progress()
    asked: list[tuple[Issue, dict[str, Comment]]] = []
    try:
        for issue, comments in _open_issues(gh, repo):
            if not is_bug(issue.title, issue.body, issue.labels, cfg):
                continue
            present = priority_labels_of(issue.labels)
            counts[present[0] if present else "none"] += 1
            if present:
                continue
            if issue.created_at is None or issue.created_at > cutoff:
                untriaged.append((issue, "newer than " + duration_text(cfg.untriaged_after)))
                continue
            if _asked_before(gh, config, issue, comments):
                untriaged.append((issue, "asked before"))
                continue
            say(f"{repo}#{issue.number}: {'would ask' if gh.dry_run else 'asking'} for a priority")
            why = f"ask for a priority on #{issue.number}"
            created: dict[str, Comment] = {}
            _posted(config, created, NOTE_TRIAGE, gh.create_comment(repo, issue.number, text, why=why))
            asked.append((issue, created))
            progress.done.append(f"asked on #{issue.number}")
            untriaged.append((issue, "would ask now" if gh.dry_run else "asked now"))
        # Another triage run may have asked on the same bugs at the same moment: one read per 100.
        _settle_notes(gh, config, repo, asked, say=say)
    except GitHubError as exc:
        exc.progress = progress
        progress.pending.append("the rest of the open bugs")
        raise
    except WriteBudgetReached:
        # The questions asked before the stop are settled now: no later run settles another's.
        _settle_notes(gh, config, repo, asked, say=say)
        raise
    return TriageReport(repo, {k: v for k, v in counts.items() if v or k in PRIORITY_LABELS[:4]}, untriaged)


@dataclass(frozen=True)
class _FirstComments:
    """An issue's first 100 comments as the listing gave them, and where the rest start (if any)."""

    comments: tuple[Comment, ...]
    more_after: str | None


def _open_issues(gh: GitHub, repo: str) -> Iterator[tuple[Issue, _FirstComments]]:
    """The open issues, oldest first, with their labels and first comments: one read per 100."""
    after: str | None = None
    while True:
        data = gh.graphql_existing(
            TRIAGE_ISSUES_QUERY,
            {**owner_name(repo), "after": after},
            why=f"list the open issues of {repo}",
            needs=("repository",),
            missing=f"{repo} does not exist or the token cannot see it",
        )
        page = data["repository"]["issues"]
        for node in page.get("nodes") or []:
            found = node.get("comments") or {}
            yield (
                Issue(
                    number=node["number"],
                    title=node.get("title") or "",
                    body=node.get("body") or "",
                    state="open",
                    labels=tuple(label["name"] for label in (node.get("labels") or {}).get("nodes") or []),
                    assignees=(),
                    author=None,
                    url=node.get("url") or "",
                    created_at=parse_time(node.get("createdAt")),
                    node_id=node.get("id") or "",
                    comments=found.get("totalCount") or 0,
                ),
                _FirstComments(_comments_of(found), _next_cursor(found)),
            )
        after = _next_cursor(page)
        if after is None:
            return


def _comments_of(connection: dict[str, Any]) -> tuple[Comment, ...]:
    return tuple(
        Comment(body=node.get("body") or "", author=login(node.get("author")))
        for node in connection.get("nodes") or []
    )


def _next_cursor(connection: dict[str, Any]) -> str | None:
    info = connection.get("pageInfo") or {}
    return info.get("endCursor") if info.get("hasNextPage") else None


def _asked_before(gh: GitHub, config: Config, issue: Issue, first: _FirstComments) -> bool:
    """Whether gh-ops' triage note is on the issue. The listing holds the first 100 comments, where
    the note stays once it is there; an issue that had over 100 comments when gh-ops asked has it
    further on, so its later comments are read (one read per 100, stopping at the note)."""
    if has_note(first.comments, NOTE_TRIAGE, config.trusted):
        return True
    after = first.more_after
    while after is not None:
        data = gh.graphql(
            TRIAGE_MORE_COMMENTS_QUERY,
            {"id": issue.node_id, "after": after},
            why=f"read the comments of #{issue.number} after the first 100",
        )
        page = (data.get("node") or {}).get("comments") or {}
        if has_note(_comments_of(page), NOTE_TRIAGE, config.trusted):
            return True
        after = _next_cursor(page)
    return False


def org_repositories_with_labels(ctx: Context, org: str) -> list[OrgRepository]:
    """The organization's repositories that are not archived (archived ones are read-only), each
    with its first 100 labels: one GraphQL read per 100 repositories, instead of one per repository."""
    gh = ctx.github()
    found: list[OrgRepository] = []
    archived, after = 0, None
    while True:
        data = gh.graphql_existing(
            ORG_LABELS_QUERY,
            {"org": org, "after": after},
            why=f"list the repositories of {org} and their labels",
            needs=("organization",),
            missing=f"--org {org}: no such organization, or the token cannot see it",
        )
        page = data["organization"]["repositories"]
        for node in page.get("nodes") or []:
            if node.get("isArchived"):
                archived += 1
                continue
            labels = node.get("labels") or {}
            found.append(
                OrgRepository(
                    node["nameWithOwner"],
                    tuple(Label.from_json(label) for label in labels.get("nodes") or []),
                    _next_cursor(labels),
                )
            )
        after = _next_cursor(page)
        if after is None:
            break
    ctx.say(f"{org}: {len(found)} repositories" + (f" ({archived} archived, skipped)" if archived else ""))
    return found


def _labels_of(gh: GitHub, known: OrgRepository) -> list[Label]:
    """A listed repository's labels: those the listing gave, and the rest (one read per 100 more)."""
    labels = list(known.labels)
    after = known.more_labels_after
    while after is not None:
        data = gh.graphql(
            MORE_LABELS_QUERY,
            {**owner_name(known.repo), "after": after},
            why=f"list the labels of {known.repo} after the first 100",
        )
        page = (data.get("repository") or {}).get("labels") or {}
        labels += [Label.from_json(label) for label in page.get("nodes") or []]
        after = _next_cursor(page)
    return labels


def sync_labels(ctx: Context, repo: str, known: OrgRepository | None = None) -> list[LabelChange]:
    """Create and update the managed labels in one repository; print the diff as it goes. `known`:
    the labels an organization's listing already gave (else they are read here)."""
    gh, say = ctx.github(), ctx.say
    managed = ctx.config.section(PrioritySettings).labels
    done: list[str] = []
    remaining: list[LabelChange] = []
    try:
        existing = gh.list_labels(repo) if known is None else _labels_of(gh, known)
        changes = label_changes(repo, managed, existing)
        remaining = [c for c in changes if c.action != "same"]
        say(f"{repo}: " + (f"{len(remaining)} label change(s)" if remaining else "labels up to date"))
        for change in list(remaining):
            say("  " + change.line())
            label = Label(change.label.name, change.label.color, change.label.description)
            if change.action == "create":
                gh.create_label(
                    repo,
                    label.name,
                    color=label.color,
                    description=label.description,
                    why=f"create label {label.name} in {repo}",
                )
            else:
                assert change.current is not None
                gh.update_label(repo, change.current.name, label, why=f"update label {label.name} in {repo}")
            done.append(f"{change.action}d {label.name}")
            remaining.remove(change)
    except GitHubError as exc:
        pending = [f"{c.action} {c.label.name}" for c in remaining] or [f"the labels of {repo}"]
        exc.progress = Progress(done=done, pending=pending)
        raise
    except WriteBudgetReached as stop:
        stop.left, stop.exact = len(remaining), True  # this repository's; more for those not reached
        raise
    return changes
