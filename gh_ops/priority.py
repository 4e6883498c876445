"""Bug priorities: the managed label set, the rules that give a bug one priority label, CVSS, triage."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gh_ops.config import PRIORITY_LABELS, SECURITY_LABEL, Config, ManagedLabel, PriorityConfig
from gh_ops.errors import GitHubError, Progress, UsageError
from gh_ops.forms import parse_form
from gh_ops.markup import marker, read_marker
from gh_ops.models import Comment, Issue, Label, TimelineEvent

if TYPE_CHECKING:
    from gh_ops.github import GitHub

# Shared with the schema harness: every GraphQL document gh-ops sends is validated in tests.
TRANSFER_ISSUE_MUTATION = """mutation TransferIssue($issueId: ID!, $repositoryId: ID!) {
  transferIssue(input: {issueId: $issueId, repositoryId: $repositoryId, createLabelsIfMissing: true}) {
    issue { number url }
  }
}"""

EVENT_ACTIONS = ("opened", "edited", "labeled", "reopened")
CVSS_CALCULATOR = "https://www.first.org/cvss/calculator/{version}"

# The notes gh-ops leaves on an issue, one of each kind at most, found again by their marker.
NOTE_CONFLICT = "conflict"
NOTE_CVSS = "cvss"
NOTE_SECURITY = "security"
NOTE_TRIAGE = "triage"


def note_marker(note: str) -> str:
    return marker("priority", note=note)


# --- the label family (pure) -----------------------------------------------------------------

_CANONICAL = {name.casefold(): name for name in PRIORITY_LABELS}


def rank(label: str) -> tuple[int, int]:
    """Sort key, highest priority first: P0 before P1; security-Pn before Pn (it says more)."""
    return int(label[-1]), 0 if label.startswith("security-") else 1


def priority_labels_of(labels: Iterable[str]) -> list[str]:
    """The priority labels among these (GitHub compares label names in any case), highest first."""
    found = {_CANONICAL[name.casefold()] for name in labels if name.casefold() in _CANONICAL}
    return sorted(found, key=rank)


def has_label(labels: Iterable[str], name: str) -> bool:
    return any(label.casefold() == name.casefold() for label in labels)


# --- which issues are bugs (pure) ------------------------------------------------------------


def is_bug(title: str, body: str, labels: Iterable[str], cfg: PriorityConfig) -> bool:
    """A bug by label, by title prefix, or by answering one of the bug form's questions."""
    if any(has_label(labels, name) for name in cfg.bug_labels):
        return True
    folded = title.strip().casefold()
    if any(folded.startswith(prefix.casefold()) for prefix in cfg.bug_title_prefixes):
        return True
    if cfg.bug_form_questions:
        answered = parse_form(body)
        return any(question in answered for question in cfg.bug_form_questions)
    return False


# --- where a priority comes from (pure) ------------------------------------------------------

_CHOICE = re.compile(r"^\s*(security-p[0-3]|p[0-3])(?![\w-])", re.IGNORECASE)


def priority_from_form(body: str, cfg: PriorityConfig) -> str | None:
    """The priority label the form's answer starts with ("P1", "P1 - Urgent, non-breaking"), or None."""
    answer = parse_form(body).get(cfg.form_question)
    if not answer:
        return None
    match = _CHOICE.match(answer)
    return _CANONICAL[match.group(1).casefold()] if match else None


def priority_from_rules(title: str, body: str, cfg: PriorityConfig) -> tuple[str, int] | None:
    """The label of the first rule whose expression is found in the title or body, and its index."""
    text = f"{title}\n{body}"
    for index, rule in enumerate(cfg.rules):
        if re.search(rule.match, text):
            return rule.label, index
    return None


# --- CVSS (pure) -------------------------------------------------------------------------------

_VECTOR = re.compile(r"CVSS:(\d{1,3}(?:\.\d{1,3})?)/[A-Za-z0-9:/._-]*")


@dataclass(frozen=True)
class CvssScore:
    """A CVSS vector's score, or why it has none. Never holds the vector itself: that stays private."""

    version: str
    score: float | None  # None: the vector could not be read
    severity: str | None
    problem: str | None = None

    @property
    def scores_above_zero(self) -> bool:
        return self.score is not None and self.score > 0


def find_cvss_vector(text: str) -> str | None:
    """The first CVSS vector (`CVSS:3.1/AV:N/...` or `CVSS:4.0/...`) in a text, or None."""
    match = _VECTOR.search(text or "")
    return match.group(0).rstrip("./") if match else None


def cvss_score(vector: str) -> CvssScore:
    """The base score and severity with the `cvss` library (for 4.0, of the base metrics alone)."""
    from cvss import CVSS3, CVSS4, CVSSError  # imported when needed: only security issues pay for it

    version = vector.split("/", 1)[0].removeprefix("CVSS:")
    try:
        if version in ("3.0", "3.1"):
            v3 = CVSS3(vector)
            return CvssScore(version, float(v3.scores()[0]), v3.severities()[0])
        if version == "4.0":
            CVSS4(vector)  # validates every metric given, threat and environmental ones too
            base = CVSS4(_v4_base(vector))  # the library's score would include them
            return CvssScore(version, float(base.base_score), base.severity)
    except CVSSError as exc:
        return CvssScore(version, None, None, _cvss_problem(exc))
    return CvssScore(version, None, None, f"CVSS version {version} is not supported (use 3.0, 3.1 or 4.0)")


_V4_BASE = ("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")


def _v4_base(vector: str) -> str:
    """A CVSS 4.0 vector with only its base metrics: the base score (CVSS-B) is what the ranges use."""
    metrics = dict(part.split(":", 1) for part in vector.split("/")[1:] if ":" in part)
    return "CVSS:4.0/" + "/".join(f"{m}:{metrics[m]}" for m in _V4_BASE if m in metrics)


def _cvss_problem(exc: Exception) -> str:
    # Generic words only: the library's own message quotes the vector, which must not be repeated.
    if "Mandatory" in type(exc).__name__:
        return "a mandatory base metric is missing"
    return "a metric or value is not valid, or a metric is given twice"


def label_for_score(score: float, cfg: PriorityConfig) -> str | None:
    """The label whose range holds the score (the highest minimum it reaches), or None (e.g. 0.0)."""
    for label, lowest in cfg.cvss:
        if score >= lowest:
            return label
    return None


# --- the decision (pure) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What to do to one issue's labels and notes, and why."""

    keep: str | None  # the priority label the issue ends with
    source: str  # person, form, cvss, rule, kept, none
    reason: str  # one line for the log and the step summary (no issue text)
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)  # note kind -> comment text (without marker)
    cvss: CvssScore | None = None
    note_updates: dict[str, str] = field(default_factory=dict)  # new text for a note, if it exists


def _listing(labels: Iterable[str]) -> str:
    return " and ".join(f"`{label}`" for label in labels)


def decide(
    *,
    title: str,
    body: str,
    labels: Iterable[str],
    added_by: Mapping[str, str | None],
    trusted: Callable[[str | None], bool],
    cfg: PriorityConfig,
    bug: bool,
) -> Decision:
    """The one priority label an issue should carry, in the order: a person's label, the issue form's
    answer, a CVSS vector, the rules. `added_by` says who last added each label (None: unknown, which
    counts as a person: gh-ops never takes a label off unless it knows it put it there)."""
    labels = list(labels)
    present = priority_labels_of(labels)
    by_person = [label for label in present if not trusted(added_by.get(label))]
    ours = [label for label in present if label not in by_person]
    notes: dict[str, str] = {}
    add: list[str] = []

    vector = find_cvss_vector(body)
    cvss = cvss_score(vector) if vector else None
    cvss_label = label_for_score(cvss.score, cfg) if cvss and cvss.score and cvss.scores_above_zero else None
    if cvss is not None and cvss.score is not None and cvss.scores_above_zero:
        if not has_label(labels, SECURITY_LABEL):
            add.append(SECURITY_LABEL)
        if cvss_label is None:  # above zero but below every configured range
            notes[NOTE_CVSS] = _cvss_unranked_note(cvss)
    elif cvss is not None:
        notes[NOTE_CVSS] = _cvss_note(cvss)

    if by_person:
        keep = by_person[0]
        remove = [label for label in present if label != keep]
        reason = f"`{keep}` was set by a person: it is final"
        if len(by_person) > 1:
            others = [label for label in by_person if label != keep]
            notes[NOTE_CONFLICT] = (
                f"This issue had more than one priority label. I kept `{keep}`, the highest that people "
                f"set, and removed {_listing(remove)}: an issue carries one priority. To lower it, remove "
                f"`{keep}` and add the one you want."
            )
            reason += f"; removed the lower {_listing(others)}"
        elif ours:
            notes[NOTE_CONFLICT] = (
                f"This issue had more than one priority label. I kept `{keep}`, which a person set (a "
                f"person's priority is final), and removed {_listing(ours)}, which I had set."
            )
            reason += f"; removed {_listing(ours)} set by gh-ops"
        return Decision(keep, "person", reason, tuple(add), tuple(remove), notes, cvss)

    wanted, source, reason = None, "none", "no priority: no form answer, CVSS vector or matching rule"
    form_label = priority_from_form(body, cfg)
    rule = priority_from_rules(title, body, cfg) if bug else None
    if form_label is not None:
        wanted, source, reason = form_label, "form", f"`{form_label}` from the issue form's answer"
    elif cvss is not None:
        if cvss_label is not None:
            assert cvss.score is not None
            wanted, source = cvss_label, "cvss"
            reason = f"`{cvss_label}` from the CVSS {cvss.version} score {cvss.score} ({cvss.severity})"
        else:
            reason = "no priority: " + (
                f"the CVSS {cvss.version} score is {cvss.score} ({cvss.severity})"
                if cvss.score is not None
                else "the CVSS vector could not be read"
            )
    elif rule is not None:
        wanted, source = rule[0], "rule"
        reason = f"`{rule[0]}` from rule {rule[1] + 1} ({cfg.rules[rule[1]].match})"

    updates: dict[str, str] = {}
    if cvss is not None and cvss.score is not None and cvss.scores_above_zero and NOTE_CVSS not in notes:
        # A vector corrected after gh-ops said it could not be read: the same note now says so.
        updates[NOTE_CVSS] = f"The CVSS {cvss.version} vector in this issue now scores {cvss.score} " + (
            f"({cvss.severity}): labelled `{cvss_label}`." if source == "cvss" else f"({cvss.severity})."
        )

    if wanted is None:
        if not ours:
            return Decision(None, "none", reason, tuple(add), (), notes, cvss, updates)
        keep = ours[0]  # a label gh-ops set stays until a source says otherwise
        reason = f"`{keep}` kept (set earlier by gh-ops; {reason})"
        return Decision(keep, "kept", reason, tuple(add), tuple(ours[1:]), notes, cvss, updates)
    remove = [label for label in present if label != wanted]
    if wanted not in present:
        add.insert(0, wanted)
    if remove:
        reason += f", replacing {_listing(remove)}"
    return Decision(wanted, source, reason, tuple(add), tuple(remove), notes, cvss, updates)


def _cvss_note(cvss: CvssScore) -> str:
    if cvss.score is None:
        return (
            f"The CVSS vector in this issue could not be read: {cvss.problem}. No priority was set from "
            f"it. Please correct it (calculator: {CVSS_CALCULATOR.format(version=_calc(cvss.version))}), "
            "or set a priority label by hand."
        )
    return (
        f"The CVSS {cvss.version} vector in this issue scores {cvss.score} (severity: {cvss.severity}), so "
        "it gives no priority. If the issue has an impact, correct the vector's metrics, or set a "
        "priority label by hand."
    )


def _cvss_unranked_note(cvss: CvssScore) -> str:
    return (
        f"The CVSS {cvss.version} vector in this issue scores {cvss.score} (severity: {cvss.severity}), "
        "which no configured priority range holds. Please set a priority label by hand."
    )


def _calc(version: str) -> str:
    return version if version in ("3.0", "3.1", "4.0") else "4.0"


# --- what an issue's history says (pure) -----------------------------------------------------


@dataclass(frozen=True)
class History:
    labels: tuple[str, ...]  # the labels the issue has now
    added_by: dict[str, str | None]  # canonical priority label -> who last added it
    notes: dict[str, Comment]  # gh-ops' own notes on the issue, by kind


def read_history(
    events: Iterable[TimelineEvent], labels_then: Iterable[str], trusted: Callable[[str | None], bool]
) -> History:
    """Replay the timeline over the labels an (older) payload showed: the timeline is read now, so a
    label's last event there says whether it is on the issue, and who put it there."""
    then = {label.casefold(): label for label in labels_then}
    names = dict(then)
    on_now: dict[str, bool] = {}
    added_by: dict[str, str | None] = {}
    notes: dict[str, Comment] = {}
    for event in events:
        if event.kind in ("labeled", "unlabeled") and event.label:
            key = event.label.casefold()
            names[key] = event.label
            on_now[key] = event.kind == "labeled"
            if event.kind == "labeled":
                added_by[_CANONICAL.get(key, event.label)] = event.actor
        elif event.kind == "commented" and event.comment is not None and trusted(event.comment.author):
            mark = read_marker(event.comment.body)
            if mark and mark[0] == "priority" and "note" in mark[1]:
                notes.setdefault(mark[1]["note"], event.comment)
    current = [name for key, name in names.items() if on_now.get(key, key in then)]
    return History(tuple(current), added_by, notes)


# --- priority labels: keep the label set in step -------------------------------------------


@dataclass(frozen=True)
class LabelChange:
    repo: str
    action: str  # create, update, same
    label: ManagedLabel
    current: Label | None = None

    def line(self) -> str:
        label = self.label
        if self.action == "create":
            return f"+ {label.name}  #{label.color}  {label.description}"
        assert self.current is not None
        changes = []
        if self.current.name != label.name:
            changes.append(f"name {self.current.name} -> {label.name}")
        if self.current.color != label.color:
            changes.append(f"colour #{self.current.color} -> #{label.color}")
        if self.current.description != label.description:
            changes.append(f"description {self.current.description!r} -> {label.description!r}")
        if not changes:
            return f"= {label.name}"
        return f"~ {label.name}  " + "; ".join(changes)


def label_changes(repo: str, managed: Iterable[ManagedLabel], existing: Iterable[Label]) -> list[LabelChange]:
    """What to create and update so the managed labels exist exactly as configured. Labels gh-ops does
    not manage are never touched (never deleted)."""
    by_name = {label.name.casefold(): label for label in existing}
    changes = []
    for label in managed:
        current = by_name.get(label.name.casefold())
        if current is None:
            changes.append(LabelChange(repo, "create", label))
        elif (current.name, current.color, current.description) != (
            label.name,
            label.color,
            label.description,
        ):
            changes.append(LabelChange(repo, "update", label, current))
        else:
            changes.append(LabelChange(repo, "same", label, current))
    return changes


def sync_labels(
    gh: GitHub, repos: list[str], managed: tuple[ManagedLabel, ...], *, say: Callable[[str], None]
) -> list[LabelChange]:
    """Create and update the managed labels in each repository; print the diff as it goes."""
    results: list[LabelChange] = []
    done: list[str] = []
    for index, repo in enumerate(repos):
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
                    gh.update_label(
                        repo, change.current.name, label, why=f"update label {label.name} in {repo}"
                    )
                done.append(f"{repo}: {change.action}d {label.name}")
                remaining.remove(change)
        except GitHubError as exc:
            pending = [f"{repo}: {c.action} {c.label.name}" for c in remaining] or [f"the labels of {repo}"]
            exc.progress = Progress(
                done=done, pending=pending + [f"the labels of {r}" for r in repos[index + 1 :]]
            )
            raise
        results.extend(changes)
    return results


def org_repositories(gh: GitHub, org: str, *, say: Callable[[str], None]) -> list[str]:
    """Every repository of an organization that is not archived (archived ones are read-only)."""
    repos, archived = [], 0
    for repo in gh.list_org_repos(org):
        if repo.archived:
            archived += 1
        else:
            repos.append(repo.full_name)
    say(f"{org}: {len(repos)} repositories" + (f" ({archived} archived, skipped)" if archived else ""))
    return repos


# --- priority apply ------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Target:
    """The issue `apply` works on: from the event payload, or read for --issue."""

    repo: str
    issue: Issue
    private: bool | None  # None: not known yet (read only if a security note may be needed)
    updated_at: datetime | None = None  # when the payload's copy of the issue was current


def target_from_event(event_name: str | None, payload: dict[str, Any], config: Config) -> Target | str:
    """The issue this event is about, or a reason why there is nothing to do (costs no request)."""
    if event_name != "issues":
        raise UsageError(
            f"the event is {event_name or 'missing'}, not an issues event: run `priority apply` on issues "
            "events (opened, edited, labeled), or pass --issue N"
        )
    issue_data, repository = payload.get("issue"), payload.get("repository")
    if not isinstance(issue_data, dict) or not isinstance(repository, dict):
        raise UsageError("the issues event payload has no issue or repository ($GITHUB_EVENT_PATH)")
    action = payload.get("action")
    if action not in EVENT_ACTIONS:
        return f"nothing to do on an issue {action or 'event'} event"
    sender = (payload.get("sender") or {}).get("login")
    if action == "labeled" and _is_gh_ops(config, sender):
        return f"nothing to do: the label was added by {sender} (gh-ops itself)"
    try:
        issue = Issue.from_json(issue_data)
        repo = str(repository["full_name"])
    except (KeyError, TypeError, ValueError):
        raise UsageError("the issues event payload lacks the issue number or repository name") from None
    private = repository.get("private")
    updated = issue_data.get("updated_at")
    when = datetime.fromisoformat(updated.replace("Z", "+00:00")) if isinstance(updated, str) else None
    return Target(repo, issue, private if isinstance(private, bool) else None, when)


def apply_priority(
    gh: GitHub, config: Config, target: Target, *, say: Callable[[str], None], warn: Callable[[str], None]
) -> ApplyOutcome:
    """Give one issue its one priority label, leave the notes it needs, and protect security details."""
    cfg = config.priority
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
        trusted=lambda login: _is_gh_ops(config, login),
        cfg=cfg,
        bug=bug,
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


def _is_gh_ops(config: Config, login: str | None) -> bool:
    """The account gh-ops writes as (`bot`): a label it added is gh-ops' own, not a person's."""
    return login is not None and login.casefold() == config.bot.casefold()


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


def security_note(place: str, transfer_to: str | None) -> str:
    text = (
        "This issue is labelled `security`, and this repository is public: anyone can read what is "
        f"written here. Please send vulnerability details to {place} instead, and remove any already "
        "posted here (edit the issue and your comments)."
    )
    if transfer_to:
        text += " The issue is being moved to a private repository where the maintainers will follow up."
    return text


def _protect_security_details(
    gh: GitHub,
    config: Config,
    target: Target,
    history: History,
    outcome: ApplyOutcome,
    *,
    say: Callable[[str], None],
) -> None:
    cfg = config.priority
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


# --- priority triage -----------------------------------------------------------------------------


@dataclass
class TriageReport:
    repo: str
    counts: dict[str, int]  # priority label (or "none") -> open bugs
    untriaged: list[tuple[Issue, str]]  # (issue, asked | already asked | too new)

    def summary(self, untriaged_after: str) -> str:
        rows = ["| Priority | Open bugs |", "|---|---|"]
        rows += [f"| {label} | {count} |" for label, count in self.counts.items()]
        lines = [f"### gh-ops priority triage: {self.repo}", "", *rows, ""]
        if self.untriaged:
            lines.append(
                f"Open bugs without a priority ({len(self.untriaged)}; asked for one once they are older "
                f"than {untriaged_after}):"
            )
            lines.append("")
            for issue, status in self.untriaged:
                lines.append(f"- [#{issue.number}]({issue.url}) {markdown_text(issue.title)} ({status})")
        else:
            lines.append("Every open bug has a priority.")
        return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")


def markdown_text(text: str) -> str:
    """Text from GitHub shown as itself in Markdown: no links, images, HTML or table breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))[:200]


def triage_mentions(config: Config) -> str:
    team = config.priority.triage_team
    if team is None:
        return ""
    if "/" in team:
        return f"@{team}"
    members = config.teams[team]
    logins = dict.fromkeys((members.lead, *members.members))
    return " ".join(f"@{login}" for login in logins)


def triage_note(config: Config) -> str:
    mentions = triage_mentions(config)
    ask = f"{mentions}: this" if mentions else "This"
    return (
        f"{ask} bug has no priority yet. Please add one label: `P0` (critical, breaking), `P1` (urgent, "
        "not breaking), `P2` (semi-urgent: works, but the experience suffers) or `P3` (icebox). "
        "Security issues take `security-P0` to `security-P3` from their CVSS score."
    )


def triage(
    gh: GitHub,
    config: Config,
    repo: str,
    now: datetime,
    *,
    say: Callable[[str], None],
) -> TriageReport:
    """Count open bugs per priority; ask once for a priority on each untriaged bug older than the limit."""
    cfg = config.priority
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
        if config.trusted(comment.author) and mark and mark[0] == "priority" and mark[1].get("note") == kind:
            return True
    return False


def duration_text(delta: Any) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24} day(s)" if hours % 24 == 0 else f"{hours} hour(s)"
