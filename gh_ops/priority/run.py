"""Bug priorities on GitHub: `priority labels` keeps the label set in step, `priority apply` gives one
issue its one priority label (and its notes, and protects security details), `priority triage` asks
once for a priority on untriaged bugs. Each reads what it needs through the boundary and writes only
what changed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gh_ops.config import Config
from gh_ops.context import Context
from gh_ops.errors import GitHubError, Progress, UsageError, WriteBudgetReached
from gh_ops.markup import read_marker
from gh_ops.models import Comment, Issue, Label
from gh_ops.priority.queries import TRANSFER_ISSUE_MUTATION
from gh_ops.priority.rules import (
    NOTE_KIND,
    NOTE_SECURITY,
    NOTE_TRIAGE,
    History,
    LabelChange,
    Target,
    TriageReport,
    decide,
    duration_text,
    find_cvss_vector,
    has_label,
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
    from collections.abc import Callable

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
    decision = decide(
        title=issue.title,
        body=issue.body,
        labels=history.labels,
        added_by=history.added_by,
        # Only labels gh-ops' own account added are its own: a trusted author is still a person.
        trusted=lambda login: is_gh_ops(config, login),
        cfg=cfg,
        bug=bug,
        removed_by=history.removed_by,
    )
    outcome = ApplyOutcome(repo, issue.number, "unchanged", decision.reason, decision.keep)
    say(f"{ref}: {decision.reason}")
    progress = Progress(pending=[f"remove {label}" for label in decision.remove])
    if decision.add:
        progress.pending.append(f"add {', '.join(decision.add)}")
    try:
        # Remove before adding: the issue never shows two priority labels, even if a write fails.
        for label in decision.remove:
            gh.remove_label(repo, issue.number, label, why=f"remove {label} from #{issue.number}")
            progress.pending.remove(f"remove {label}")
            progress.done.append(f"removed {label}")
        if decision.add:
            gh.add_labels(repo, issue.number, decision.add, why=f"label #{issue.number}")
            progress.pending.pop()
            progress.done.append(f"added {', '.join(decision.add)}")
        outcome.added, outcome.removed = decision.add, decision.remove
        if decision.add or decision.remove:
            outcome.action = "labelled"
        for kind, text in decision.notes.items():
            if _write_note(gh, config, repo, issue.number, history.notes.get(kind), kind, text, start=True):
                outcome.comments.append(kind)
        for kind, text in decision.note_updates.items():
            if _write_note(gh, config, repo, issue.number, history.notes.get(kind), kind, text, start=False):
                outcome.comments.append(kind)
        labels_now = {*history.labels, *decision.add} - set(decision.remove)
        if has_label(labels_now, SECURITY_LABEL):
            _protect_security_details(gh, config, target, history, outcome, say=say)
    except GitHubError as exc:
        exc.progress = progress
        raise
    return outcome


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
    *,
    start: bool,
) -> bool:
    """One comment per kind, edited in place when its text changes; `start=False` only edits."""
    body = f"{note_marker(kind)}\n{text}"
    if mine is None:
        if not start:
            return False
        _check_trusted(
            config, gh.create_comment(repo, number, body, why=f"explain the priority of #{number}")
        )
        return True
    if mine.body == body:
        return False
    gh.update_comment(repo, mine.id, body, why=f"update the priority note on #{number}")
    return True


def _protect_security_details(
    gh: GitHub,
    config: Config,
    target: Target,
    history: History,
    outcome: ApplyOutcome,
    *,
    say: Callable[[str], None],
) -> None:
    cfg = config.section(PrioritySettings)
    private = target.private
    if private is None:
        private = bool(gh.get_repository(target.repo).get("private"))
    if private:
        return
    number = target.issue.number
    transfer_to = cfg.private_repo if cfg.private_repo and cfg.private_repo != target.repo else None
    if NOTE_SECURITY not in history.notes:
        place = cfg.private_place or f"{gh.web_url}/{target.repo}/security/advisories/new"
        text = f"{note_marker(NOTE_SECURITY)}\n{security_note(place, transfer_to)}"
        why = f"ask to keep security details out of #{number}"
        _check_trusted(config, gh.create_comment(target.repo, number, text, why=why))
        outcome.comments.append(NOTE_SECURITY)
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
    """Count open bugs per priority; ask once for a priority on each untriaged bug older than the limit."""
    config, now, say, gh = ctx.config, ctx.now, ctx.say, ctx.github()
    cfg = config.section(PrioritySettings)
    counts: dict[str, int] = {label: 0 for label in PRIORITY_LABELS}
    counts["none"] = 0
    untriaged: list[tuple[Issue, str]] = []
    cutoff = now - cfg.untriaged_after
    text = f"{note_marker(NOTE_TRIAGE)}\n{triage_note(config)}"
    progress = Progress()
    try:
        for issue in gh.list_issues(repo, state="open", sort="created", direction="asc"):
            if not is_bug(issue.title, issue.body, issue.labels, cfg):
                continue
            present = priority_labels_of(issue.labels)
            counts[present[0] if present else "none"] += 1
            if present:
                continue
            if issue.created_at is None or issue.created_at > cutoff:
                untriaged.append((issue, "newer than " + duration_text(cfg.untriaged_after)))
                continue
            if issue.comments and _has_own_note(gh, config, repo, issue.number, NOTE_TRIAGE):
                untriaged.append((issue, "asked before"))
                continue
            say(f"{repo}#{issue.number}: {'would ask' if gh.dry_run else 'asking'} for a priority")
            why = f"ask for a priority on #{issue.number}"
            _check_trusted(config, gh.create_comment(repo, issue.number, text, why=why))
            progress.done.append(f"asked on #{issue.number}")
            untriaged.append((issue, "would ask now" if gh.dry_run else "asked now"))
    except GitHubError as exc:
        exc.progress = progress
        progress.pending.append("the rest of the open bugs")
        raise
    return TriageReport(repo, {k: v for k, v in counts.items() if v or k in PRIORITY_LABELS[:4]}, untriaged)


def _has_own_note(gh: GitHub, config: Config, repo: str, number: int, kind: str) -> bool:
    for comment in gh.list_comments(repo, number):
        mark = read_marker(comment.body)
        if config.trusted(comment.author) and mark and mark[0] == NOTE_KIND and mark[1].get("note") == kind:
            return True
    return False


def sync_labels(ctx: Context, repo: str) -> list[LabelChange]:
    """Create and update the managed labels in one repository; print the diff as it goes."""
    gh, say = ctx.github(), ctx.say
    managed = ctx.config.section(PrioritySettings).labels
    done: list[str] = []
    remaining: list[LabelChange] = []
    try:
        changes = label_changes(repo, managed, gh.list_labels(repo))
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
