"""The REST endpoints: the route table and the handlers for repositories, the user, issues,
comments, the timeline, labels, milestones and assignees, with GitHub's validation and paging."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from .dispatch import _HttpError, _not_found, _Req, _Resp, _Route
from .state import MAX_BODY, MAX_TITLE, _Comment, _Issue, _Label, _Repo, _sorted_labels, _utc, iso


def _validation_failed(resource: str, field_name: str, code: str, **extra: Any) -> _HttpError:
    error = {"resource": resource, "field": field_name, "code": code, **extra}
    return _HttpError(422, "Validation Failed", errors=[error])


def _missing_param(name: str) -> _HttpError:
    return _HttpError(422, f'Invalid request.\n\n"{name}" wasn\'t supplied.')


_SEG = r"([^/?#]+)"
_NUM = r"(\d+)"


class RestApi:
    """FakeGitHub's REST endpoints (a mixin of core.FakeGitHub; render.RestRendering shapes the
    answers)."""

    # ----------------------------------------------------------------- routes

    def _routes(self) -> list[_Route]:
        """The endpoint table; patterns are disjoint per method (responses pops on overlap)."""
        r = rf"/repos/{_SEG}/{_SEG}"
        return [
            _Route("GET", "/user", self._get_authenticated_user, repo_scoped=False),
            _Route("GET", r, self._get_repo),
            _Route("GET", rf"{r}/issues", self._list_issues),
            _Route("POST", rf"{r}/issues", self._create_issue),
            _Route("GET", rf"{r}/issues/{_NUM}", self._get_issue),
            _Route("PATCH", rf"{r}/issues/{_NUM}", self._update_issue),
            _Route("GET", rf"{r}/issues/{_NUM}/comments", self._list_comments),
            _Route("POST", rf"{r}/issues/{_NUM}/comments", self._create_comment),
            _Route("GET", rf"{r}/issues/comments/{_NUM}", self._get_comment),
            _Route("PATCH", rf"{r}/issues/comments/{_NUM}", self._update_comment),
            _Route("DELETE", rf"{r}/issues/comments/{_NUM}", self._delete_comment),
            _Route("GET", rf"{r}/issues/{_NUM}/timeline", self._list_timeline),
            _Route("GET", rf"{r}/issues/{_NUM}/labels", self._list_issue_labels),
            _Route("POST", rf"{r}/issues/{_NUM}/labels", self._add_issue_labels),
            _Route("PUT", rf"{r}/issues/{_NUM}/labels", self._set_issue_labels),
            _Route("DELETE", rf"{r}/issues/{_NUM}/labels", self._clear_issue_labels),
            _Route("DELETE", rf"{r}/issues/{_NUM}/labels/{_SEG}", self._remove_issue_label),
            _Route("GET", rf"{r}/labels", self._list_labels),
            _Route("POST", rf"{r}/labels", self._create_label),
            _Route("GET", rf"{r}/labels/{_SEG}", self._get_label),
            _Route("PATCH", rf"{r}/labels/{_SEG}", self._update_label),
            _Route("DELETE", rf"{r}/labels/{_SEG}", self._delete_label),
            _Route("GET", rf"{r}/milestones", self._list_milestones),
            _Route("GET", rf"{r}/milestones/{_NUM}", self._get_milestone),
            _Route("POST", rf"{r}/issues/{_NUM}/assignees", self._add_assignees),
            _Route("DELETE", rf"{r}/issues/{_NUM}/assignees", self._remove_assignees),
            _Route("GET", rf"{r}/assignees", self._list_assignees),
            _Route("GET", rf"{r}/assignees/{_SEG}", self._check_assignee),
            _Route("GET", rf"{r}/actions/workflows", self._list_workflows),
            _Route("GET", rf"{r}/actions/workflows/{_NUM}/runs", self._list_workflow_runs),
        ]

    # ----------------------------------------------------------------- validation

    def _assignable(self, repo: _Repo, login: str) -> str | None:
        """The canonical spelling of an assignable login, or None."""
        return repo.collaborators.get(str(login).lower())

    def _label_names(self, raw: Any, resource: str = "Issue") -> list[str]:
        """Accept labels as names or {"name": ...} objects, as the API does."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise _validation_failed(resource, "labels", "invalid")
        names = [item.get("name") if isinstance(item, dict) else item for item in raw]
        if not all(isinstance(n, str) and n.strip() for n in names):
            raise _validation_failed(resource, "labels", "invalid")
        return [n.strip() for n in names]

    def _validated_assignees(self, repo: _Repo, data: dict[str, Any]) -> list[str] | None:
        """Resolve assignees/assignee from a payload; None means "not given"."""
        if "assignees" in data:
            raw = data["assignees"] or []
        elif "assignee" in data:
            raw = [data["assignee"]] if data["assignee"] else []
        else:
            return None
        if not isinstance(raw, list):
            raise _validation_failed("Issue", "assignees", "invalid", value=raw)
        resolved = []
        for login in raw:
            canonical = self._assignable(repo, login)
            if canonical is None:
                raise _validation_failed("Issue", "assignees", "invalid", value=login)
            if canonical not in resolved:
                resolved.append(canonical)
        return resolved

    @staticmethod
    def _validated_milestone(repo: _Repo, data: dict[str, Any]) -> tuple[bool, int | None]:
        """(given, number) for the milestone field; unknown numbers are a 422."""
        if "milestone" not in data:
            return False, None
        raw = data["milestone"]
        if raw is None:
            return True, None
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise _validation_failed("Issue", "milestone", "invalid", value=raw) from None
        if number not in repo.milestones:
            raise _validation_failed("Issue", "milestone", "invalid", value=raw)
        return True, number

    @staticmethod
    def _validate_text(resource: str, title: Any = None, body: Any = None) -> None:
        """Enforce GitHub's length limits on titles and bodies."""
        for name, value, limit in (("title", title, MAX_TITLE), ("body", body, MAX_BODY)):
            if value is not None and len(str(value)) > limit:
                message = f"{name} is too long (maximum is {limit} characters)"
                raise _validation_failed(resource, name, "custom", message=message)

    @staticmethod
    def _object_body(req: _Req) -> dict[str, Any]:
        """The JSON object a write endpoint expects (empty if no body was sent)."""
        if req.json is None:
            return {}
        if not isinstance(req.json, dict):
            raise _HttpError(400, "Problems parsing JSON")
        return req.json

    def _require_issues(self, repo: _Repo) -> None:
        if not repo.has_issues:
            raise _HttpError(410, "Issues are disabled for this repo")

    # ----------------------------------------------------------------- pagination

    def _paginate(self, req: _Req, items: list[Any], render: Callable[[Any], Any]) -> _Resp:
        """Slice `items` by page/per_page and emit GitHub's Link header."""
        per_page = _int_param(req.query.get("per_page"), 30)
        per_page = 30 if per_page < 1 else min(per_page, 100)
        page = max(1, _int_param(req.query.get("page"), 1))
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        link = _link_header(req, page, last)
        if link:
            headers["Link"] = link
        return 200, headers, [render(item) for item in chunk]

    # ----------------------------------------------------------------- REST handlers: repo

    def _get_authenticated_user(self, req: _Req) -> _Resp:
        # Like GitHub: an installation token (the Actions GITHUB_TOKEN, an App) has no user.
        if self.actor.endswith("[bot]"):
            raise _HttpError(403, "Resource not accessible by integration")
        headers = {"X-OAuth-Scopes": self.oauth_scopes} if self.oauth_scopes is not None else {}
        return 200, headers, self._user(self.actor)

    def _get_repo(self, req: _Req, repo: _Repo) -> _Resp:
        rendered = self._render_repo(repo)
        if repo.full_name.lower() in self.repo_permissions:
            rendered["permissions"] = self.repo_permissions[repo.full_name.lower()]
        return 200, {}, rendered

    def _list_workflows(self, req: _Req, repo: _Repo) -> _Resp:
        found = [
            {k: v for k, v in w.items() if k != "runs"}
            for w in self.workflows.get(repo.full_name.lower(), [])
        ]
        return 200, {}, {"total_count": len(found), "workflows": found}

    def _list_workflow_runs(self, req: _Req, repo: _Repo, workflow_id: str) -> _Resp:
        workflow = next(
            (w for w in self.workflows.get(repo.full_name.lower(), []) if str(w["id"]) == workflow_id), None
        )
        if workflow is None:
            raise _not_found()
        runs = workflow["runs"] if req.query.get("event") in (None, "schedule") else []
        shown = runs[: _int_param(req.query.get("per_page"), 30)]
        rendered = [
            {
                "id": 30433642 + n,
                "workflow_id": workflow["id"],
                "event": "schedule",
                "status": "completed",
                "conclusion": "success",
                "created_at": iso(at),
                "run_started_at": iso(at),
                "html_url": f"https://github.com/{repo.full_name}/actions/runs/{30433642 + n}",
            }
            for n, at in enumerate(shown)
        ]
        return 200, {}, {"total_count": len(runs), "workflow_runs": rendered}

    def _list_assignees(self, req: _Req, repo: _Repo) -> _Resp:
        logins = sorted(repo.collaborators.values(), key=str.lower)
        return self._paginate(req, logins, self._user)

    def _check_assignee(self, req: _Req, repo: _Repo, login: str) -> _Resp:
        if self._assignable(repo, login) is None:
            raise _not_found()
        return 204, {}, None

    def _assignees_payload(self, req: _Req) -> list[str]:
        raw = self._object_body(req).get("assignees", [])
        if not isinstance(raw, list):
            raise _validation_failed("Issue", "assignees", "invalid", value=raw)
        return [str(login) for login in raw]

    def _add_assignees(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        """Add assignees; like GitHub, logins that cannot be assigned are silently ignored."""
        issue = self._issue(repo, number)
        current = {login.lower() for login in issue.assignees}
        for login in self._assignees_payload(req):
            canonical = self._assignable(repo, login)
            if canonical is not None and canonical.lower() not in current:
                issue.assignees.append(canonical)
                current.add(canonical.lower())
        issue.updated_at = _utc(self.clock())
        return 201, {}, self._render_issue(repo, issue, full=True)

    def _remove_assignees(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        gone = {login.lower() for login in self._assignees_payload(req)}
        issue.assignees = [login for login in issue.assignees if login.lower() not in gone]
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._render_issue(repo, issue, full=True)

    # ----------------------------------------------------------------- REST handlers: issues

    def _list_issues(self, req: _Req, repo: _Repo) -> _Resp:
        self._require_issues(repo)
        items = _filter_issues(repo, req.query)
        return self._paginate(req, items, functools.partial(self._render_issue, repo))

    def _get_issue(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        self._require_issues(repo)
        return 200, {}, self._render_issue(repo, self._issue(repo, number), full=True)

    def _create_issue(self, req: _Req, repo: _Repo) -> _Resp:
        self._require_issues(repo)
        data = self._object_body(req)
        if data.get("title") is None:
            raise _missing_param("title")
        title = str(data["title"])
        if not title.strip():
            raise _validation_failed("Issue", "title", "missing_field")
        body = data.get("body")
        self._validate_text("Issue", title, body)
        # Validate everything before mutating, so a 422 leaves no half-created labels behind.
        label_names = self._label_names(data.get("labels"))
        assignees = self._validated_assignees(repo, data) or []
        _, milestone = self._validated_milestone(repo, data)
        issue = self._new_issue(repo, title=title, body=body, author=self.actor, created=_utc(self.clock()))
        self._relabel(
            repo, issue, [self._ensure_label(repo, n).id for n in label_names], self.actor, issue.created_at
        )
        issue.assignees = assignees
        issue.milestone = milestone
        rendered = self._render_issue(repo, issue, full=True)
        return 201, {"Location": rendered["url"]}, rendered

    def _update_issue(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        self._require_issues(repo)
        issue = self._issue(repo, number)
        data = self._object_body(req)
        if "title" in data and (data["title"] is None or not str(data["title"]).strip()):
            raise _validation_failed("Issue", "title", "missing_field")
        self._validate_text("Issue", data.get("title"), data.get("body"))
        state = data.get("state", issue.state)
        if state not in ("open", "closed"):
            raise _validation_failed("Issue", "state", "invalid", value=state)
        reason = data.get("state_reason")
        if reason not in (None, "completed", "not_planned", "reopened", "duplicate"):
            raise _validation_failed("Issue", "state_reason", "invalid", value=reason)
        label_names = self._label_names(data["labels"]) if "labels" in data else None
        assignees = self._validated_assignees(repo, data)
        milestone_given, milestone = self._validated_milestone(repo, data)
        now = _utc(self.clock())
        if "title" in data:
            issue.title = str(data["title"])
        if "body" in data:
            issue.body = data["body"] or None
        if label_names is not None:
            self._relabel(repo, issue, [self._ensure_label(repo, n).id for n in label_names], self.actor, now)
        if assignees is not None:
            issue.assignees = assignees
        if milestone_given:
            issue.milestone = milestone
        self._apply_state(issue, state, reason, now)
        issue.updated_at = now
        return 200, {}, self._render_issue(repo, issue, full=True)

    # ----------------------------------------------------------------- REST handlers: comments

    def _list_comments(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        comments = [repo.comments[c] for c in issue.comment_ids]
        if "since" in req.query:
            since = _parse_since(req.query["since"])
            comments = [c for c in comments if c.updated_at >= since]
        return self._paginate(req, comments, functools.partial(self._render_comment, repo))

    def _list_timeline(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        items = [e for e in issue.timeline if e[0] != "commented" or e[1] in repo.comments]
        return self._paginate(req, items, functools.partial(self._render_timeline_event, repo, issue))

    def _create_comment(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        data = self._object_body(req)
        if data.get("body") is None:
            raise _missing_param("body")
        body = str(data["body"])
        if not body.strip():
            raise _validation_failed("IssueComment", "body", "missing_field")
        self._validate_text("IssueComment", body=body)
        comment = self._new_comment(repo, issue, body, self.actor, _utc(self.clock()))
        rendered = self._render_comment(repo, comment)
        return 201, {"Location": rendered["url"]}, rendered

    def _comment(self, repo: _Repo, comment_id: str) -> _Comment:
        comment = repo.comments.get(int(comment_id))
        if comment is None:
            raise _not_found()
        return comment

    def _get_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        return 200, {}, self._render_comment(repo, self._comment(repo, comment_id))

    def _update_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        comment = self._comment(repo, comment_id)
        data = self._object_body(req)
        if data.get("body") is None:
            raise _missing_param("body")
        self._validate_text("IssueComment", body=data["body"])
        comment.body = str(data["body"])
        comment.updated_at = _utc(self.clock())
        return 200, {}, self._render_comment(repo, comment)

    def _delete_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        comment = self._comment(repo, comment_id)
        del repo.comments[comment.id]
        repo.issues[comment.issue_number].comment_ids.remove(comment.id)
        return 204, {}, None

    # ----------------------------------------------------------------- REST handlers: labels

    def _labels_payload(self, req: _Req) -> list[str]:
        """POST/PUT issue labels accept either a bare list or {"labels": [...]}."""
        raw = req.json.get("labels") if isinstance(req.json, dict) else req.json
        return self._label_names(raw, "Label")

    def _list_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        labels = _sorted_labels(repo.labels[i] for i in issue.label_ids)
        return self._paginate(req, labels, functools.partial(self._render_label, repo))

    def _add_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        names = self._labels_payload(req)
        ids = [self._ensure_label(repo, n).id for n in names]
        self._relabel(repo, issue, issue.label_ids + ids, self.actor, _utc(self.clock()))
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _set_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        names = self._labels_payload(req)
        self._relabel(
            repo, issue, [self._ensure_label(repo, n).id for n in names], self.actor, _utc(self.clock())
        )
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _clear_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        self._relabel(repo, issue, [], self.actor, _utc(self.clock()))
        issue.updated_at = _utc(self.clock())
        return 204, {}, None

    def _remove_issue_label(self, req: _Req, repo: _Repo, number: str, name: str) -> _Resp:
        issue = self._issue(repo, number)
        label = self._find_label(repo, name)
        if label is None or label.id not in issue.label_ids:
            raise _HttpError(404, "Label does not exist")
        self._relabel(
            repo, issue, [i for i in issue.label_ids if i != label.id], self.actor, _utc(self.clock())
        )
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _list_labels(self, req: _Req, repo: _Repo) -> _Resp:
        labels = _sorted_labels(repo.labels.values())
        return self._paginate(req, labels, functools.partial(self._render_label, repo))

    def _get_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        return 200, {}, self._render_label(repo, label)

    def _create_label(self, req: _Req, repo: _Repo) -> _Resp:
        data = self._object_body(req)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _missing_param("name")
        if self._find_label(repo, name) is not None:
            raise _validation_failed("Label", "name", "already_exists")
        color = _validated_color(data.get("color", "ededed"))
        label = _Label(next(self._ids["label"]), name, color, data.get("description"))
        repo.labels[label.id] = label
        rendered = self._render_label(repo, label)
        return 201, {"Location": rendered["url"]}, rendered

    def _update_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        data = self._object_body(req)
        new_name = data.get("new_name", data.get("name"))
        if new_name is not None:
            clash = self._find_label(repo, new_name)
            if clash is not None and clash is not label:
                raise _validation_failed("Label", "name", "already_exists")
            label.name = new_name
        if "color" in data:
            label.color = _validated_color(data["color"])
        if "description" in data:
            label.description = data["description"]
        return 200, {}, self._render_label(repo, label)

    def _delete_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        del repo.labels[label.id]
        for issue in repo.issues.values():
            if label.id in issue.label_ids:
                issue.label_ids.remove(label.id)
        return 204, {}, None

    # ----------------------------------------------------------------- REST handlers: milestones

    def _list_milestones(self, req: _Req, repo: _Repo) -> _Resp:
        state = req.query.get("state", "open")
        if state not in ("open", "closed", "all"):
            raise _validation_failed("Milestone", "state", "invalid", value=state)
        items = [m for m in repo.milestones.values() if state in ("all", m.state)]
        sort = req.query.get("sort", "due_on")
        if sort == "due_on":
            # GitHub lists milestones without a due date after dated ones.
            items.sort(key=lambda m: (m.due_on is None, m.due_on or m.created_at, m.number))
        else:
            items.sort(key=lambda m: m.number)
        if req.query.get("direction", "asc") == "desc":
            items.reverse()
        return self._paginate(req, items, functools.partial(self._render_milestone, repo))

    def _get_milestone(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        milestone = repo.milestones.get(int(number))
        if milestone is None:
            raise _not_found()
        return 200, {}, self._render_milestone(repo, milestone)


# --------------------------------------------------------------------------- module helpers


def _int_param(raw: str | None, default: int) -> int:
    """Parse an integer query parameter, falling back like GitHub does on garbage."""
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def _link_header(req: _Req, page: int, last: int) -> str:
    """GitHub's Link header: prev, next, last, first — absolute URLs keeping other params."""
    rels: list[tuple[str, int]] = []
    if page > 1:
        rels.append(("prev", page - 1))
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    if page > 1:
        rels.append(("first", 1))
    base = urlsplit(req.url)
    links = []
    for rel, number in rels:
        pairs = [(k, v) for k, v in req.query_pairs if k != "page"] + [("page", str(number))]
        url = urlunsplit((base.scheme, base.netloc, base.path, urlencode(pairs), ""))
        links.append(f'<{url}>; rel="{rel}"')
    return ", ".join(links)


def _filter_issues(repo: _Repo, query: dict[str, str]) -> list[_Issue]:
    """Apply the list-issues query parameters: state, creator, labels, assignee, milestone..."""
    state = query.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise _validation_failed("Issue", "state", "invalid", value=state)
    items = [i for i in repo.issues.values() if state in ("all", i.state)]
    if creator := query.get("creator"):
        items = [i for i in items if i.author == creator]
    if labels := query.get("labels"):
        wanted = {n.strip().lower() for n in labels.split(",") if n.strip()}
        items = [i for i in items if wanted <= {repo.labels[x].name.lower() for x in i.label_ids}]
    if assignee := query.get("assignee"):
        items = [i for i in items if _assignee_matches(i, assignee)]
    if milestone := query.get("milestone"):
        items = [i for i in items if _milestone_matches(i, milestone)]
    if since := query.get("since"):
        cutoff = _parse_since(since)
        items = [i for i in items if i.updated_at >= cutoff]
    return _sorted_issues(items, query.get("sort", "created"), query.get("direction", "desc"))


def _sorted_issues(items: list[_Issue], sort: str, direction: str) -> list[_Issue]:
    """Order by created/updated/comments, ties broken by number so pages are stable."""
    keys: dict[str, Callable[[_Issue], Any]] = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comment_ids), i.number),
    }
    if sort not in keys:
        raise _validation_failed("Issue", "sort", "invalid", value=sort)
    if direction not in ("asc", "desc"):
        raise _validation_failed("Issue", "direction", "invalid", value=direction)
    return sorted(items, key=keys[sort], reverse=direction == "desc")


def _assignee_matches(issue: _Issue, wanted: str) -> bool:
    if wanted == "*":
        return bool(issue.assignees)
    if wanted == "none":
        return not issue.assignees
    return wanted.lower() in (a.lower() for a in issue.assignees)


def _milestone_matches(issue: _Issue, wanted: str) -> bool:
    if wanted == "*":
        return issue.milestone is not None
    if wanted == "none":
        return issue.milestone is None
    return str(issue.milestone) == wanted


def _parse_since(raw: str) -> datetime:
    try:
        return _utc(datetime.fromisoformat(raw))
    except ValueError:
        raise _validation_failed("Issue", "since", "invalid", value=raw) from None


def _validated_color(raw: Any) -> str:
    """Six hex digits without '#', as the labels API requires."""
    color = str(raw)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
        raise _validation_failed("Label", "color", "invalid", value=raw)
    return color.lower()
