"""FakeGitHub itself: construction, and the seeding API tests use to set up and inspect state (repos,
issues, pull requests, merges, pushes, reviews), over the state operations every API shares."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import responses

from .dispatch import RATE_LIMIT, Dispatch, RecordedRequest, _derive_urls, _not_found
from .failures import FailureInjection, _Failure, _FieldFailure, _Hook
from .graphql import STATE_OPERATIONS, GraphqlApi
from .render import RestRendering
from .rest import RestApi
from .state import (
    REVIEW_STATES,
    WEBHOOKS_DIR,
    Clock,
    _Comment,
    _Commit,
    _dedupe,
    _Issue,
    _Label,
    _load_json,
    _Milestone,
    _Repo,
    _Review,
    _sorted_labels,
    _utc,
)

PUBLIC_API_URL = "https://api.github.com"
DEFAULT_ACTOR = "github-actions[bot]"


class FakeGitHub(Dispatch, FailureInjection, RestApi, RestRendering, GraphqlApi):
    """An in-memory GitHub whose REST/GraphQL endpoints are registered on a RequestsMock.

    The state and the seeding API live here; the mixins add the request log and dispatch
    (dispatch.py), failure injection (failures.py), REST endpoints (rest.py) and their JSON shapes
    (render.py), and GraphQL (graphql.py)."""

    def __init__(
        self,
        rsps: responses.RequestsMock,
        api_url: str = PUBLIC_API_URL,
        actor: str = DEFAULT_ACTOR,
        clock: Clock | None = None,
    ) -> None:
        self.rsps = rsps
        self.api_url = api_url.rstrip("/")
        self.actor = actor
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.require_auth = True
        # A classic token's scopes, sent as X-OAuth-Scopes on GET /user (None: a fine-grained or
        # installation token, which GitHub sends no such header for).
        self.oauth_scopes: str | None = None
        # The token user's `permissions` object in GET /repos/{repo}, by repository (lower case).
        self.repo_permissions: dict[str, dict[str, bool]] = {}
        self.latency = 0.0  # seconds each answer takes (benchmarks set a realistic one)
        # Random delays before each request is served (delay_randomly): runs started together then
        # interleave their reads and writes differently on every seed.
        self._jitter: tuple[random.Random, float] | None = None
        self.emails: dict[str, str] = {}  # lower-cased email -> login: whose account an email is
        self.organizations: set[str] = set()  # lower-cased logins of accounts that are organizations
        self.requests: list[RecordedRequest] = []
        self.web_url, self.graphql_url = _derive_urls(self.api_url)
        self._repos: dict[str, _Repo] = {}
        self._failures: list[_Failure] = []
        self._hooks: list[_Hook] = []
        self._field_failures: list[_FieldFailure] = []
        self._graphql_handlers: list[tuple[str, Callable[[str, dict[str, Any]], dict[str, Any]]]] = []
        # Operations answered from state by default; an on_graphql handler of the same name wins.
        self._state_operations = set(STATE_OPERATIONS)
        # repo id -> (the repo's associations_version when built, sha -> pull requests).
        self._association_cache: dict[int, tuple[int, dict[str, list[_Issue]]]] = {}
        self.association_index_builds = 0  # how often _associated built an index (tests bound it)
        self._issue_index: dict[int, tuple[_Repo, _Issue]] = {}  # issue id -> where: GraphqlApi._issue_by_id
        self._rate_used = {"core": 0, "graphql": 0}
        self._rate_reset: int | None = None
        # GraphQL points per hour (5,000 for a token; a workflow's GITHUB_TOKEN has 1,000), and what
        # the request being served is charged (tests/fakegithub/cost.py).
        self.graphql_points_limit = RATE_LIMIT
        self._charge = 0
        self._ids = {
            kind: itertools.count(start)
            for kind, start in {
                "repo": 700_000_001,
                "issue": 2_100_000_001,
                "comment": 2_500_000_001,
                "label": 6_000_000_001,
                "milestone": 11_000_001,
                "review": 2_300_000_001,
                "check_run": 30_000_000_001,
                "sha": 1,
                "event": 9_000_000_001,
                "request": 1,
            }.items()
        }
        tpl = _load_json(WEBHOOKS_DIR / "issues.opened.json")
        self._tpl_issue: dict[str, Any] = tpl["issue"]
        self._tpl_repo: dict[str, Any] = tpl["repository"]
        self._tpl_pull: dict[str, Any] = _load_json(WEBHOOKS_DIR / "pull_request.opened.json")["pull_request"]
        # Actions workflows by repository (lower-cased full name), each with its scheduled runs.
        self.workflows: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.RLock()
        self._register()
        self.on_graphql("TransferIssue", self._transfer_issue)

    def delay_randomly(self, seed: int, most: float) -> None:
        """Hold every request up to `most` seconds (outside the lock), drawn from a generator seeded
        with `seed`: runs in threads then interleave their reads and writes in a different order on
        each seed, as runs that overlap on GitHub do."""
        self._jitter = (random.Random(seed), most)

    def _random_delay(self) -> float:
        if self._jitter is None:
            return 0.0
        rng, most = self._jitter
        with self._lock:
            return rng.uniform(0, most)

    # ----------------------------------------------------------------- state helpers

    def add_repo(
        self,
        full_name: str,
        *,
        private: bool = False,
        default_branch: str = "main",
        collaborators: Iterable[str] = (),
        archived: bool = False,
        has_issues: bool = True,
    ) -> dict[str, Any]:
        """Create a repository; the owner, actor and `collaborators` are assignable."""
        owner, name = full_name.split("/", 1)
        logins = [owner, self.actor, *collaborators]
        repo = _Repo(
            id=next(self._ids["repo"]),
            owner=owner,
            name=name,
            private=private,
            archived=archived,
            has_issues=has_issues,
            default_branch=default_branch,
            collaborators={login.lower(): login for login in logins},
        )
        self._repos[full_name.lower()] = repo
        return self._render_repo(repo)

    def add_workflow(
        self,
        full_name: str,
        path: str = ".github/workflows/gh-ops.yml",
        *,
        state: str = "active",
        scheduled_runs: Iterable[datetime] = (),
    ) -> dict[str, Any]:
        """An Actions workflow (GitHub's shape: id, node_id, name, path, state, ...) and the times
        its schedule started runs. `state` is active, disabled_inactivity, disabled_manually, ..."""
        workflows = self.workflows.setdefault(full_name.lower(), [])
        workflow_id = 161335 + len(workflows)
        workflow = {
            "id": workflow_id,
            "node_id": f"MDg6V29ya2Zsb3cx{workflow_id}",
            "name": path.rsplit("/", 1)[-1].removesuffix(".yml"),
            "path": path,
            "state": state,
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "url": f"https://api.github.com/repos/{full_name}/actions/workflows/{workflow_id}",
            "html_url": f"https://github.com/{full_name}/blob/main/{path}",
            "badge_url": f"https://github.com/{full_name}/workflows/gh-ops/badge.svg",
            "runs": sorted((_utc(at) for at in scheduled_runs), reverse=True),
        }
        workflows.append(workflow)
        return workflow

    def add_organization(self, login: str) -> None:
        """Make the account `login` an organization: its repositories' owner has type Organization
        (every other owner is a user, as GitHub's example payloads have it)."""
        self.organizations.add(login.lower())

    def add_label(
        self, full_name: str, name: str, *, color: str = "ededed", description: str | None = None
    ) -> dict[str, Any]:
        """Create a repository label."""
        repo = self._repo(full_name)
        label = _Label(next(self._ids["label"]), name, color, description)
        repo.labels[label.id] = label
        return self._render_label(repo, label)

    def add_milestone(
        self,
        full_name: str,
        title: str,
        number: int | None = None,
        *,
        state: str = "open",
        description: str | None = None,
        due_on: datetime | None = None,
    ) -> dict[str, Any]:
        """Create a milestone (numbers count up from 1 unless given)."""
        repo = self._repo(full_name)
        if number is None:
            number = max(repo.milestones, default=0) + 1
        now = _utc(self.clock())
        milestone = _Milestone(
            id=next(self._ids["milestone"]),
            number=number,
            title=title,
            creator=self.actor,
            created_at=now,
            description=description,
            state=state,
            due_on=_utc(due_on) if due_on else None,
            closed_at=now if state == "closed" else None,
        )
        repo.milestones[number] = milestone
        return self._render_milestone(repo, milestone)

    def add_issue(
        self,
        full_name: str,
        *,
        title: str,
        body: str | None = "",
        author: str = DEFAULT_ACTOR,
        state: str = "open",
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        created_at: datetime | None = None,
        pull_request: bool = False,
        updated_at: datetime | None = None,
        closed_at: datetime | None = None,
        state_reason: str | None = None,
        locked: bool = False,
        milestone: int | None = None,
    ) -> dict[str, Any]:
        """Seed an issue (or a PR seen through the issues API) without going through HTTP."""
        repo = self._repo(full_name)
        created = _utc(created_at or self.clock())
        issue = self._new_issue(repo, title=title, body=body, author=author, created=created)
        self._relabel(repo, issue, [self._ensure_label(repo, name).id for name in labels], author, created)
        issue.assignees = list(assignees)
        issue.is_pr = pull_request
        if pull_request:
            issue.head_sha = self._push(repo, None)
            issue.head_ref = f"patch-{issue.number}"
            repo.associations_version += 1
        issue.locked = locked
        issue.milestone = milestone
        issue.updated_at = _utc(updated_at) if updated_at else created
        if state == "closed":
            issue.state = "closed"
            issue.state_reason = state_reason or "completed"
            issue.closed_at = _utc(closed_at) if closed_at else issue.updated_at
            issue.closed_by = self.actor
        else:
            issue.state_reason = state_reason
        return self._render_issue(repo, issue)

    def add_issues(self, full_name: str, issues: Iterable[dict[str, Any]]) -> None:
        """Seed many issues at once, each given as add_issue's keyword arguments (title, body,
        author, state, labels, created_at, updated_at): for repositories with years of history,
        where finding each label by name among thousands, and rendering each issue, would make
        seeding the slow part of a test."""
        repo = self._repo(full_name)
        by_name = {label.name.lower(): label for label in repo.labels.values()}
        for seed in issues:
            created = _utc(seed.get("created_at") or self.clock())
            issue = self._new_issue(
                repo,
                title=seed["title"],
                body=seed.get("body", ""),
                author=seed.get("author", DEFAULT_ACTOR),
                created=created,
            )
            label_ids = []
            for name in seed.get("labels", ()):
                label = by_name.get(name.lower())
                if label is None:  # created like _ensure_label does, without its search
                    label = by_name[name.lower()] = _Label(next(self._ids["label"]), name)
                    repo.labels[label.id] = label
                label_ids.append(label.id)
            self._relabel(repo, issue, label_ids, issue.author, created)
            issue.updated_at = _utc(seed["updated_at"]) if seed.get("updated_at") else created
            if seed.get("state", "open") == "closed":
                issue.state = "closed"
                issue.state_reason = "completed"
                issue.closed_at = issue.updated_at
                issue.closed_by = self.actor

    def add_plain_issues(self, full_name: str, issues: Iterable[tuple[str, str, datetime]]) -> None:
        """Seed many open issues without labels, each (title, author, created_at): add_issues for
        the common case of a busy repository."""
        self.add_issues(full_name, ({"title": t, "author": a, "created_at": c} for t, a, c in issues))

    def edit_issue(
        self,
        full_name: str,
        number: int,
        *,
        by: str | None = None,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
        labels: Iterable[str] | None = None,
        assignees: Iterable[str] | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Change an issue out of band (a human in the web UI): no request is recorded."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        now = _utc(at or self.clock())
        if title is not None:
            issue.title = title
        if body is not None:
            issue.body = body or None
        if labels is not None:
            self._relabel(
                repo, issue, [self._ensure_label(repo, n).id for n in labels], by or issue.author, now
            )
        if assignees is not None:
            issue.assignees = list(assignees)
        self._apply_state(issue, state or issue.state, state_reason, now, by)
        issue.updated_at = now
        return self._render_issue(repo, issue, full=True)

    def add_comment(
        self,
        full_name: str,
        number: int,
        *,
        body: str,
        author: str,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Seed a comment on an issue or PR."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        comment = self._new_comment(repo, issue, body, author, _utc(created_at or self.clock()))
        return self._render_comment(repo, comment)

    def issues(self, full_name: str) -> list[dict[str, Any]]:
        """All issues and PRs of a repository, in number order."""
        repo = self._repo(full_name)
        return [self._render_issue(repo, i) for _, i in sorted(repo.issues.items())]

    def issue(self, full_name: str, number: int) -> dict[str, Any]:
        """One issue as the single-issue endpoint returns it."""
        repo = self._repo(full_name)
        return self._render_issue(repo, self._issue(repo, number), full=True)

    def comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Comments of an issue, oldest first."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        return [self._render_comment(repo, repo.comments[c]) for c in issue.comment_ids]

    def labels(self, full_name: str) -> list[dict[str, Any]]:
        """Repository labels, sorted by name."""
        repo = self._repo(full_name)
        return [self._render_label(repo, label) for label in _sorted_labels(repo.labels.values())]

    def milestones(self, full_name: str) -> list[dict[str, Any]]:
        """Repository milestones in number order."""
        repo = self._repo(full_name)
        return [self._render_milestone(repo, m) for _, m in sorted(repo.milestones.items())]

    # ----------------------------------------------------------------- pull requests

    def add_pull(
        self,
        full_name: str,
        *,
        title: str,
        body: str | None,
        author: str,
        created_at: datetime | None = None,
        head_sha: str | None = None,
        files: Iterable[str] = (),
        draft: bool = False,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        head_ref: str | None = None,
        base: str | None = None,
    ) -> int:
        """Seed an open pull request (an issue with PR fields; numbers are shared with issues).

        Returns its number. `head_sha` defaults to a fresh 40-hex sha (an existing commit's sha
        makes that commit the pull request's: e.g. a release branch's commit); labels are created
        as needed. `base` is the branch it merges into (default: the default branch; merging into
        another branch leaves the default branch's history alone).
        """
        repo = self._repo(full_name)
        created = _utc(created_at or self.clock())
        issue = self._new_issue(repo, title=title, body=body, author=author, created=created)
        issue.is_pr = True
        issue.label_ids = _dedupe([self._ensure_label(repo, name).id for name in labels])
        issue.assignees = list(assignees)
        issue.head_sha = self._push(repo, head_sha)
        if issue.head_sha not in repo.commit_objects:
            self._record_commit(repo, issue.head_sha, title, author, created)
        issue.commit_oids = [issue.head_sha]
        repo.associations_version += 1
        issue.head_ref = head_ref or f"patch-{issue.number}"
        issue.base_ref = base if base is not None and base != repo.default_branch else None
        issue.files = list(files)
        issue.draft = draft
        return issue.number

    def edit_pull(
        self, full_name: str, number: int, *, at: datetime | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Change a pull request out of band: title, body, labels, assignees, head_sha (a push),
        draft, files. Bumps updated_at; returns the pull() view."""
        allowed = {"title", "body", "labels", "assignees", "head_sha", "draft", "files"}
        unknown = set(fields) - allowed
        if unknown:
            raise TypeError(
                f"edit_pull() got unexpected fields {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if "title" in fields:
            issue.title = fields["title"]
        if "body" in fields:
            issue.body = fields["body"] or None
        if "labels" in fields:
            issue.label_ids = _dedupe([self._ensure_label(repo, n).id for n in fields["labels"]])
        if "assignees" in fields:
            issue.assignees = list(fields["assignees"])
        if "head_sha" in fields:
            issue.head_sha = self._push(repo, fields["head_sha"])
            self._record_commit(repo, issue.head_sha, "Push", issue.author, _utc(at or self.clock()))
            issue.commit_oids.append(issue.head_sha)
            repo.associations_version += 1
        if "draft" in fields:
            issue.draft = bool(fields["draft"])
        if "files" in fields:
            issue.files = list(fields["files"])
        issue.updated_at = _utc(at or self.clock())
        return self._render_pull(repo, issue)

    def merge_pull(
        self,
        full_name: str,
        number: int,
        *,
        by: str,
        at: datetime | None = None,
        method: str = "merge",
        sha: str | None = None,
    ) -> dict[str, Any]:
        """Merge an open pull request: closed and merged by `by` at `at`; returns the pull() view.

        The default branch gains what the merge method puts there: "merge" the pull request's
        commits and a merge commit (two parents), "squash" one new commit, "rebase" a copy of
        each commit (the last copy is the merge sha). `sha` fixes the merge sha."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.state != "open":
            raise ValueError(f"{full_name}#{number} is not open, so it cannot be merged")
        if method not in ("merge", "squash", "rebase"):
            raise ValueError(f"merge method {method!r} is not merge, squash or rebase")
        now = _utc(at or self.clock())
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = "closed", None, now, by
        issue.merged_at, issue.merged_by, issue.merge_method = now, by, method
        title = f"{issue.title} (#{issue.number})"
        if issue.base_ref is not None:  # into another branch: the default branch does not change
            issue.merge_sha = self._push(repo, sha)
            self._record_commit(repo, issue.merge_sha, title, issue.author, now)
            repo.associations_version += 1
            issue.updated_at = now
            return self._render_pull(repo, issue)
        if method == "merge":
            repo.history.extend(issue.commit_oids)
            issue.merge_sha = self._push(repo, sha)
            message = f"Merge pull request #{issue.number} from {repo.owner}/{issue.head_ref}"
            self._record_commit(repo, issue.merge_sha, message, by, now, parents=2)
        elif method == "squash":
            issue.merge_sha = self._push(repo, sha)
            self._record_commit(repo, issue.merge_sha, title, issue.author, now)
        else:
            for i, oid in enumerate(issue.commit_oids):
                original = repo.commit_objects[oid]
                last = i == len(issue.commit_oids) - 1
                copy_sha = self._push(repo, sha if last else None)
                self._record_commit(repo, copy_sha, original.message, original.author, now)
                issue.merge_sha = copy_sha
                if not last:
                    repo.history.append(copy_sha)
        repo.history.append(issue.merge_sha)
        repo.associations_version += 1
        issue.updated_at = now
        return self._render_pull(repo, issue)

    def add_pull_commit(
        self,
        full_name: str,
        number: int,
        *,
        message: str = "More changes",
        author: str | None = None,
        parents: int = 1,
        sha: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """Push a commit to an open pull request's branch (it becomes the head); returns its sha.
        `parents=2` with a message like "Merge branch 'main' into ..." is a merge of the base."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        now = _utc(at or self.clock())
        issue.head_sha = self._push(repo, sha)
        self._record_commit(repo, issue.head_sha, message, author or issue.author, now, parents=parents)
        issue.commit_oids.append(issue.head_sha)
        repo.associations_version += 1
        issue.updated_at = now
        return issue.head_sha

    def push_commit(
        self,
        full_name: str,
        *,
        message: str = "Direct change",
        author: str | None,
        sha: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A commit pushed straight to the default branch (no pull request); returns its sha."""
        repo = self._repo(full_name)
        sha = self._push(repo, sha)
        self._record_commit(repo, sha, message, author, _utc(at or self.clock()))
        repo.history.append(sha)
        repo.associations_version += 1
        return sha

    def rewrite_history(self, full_name: str, keep: int) -> None:
        """A force-push that drops all but the first `keep` commits of the default branch."""
        repo = self._repo(full_name)
        del repo.history[keep:]
        repo.associations_version += 1

    def history(self, full_name: str) -> list[str]:
        """The default branch's commit shas, oldest first."""
        return list(self._repo(full_name).history)

    def _associated(self, repo: _Repo) -> dict[str, list[_Issue]]:
        """sha -> pull requests GitHub associates with the commit: merged ones whose commits, merge
        commit or rebased copies it is, then open ones holding it.

        Called for every commit a GraphQL answer resolves, so the index is built once per change of
        repo.associations_version (which every mutation that can move an association bumps) and
        each later call costs O(1): an audit of N commits stays O(N + pulls), not O(N x pulls)."""
        cached = self._association_cache.get(repo.id)
        if cached is not None and cached[0] == repo.associations_version:
            return cached[1]
        self.association_index_builds += 1
        pulls = [i for _, i in sorted(repo.issues.items()) if i.is_pr]
        index: dict[str, list[_Issue]] = {}
        position = {sha: i for i, sha in enumerate(repo.history)}
        for pull in pulls:
            if pull.merged_at is None:
                continue
            shas = [*pull.commit_oids, pull.merge_sha]
            if pull.merge_method == "rebase" and pull.merge_sha in position:
                end = position[pull.merge_sha]
                shas += repo.history[max(0, end - len(pull.commit_oids) + 1) : end + 1]
            for sha in dict.fromkeys(shas):
                if sha is not None:
                    index.setdefault(sha, []).append(pull)
        for pull in pulls:
            if pull.merged_at is None:
                for sha in pull.commit_oids:
                    index.setdefault(sha, []).append(pull)
        self._association_cache[repo.id] = (repo.associations_version, index)
        return index

    def _record_commit(
        self, repo: _Repo, sha: str, message: str, author: str | None, at: datetime, parents: int = 1
    ) -> None:
        repo.commit_objects[sha] = _Commit(sha, message, author, at, parents)

    def close_pull(
        self, full_name: str, number: int, *, by: str | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Close a pull request without merging it; returns the pull() view."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.state != "open":
            raise ValueError(f"{full_name}#{number} is already closed")
        now = _utc(at or self.clock())
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = (
            "closed",
            None,
            now,
            by or self.actor,
        )
        repo.associations_version += 1
        issue.updated_at = now
        return self._render_pull(repo, issue)

    def reopen_pull(
        self, full_name: str, number: int, *, by: str | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Reopen a closed, unmerged pull request (GitHub cannot reopen a merged one)."""
        del by  # GitHub records who reopened only in the timeline, which the fake does not model
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.merged_at is not None:
            raise ValueError(f"{full_name}#{number} is merged and cannot be reopened")
        if issue.state != "closed":
            raise ValueError(f"{full_name}#{number} is already open")
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = "open", None, None, None
        repo.associations_version += 1
        issue.updated_at = _utc(at or self.clock())
        return self._render_pull(repo, issue)

    def add_review(
        self,
        full_name: str,
        number: int,
        *,
        author: str,
        state: str,
        submitted_at: datetime | None = None,
        body: str = "",
    ) -> dict[str, Any]:
        """Submit a review (APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED) on the current head.

        Returns the review as the REST reviews endpoint renders it."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        state = state.upper()
        if state not in REVIEW_STATES:
            raise ValueError(f"review state {state!r} is not one of {REVIEW_STATES}")
        when = _utc(submitted_at or self.clock())
        review = _Review(next(self._ids["review"]), author, state, when, issue.head_sha, body)
        issue.reviews.append(review)
        issue.updated_at = max(issue.updated_at, when)
        return self._render_review(repo, issue, review)

    def pull(self, full_name: str, number: int) -> dict[str, Any]:
        """One pull request as GET /repos/{o}/{r}/pulls/{n} renders it (head.sha, merged, draft...)."""
        repo = self._repo(full_name)
        return self._render_pull(repo, self._pull_state(repo, number))

    def reviews(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Reviews of a pull request, oldest first, as the REST reviews endpoint renders them."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        return [self._render_review(repo, issue, r) for r in issue.reviews]

    def check_runs(self, full_name: str) -> list[dict[str, Any]]:
        """Check runs created in a repository, in creation order, as the REST API renders them
        (name, head_sha, status, conclusion, output: {title, summary, text}, ...)."""
        repo = self._repo(full_name)
        return [self._render_check_run(repo, run) for run in repo.check_runs]

    def _pull_state(self, repo: _Repo, number: int) -> _Issue:
        issue = repo.issues.get(int(number))
        if issue is None or not issue.is_pr:
            raise KeyError(f"{repo.full_name} has no pull request #{number}")
        return issue

    def _new_sha(self, repo: _Repo) -> str:
        """A fresh, deterministic 40-hex commit sha."""
        seed = f"{repo.full_name}:{next(self._ids['sha'])}"
        return hashlib.sha1(seed.encode()).hexdigest()

    def _push(self, repo: _Repo, sha: str | None) -> str:
        """Record a commit (generating its sha if not given) so check runs can be created for it."""
        sha = sha or self._new_sha(repo)
        if not re.fullmatch(r"[0-9a-f]{40}", sha):
            raise ValueError(f"not a 40-hex commit sha: {sha!r}")
        repo.commits.add(sha)
        return sha

    # ----------------------------------------------------------------- lookups & mutations

    def _repo(self, full_name: str) -> _Repo:
        """Helper-side repository lookup (KeyError on typos is what a test wants)."""
        return self._repos[full_name.lower()]

    @staticmethod
    def _issue(repo: _Repo, number: int | str) -> _Issue:
        issue = repo.issues.get(int(number))
        if issue is None:
            raise _not_found()
        return issue

    @staticmethod
    def _find_label(repo: _Repo, name: str) -> _Label | None:
        """Label names are case-insensitive on GitHub."""
        wanted = name.lower()
        return next((lb for lb in repo.labels.values() if lb.name.lower() == wanted), None)

    def _ensure_label(self, repo: _Repo, name: str) -> _Label:
        """Find a label or create it like GitHub does for unknown names (grey, no description)."""
        label = self._find_label(repo, name)
        if label is None:
            label = _Label(next(self._ids["label"]), name)
            repo.labels[label.id] = label
        return label

    def _new_issue(
        self, repo: _Repo, *, title: str, body: str | None, author: str, created: datetime
    ) -> _Issue:
        # GitHub stores an empty body as null.
        issue = _Issue(
            id=next(self._ids["issue"]),
            number=repo.next_number,
            title=title,
            body=body or None,
            author=author,
            created_at=created,
            updated_at=created,
        )
        repo.next_number += 1
        repo.issues[issue.number] = issue
        return issue

    def _new_comment(self, repo: _Repo, issue: _Issue, body: str, author: str, created: datetime) -> _Comment:
        comment = _Comment(next(self._ids["comment"]), issue.number, body, author, created, created)
        repo.comments[comment.id] = comment
        issue.comment_ids.append(comment.id)
        issue.timeline.append(("commented", comment.id))
        issue.updated_at = max(issue.updated_at, created)
        return comment

    def _relabel(self, repo: _Repo, issue: _Issue, label_ids: list[int], actor: str, at: datetime) -> None:
        """Set an issue's labels, recording a labeled/unlabeled timeline event per change, as GitHub does."""
        new = _dedupe(label_ids)
        for label_id in new:
            if label_id not in issue.label_ids:
                issue.timeline.append(
                    ("labeled", repo.labels[label_id].name, actor, at, next(self._ids["event"]))
                )
        for label_id in issue.label_ids:
            if label_id not in new and label_id in repo.labels:
                issue.timeline.append(
                    ("unlabeled", repo.labels[label_id].name, actor, at, next(self._ids["event"]))
                )
        issue.label_ids = new

    def _apply_state(
        self, issue: _Issue, state: str, reason: str | None, now: datetime, by: str | None = None
    ) -> None:
        """Open/close transitions with GitHub's closed_at/state_reason bookkeeping."""
        if state == "closed" and issue.state == "open":
            issue.state, issue.closed_at, issue.closed_by = "closed", now, by or self.actor
            issue.state_reason = reason or "completed"
        elif state == "open" and issue.state == "closed":
            issue.state, issue.closed_at, issue.closed_by = "open", None, None
            issue.state_reason = "reopened"
        elif reason is not None:
            issue.state_reason = reason
