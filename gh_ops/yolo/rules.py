"""Yolo merges, the rules: was a change checked by someone other than its author before it reached
the default branch, and what gh-ops writes about it. Pure functions over plain data; GitHub is read
in queries.py and run.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gh_ops.config import Config
from gh_ops.events import PullRequestEvent, PushEvent
from gh_ops.markup import read_marker, without_comments
from gh_ops.models import Comment, Review
from gh_ops.yolo.settings import YoloSettings

COMMENT_KIND = "yolo"
FOLLOW_UP_KIND = "yolo-follow-up"

# The reason codes, in the order they are reported. A change with none was reviewed.
NO_APPROVAL = "no-approval"
SELF_APPROVAL_ONLY = "self-approval-only"
STALE_APPROVAL = "stale-approval"
CHANGES_REQUESTED = "changes-requested"
BOT_NOT_ALLOWED = "bot-not-allowed"
DIRECT_PUSH = "direct-push"
FORCE_PUSH = "force-push"
REASONS = (
    NO_APPROVAL,
    SELF_APPROVAL_ONLY,
    STALE_APPROVAL,
    CHANGES_REQUESTED,
    BOT_NOT_ALLOWED,
    DIRECT_PUSH,
    FORCE_PUSH,
)
REASON_TEXT = {
    NO_APPROVAL: "no approving review from someone other than its authors",
    SELF_APPROVAL_ONLY: "approved only by its own author or a co-author",
    STALE_APPROVAL: "approved only on older code: commits other than merges of the base branch came after",
    CHANGES_REQUESTED: "a reviewer's latest review asks for changes",
    BOT_NOT_ALLOWED: "made by a bot that is not in yolo.allow_bots",
    DIRECT_PUSH: "pushed to the default branch without a pull request",
    FORCE_PUSH: "force-pushed over the default branch's history",
}

# Reviews that state an opinion; COMMENTED ones do not change a reviewer's standing.
OPINIONS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")

_CO_AUTHOR = re.compile(r"^\s*co-authored-by:\s*(?P<name>[^<\n]*?)\s*<(?P<email>[^>\n]*)>\s*$", re.I | re.M)
_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$", re.I)
# What a pull request template's "Emergency:" line holds when there is none.
_NOT_A_REASON = re.compile(r"|no|none|n/?a|false|nope|not applicable|not an emergency|-+|tbd|\.\.\.|<[^>]*>")
_EMERGENCY_LINE = re.compile(
    r"^[ \t>*_-]*emergency[*_]*[ \t]*:[*_]*[ \t]*(?P<reason>\S.*?)[ \t]*$", re.I | re.M
)


@dataclass(frozen=True)
class PullCommit:
    oid: str
    message: str
    author: str | None  # the git author's GitHub login, when GitHub knows it
    parents: int = 1
    authors: tuple[str, ...] = ()  # every login GitHub matched to the author and Co-authored-by emails


@dataclass(frozen=True)
class MergedPull:
    """What the rules need to know about one merged pull request."""

    number: int
    author: str | None
    merged_by: str | None
    merged_at: datetime | None
    head: str  # the head commit that was merged
    base: str  # the base branch's name
    body: str = ""
    labels: tuple[str, ...] = ()
    commits: tuple[PullCommit, ...] = ()  # oldest first
    reviews: tuple[Review, ...] = ()  # oldest first


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[str, ...]  # empty: reviewed
    emergency: bool = False
    emergency_reason: str | None = None
    approvers: tuple[str, ...] = ()  # valid approvals given before the merge
    post_merge_reviewers: tuple[str, ...] = ()  # valid approvals given after it

    @property
    def yolo(self) -> bool:
        return bool(self.reasons)

    @property
    def unexcused(self) -> bool:
        """A yolo change that was neither declared an emergency nor reviewed after the merge."""
        return self.yolo and not self.emergency and not self.cleared

    @property
    def cleared(self) -> bool:
        """A yolo change that has since been approved by a valid reviewer."""
        return self.yolo and bool(self.post_merge_reviewers)


def is_bot(login: str | None) -> bool:
    return bool(login) and str(login).casefold().endswith("[bot]")


def bot_allowed(login: str | None, cfg: YoloSettings) -> bool:
    return is_bot(login) and str(login).casefold() in {b.casefold() for b in cfg.allow_bots}


def co_authors(message: str) -> tuple[str, ...]:
    """The identities named by a commit message's `Co-authored-by:` trailers: the login of a GitHub
    noreply address, else the name as written (a name that is a login matches that login)."""
    found = []
    for match in _CO_AUTHOR.finditer(message or ""):
        noreply = _NOREPLY.match(match.group("email").strip())
        found.append(noreply.group("login") if noreply else match.group("name").strip())
    return tuple(f for f in found if f)


def login_from_email(email: str) -> str | None:
    """The login in a GitHub noreply address (`123+login@users.noreply.github.com`), else None."""
    match = _NOREPLY.match(email.strip())
    return match.group("login") if match else None


def is_base_merge(commit: PullCommit, base: str) -> bool:
    """A merge of the base branch into the pull request ("Update branch", `git merge main`, `git
    pull origin main`): it brings in reviewed code only, so it does not make an approval stale."""
    return commit.parents >= 2 and says_base_merge(commit.message, base)


def says_base_merge(message: str, base: str) -> bool:
    """The message of a merge of the base branch: a commit is one if it also has two parents."""
    first = (message or "").splitlines()[0] if message else ""
    pattern = rf"^Merge (?:remote-tracking )?branch '(?:[^'/]+/)?{re.escape(base)}'"
    return re.match(pattern, first) is not None


def authors_of(pull: MergedPull) -> set[str]:
    """Everyone who wrote the change: the pull request's author, its commits' authors (merges of the
    base branch aside) and their co-authors; casefolded."""
    people = {pull.author} if pull.author else set()
    for commit in pull.commits:
        if is_base_merge(commit, pull.base):
            continue
        if commit.author:
            people.add(commit.author)
        people.update(co_authors(commit.message))
        people.update(commit.authors)  # co-authors with a work email, matched to their account
    return {p.casefold() for p in people}


def emergency_of(body: str, labels: Iterable[str], cfg: YoloSettings) -> tuple[bool, str | None]:
    """Declared an emergency: the configured label, or an `Emergency: <reason>` line in the body."""
    text = without_comments(body or "")  # template prompts are not reasons (`<!--` in code is code)
    for match in _EMERGENCY_LINE.finditer(text):
        reason = match.group("reason")
        if _NOT_A_REASON.fullmatch(reason.strip(" \t*_`.").casefold()) is None:
            return True, reason
    if any(label.casefold() == cfg.emergency_label.casefold() for label in labels):
        return True, None
    return False, None


def latest_opinions(reviews: Iterable[Review]) -> dict[str, Review]:
    """Each human reviewer's latest review that states an opinion (by submission time)."""
    latest: dict[str, Review] = {}
    ordered = sorted(
        (r for r in reviews if r.author and not is_bot(r.author) and r.state in OPINIONS),
        key=lambda r: (r.submitted_at is None, r.submitted_at),
    )
    for review in ordered:
        latest[str(review.author).casefold()] = review
    return latest


def is_fresh(review: Review, pull: MergedPull, cfg: YoloSettings) -> bool:
    """On the merged head, or on a commit after which only merges of the base branch came."""
    if cfg.approval == "any-approval":
        return True
    if review.commit is None:
        return False
    if review.commit == pull.head:
        return True
    oids = [c.oid for c in pull.commits]
    if review.commit not in oids:
        return False  # force-pushed away: the approval was on code that is no longer there
    after = pull.commits[oids.index(review.commit) + 1 :]
    return all(is_base_merge(c, pull.base) for c in after)


def _approval_reasons(
    pull: MergedPull, reviews: tuple[Review, ...], cfg: YoloSettings
) -> tuple[list[str], list[str]]:
    """(reasons, valid approvers) from these reviews."""
    authors = authors_of(pull)
    latest = latest_opinions(reviews)
    valid, stale, own, changes = [], [], [], []
    for who, review in latest.items():
        login = str(review.author)
        if review.state == "CHANGES_REQUESTED" and who not in authors:
            changes.append(login)
        if review.state != "APPROVED":
            continue
        if who in authors:
            own.append(login)
        elif is_fresh(review, pull, cfg):
            valid.append(login)
        else:
            stale.append(login)
    if valid:
        return [], valid
    reasons = []
    if stale:
        reasons.append(STALE_APPROVAL)
    elif own:
        reasons.append(SELF_APPROVAL_ONLY)
    else:
        reasons.append(NO_APPROVAL)
    if changes:
        reasons.append(CHANGES_REQUESTED)
    return reasons, []


def evaluate(pull: MergedPull, cfg: YoloSettings) -> Verdict:
    """Was this merged pull request reviewed? A merge by someone other than the author is not a
    review; only an approving review is."""
    emergency, why = emergency_of(pull.body, pull.labels, cfg)
    if bot_allowed(pull.author, cfg):
        return Verdict((), emergency, why)
    before = reviews_before_merge(pull)
    reasons, approvers = _approval_reasons(pull, before, cfg)
    if reasons and is_bot(pull.author):
        reasons = [BOT_NOT_ALLOWED, *(r for r in reasons if r != NO_APPROVAL)]
    post: list[str] = []
    if reasons:
        later, post = _approval_reasons(pull, pull.reviews, cfg)
        post = [] if later else post
    return Verdict(_ordered(reasons), emergency, why, tuple(approvers), tuple(post))


def reviews_before_merge(pull: MergedPull) -> tuple[Review, ...]:
    return tuple(
        r
        for r in pull.reviews
        if pull.merged_at is None or r.submitted_at is None or r.submitted_at <= pull.merged_at
    )


@dataclass(frozen=True)
class CommitsToConfirm:
    """Commits of a pull request (oids) whose parents, or whose co-authors as GitHub matched them to
    accounts, must be read before its verdict is final."""

    parents: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.parents or self.authors)


def commits_to_confirm(pull: MergedPull, cfg: YoloSettings) -> CommitsToConfirm:
    """What a verdict still depends on, for a pull request whose commits were read without their
    parents (`parents` 1) and matched co-authors (`authors` empty): nothing in the common case.

    A commit's parents matter only when its message says it merges the base branch (is_base_merge
    needs both): if it comes after an approval that may be valid (stale or fresh), or if it may
    count among the authors of a reviewer who is not certainly one. Matched co-authors add accounts
    only to a commit with a Co-authored-by trailer: they matter when a reviewer is not already
    certainly among the authors. Reviewers are each one's latest opinion, before the merge and
    overall (the post-merge verdict)."""
    if bot_allowed(pull.author, cfg):
        return CommitsToConfirm()
    reviews = [
        *latest_opinions(reviews_before_merge(pull)).values(),
        *latest_opinions(pull.reviews).values(),
    ]

    def names(commit: PullCommit) -> set[str]:
        found = {commit.author, *co_authors(commit.message)}
        return {str(n).casefold() for n in found if n}

    certain = {str(pull.author).casefold()} if pull.author else set()
    for commit in pull.commits:
        if not says_base_merge(commit.message, pull.base):
            certain |= names(commit)
    undecided = {
        str(r.author).casefold()
        for r in reviews
        if r.state in ("APPROVED", "CHANGES_REQUESTED") and str(r.author).casefold() not in certain
    }
    parents: list[str] = []
    authors: list[str] = []
    if undecided:
        for commit in pull.commits:
            trailers = _CO_AUTHOR.search(commit.message or "") is not None
            if trailers:
                authors.append(commit.oid)
            if says_base_merge(commit.message, pull.base) and (trailers or names(commit) & undecided):
                parents.append(commit.oid)
    if cfg.approval != "any-approval":
        oids = [c.oid for c in pull.commits]
        for review in reviews:
            who = str(review.author).casefold()
            on = review.commit
            if (
                review.state != "APPROVED"
                or who in certain
                or on is None
                or on == pull.head
                or on not in oids
            ):
                continue
            after = pull.commits[oids.index(on) + 1 :]
            if all(says_base_merge(c.message, pull.base) for c in after):
                parents += [c.oid for c in after]  # stale unless each has two parents
    return CommitsToConfirm(tuple(dict.fromkeys(parents)), tuple(dict.fromkeys(authors)))


def evaluate_push(*, author: str | None, message: str, cfg: YoloSettings, forced: bool = False) -> Verdict:
    """A commit on the default branch with no merged pull request: a direct push (an allowed bot's
    passes). A force-push is reported as such whatever was pushed."""
    emergency, why = emergency_of(message, (), cfg)
    reasons = [FORCE_PUSH] if forced else []
    if not bot_allowed(author, cfg):
        reasons.append(DIRECT_PUSH)
        if is_bot(author):
            reasons.append(BOT_NOT_ALLOWED)
    return Verdict(_ordered(reasons), emergency, why)


def _ordered(reasons: Iterable[str]) -> tuple[str, ...]:
    chosen = set(reasons)
    return tuple(r for r in REASONS if r in chosen)


@dataclass
class Tally:
    """Counts for the audit's report, per repository or per person."""

    changes: int = 0
    reviewed: int = 0
    yolo: int = 0
    emergency: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    def add(self, verdict: Verdict) -> None:
        self.changes += 1
        if verdict.yolo:
            self.yolo += 1
            for reason in verdict.reasons:
                self.by_reason[reason] = self.by_reason.get(reason, 0) + 1
        else:
            self.reviewed += 1
        if verdict.emergency and verdict.yolo:
            self.emergency += 1

    @property
    def reviewed_share(self) -> float | None:
        """The reviewed changes' share; None when there was no change (nothing to share out)."""
        return self.reviewed / self.changes if self.changes else None


# --- what GitHub says about a merged pull request, and what was found ----------------------------


@dataclass(frozen=True)
class PullInfo:
    """A merged pull request as read from GitHub: the rules' view plus what the writes need."""

    node_id: str
    title: str
    url: str
    merged: bool
    merge_sha: str | None
    label_ids: dict[str, str]  # name -> node id
    comments: tuple[Comment, ...]
    rules: MergedPull


def kept_comment(pull: PullInfo, config: Config) -> tuple[Comment | None, int | None, bool]:
    """gh-ops' comment on the pull request (only a trusted author's counts), the follow-up issue
    number it remembers, and whether gh-ops closed that issue already."""
    for comment in pull.comments:
        if not config.trusted(comment.author):
            continue
        found = read_marker(comment.body)
        if found is not None and found[0] == COMMENT_KIND:
            number = found[1].get("issue", "")
            closed = found[1].get("closed") == "yes"
            return comment, int(number) if number.isdigit() else None, closed
    return None, None, False


@dataclass
class Outcome:
    """What `yolo check` found and did for one change."""

    repository: str
    number: int | None
    sha: str
    author: str | None
    merged_by: str | None
    verdict: Verdict
    done: list[str] = field(default_factory=list)
    follow_up: int | None = None
    before: str | None = None  # force-push: the overwritten tip
    after: str | None = None

    def as_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "repository": self.repository,
            "number": self.number,
            "sha": self.sha,
            "author": self.author,
            "merged_by": self.merged_by,
            "reasons": list(self.verdict.reasons),
            "emergency": self.verdict.emergency,
            "post_merge_review_by": list(self.verdict.post_merge_reviewers),
        }
        if self.before or self.after:
            record["before"], record["after"] = self.before, self.after
        return record


@dataclass
class AuditResult:
    since: datetime
    records: list[Outcome] = field(default_factory=list)
    requests: int = 0
    failed: list[str] = field(default_factory=list)  # repositories GitHub failed for: not audited

    @property
    def unexcused(self) -> list[Outcome]:
        return [r for r in self.records if r.verdict.unexcused]


# --- what an event asks to check -----------------------------------------------------------------

EVENTS = ("pull_request", "pull_request_target", "push", "pull_request_review")


def merged_pull_of(event_name: str | None, payload: dict[str, Any]) -> int | str:
    """The pull request a pull_request or pull_request_review event asks to check (merged into the
    default branch, or approved after its merge), or why there is nothing to check."""
    event = PullRequestEvent(payload, event_name or "pull_request")
    pull = event.pull_request
    number = pull.number
    if event_name == "pull_request_review":
        if event.action != "submitted" or (event.review_state or "").lower() != "approved":
            return "the review is not an approval"
        if pull.state == "open":
            return f"#{number} is not merged"
    elif event.action != "closed" or not pull.merged:
        return f"#{number} was not merged by this event"
    # Both required: without them a merge into any branch would be taken for one into the default.
    default, base = event.repository.default_branch, pull.base_ref
    if base != default:
        return f"#{number} was merged into {base}, not the default branch"
    return number


@dataclass(frozen=True)
class PushToCheck:
    """A push to the default branch, as its event says."""

    ref: str
    default_branch: str
    before: str
    after: str
    forced: bool
    commits: tuple[str, ...]  # the new commits' ids
    pusher: str | None


def push_to_check(payload: dict[str, Any]) -> PushToCheck | str:
    """The push to check, or why there is nothing to check."""
    push = PushEvent(payload, "push")
    # Required: without it a push to any branch would be taken for one to the default branch.
    default, ref = push.repository.default_branch, push.ref
    if ref != f"refs/heads/{default}":
        return f"the push is to {ref or 'no ref'}, not the default branch {default}"
    if push.deleted:
        return "the push deleted the branch"
    commits, forced = tuple(push.commit_ids), push.forced
    if not commits and not forced:
        return "the push carries no new commits"
    return PushToCheck(ref, default, push.before, push.after_sha, forced, commits, push.pusher or push.sender)
