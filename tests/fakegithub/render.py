"""REST rendering: the JSON objects GitHub's REST API returns (users, repositories, issues, pull
requests, labels, comments, reviews, check runs...), built on the real webhook payloads' shapes."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote, urlsplit

from .state import (
    _CheckRun,
    _Comment,
    _Issue,
    _Label,
    _Milestone,
    _node_id,
    _Repo,
    _Review,
    _sorted_labels,
    _user_id,
    iso,
)

# The template payload's own identity, rewritten away when deriving new objects from it.
_TPL_API_USER = "https://api.github.com/users/Codertocat"


class RestRendering:
    """FakeGitHub's REST object shapes (a mixin of core.FakeGitHub), derived from the webhook
    fixtures' issue, repository and pull request."""

    # ----------------------------------------------------------------- rendering

    def _user(self, login: str) -> dict[str, Any]:
        """A user object derived from the fixture's user, with identity fields replaced."""
        user = copy.deepcopy(self._tpl_issue["user"])
        uid = _user_id(login)
        is_bot = login.endswith("[bot]")
        api_user = f"{self.api_url}/users/{quote(login)}"
        for key, value in user.items():
            if isinstance(value, str) and value.startswith(_TPL_API_USER):
                user[key] = api_user + value[len(_TPL_API_USER) :]
        html = f"{self.web_url}/apps/{login[: -len('[bot]')]}" if is_bot else f"{self.web_url}/{login}"
        user.update(
            login=login,
            id=uid,
            node_id=_node_id("Bot" if is_bot else "User", uid),
            avatar_url=f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            url=api_user,
            html_url=html,
            type="Bot" if is_bot else "User",
            site_admin=False,
        )
        return user

    def _render_repo(self, repo: _Repo) -> dict[str, Any]:
        """Repository object derived from the fixture's repository."""
        tpl_api = "https://api.github.com/repos/Codertocat/Hello-World"
        api = f"{self.api_url}/repos/{repo.full_name}"
        web = f"{self.web_url}/{repo.full_name}"
        host = urlsplit(self.web_url).netloc
        out = copy.deepcopy(self._tpl_repo)
        for key, value in out.items():
            if isinstance(value, str):
                value = value.replace(tpl_api, api).replace(
                    "github.com/Codertocat/Hello-World", f"{host}/{repo.full_name}"
                )
                out[key] = value.replace("github.com:Codertocat/Hello-World", f"{host}:{repo.full_name}")
        open_count = sum(1 for i in repo.issues.values() if i.state == "open")
        out.update(
            id=repo.id,
            node_id=_node_id("Repository", repo.id),
            name=repo.name,
            full_name=repo.full_name,
            owner=self._account(repo.owner),
            private=repo.private,
            visibility="private" if repo.private else "public",
            archived=repo.archived,
            has_issues=repo.has_issues,
            default_branch=repo.default_branch,
            html_url=web,
            url=api,
            open_issues_count=open_count,
            open_issues=open_count,
        )
        return out

    def _account(self, login: str) -> dict[str, Any]:
        """A repository owner: an organization if seeded as one (add_organization), else a user."""
        account = self._user(login)
        if login.lower() in self.organizations:
            uid = account["id"]
            account.update(type="Organization", node_id=_node_id("Organization", uid))
        return account

    def _render_label(self, repo: _Repo, label: _Label) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": _node_id("Label", label.id),
            "url": f"{self.api_url}/repos/{repo.full_name}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def _render_milestone(self, repo: _Repo, milestone: _Milestone) -> dict[str, Any]:
        out = copy.deepcopy(self._tpl_issue["milestone"])
        api = f"{self.api_url}/repos/{repo.full_name}/milestones/{milestone.number}"
        counts = [i.state for i in repo.issues.values() if i.milestone == milestone.number]
        out.update(
            url=api,
            html_url=f"{self.web_url}/{repo.full_name}/milestone/{milestone.number}",
            labels_url=f"{api}/labels",
            id=milestone.id,
            node_id=_node_id("Milestone", milestone.id),
            number=milestone.number,
            title=milestone.title,
            description=milestone.description,
            creator=self._user(milestone.creator),
            open_issues=counts.count("open"),
            closed_issues=counts.count("closed"),
            state=milestone.state,
            created_at=iso(milestone.created_at),
            updated_at=iso(milestone.closed_at or milestone.created_at),
            due_on=iso(milestone.due_on),
            closed_at=iso(milestone.closed_at),
        )
        return out

    def _issue_labels(self, repo: _Repo, issue: _Issue) -> list[dict[str, Any]]:
        labels = _sorted_labels(repo.labels[i] for i in issue.label_ids)
        return [self._render_label(repo, label) for label in labels]

    def _render_issue(self, repo: _Repo, issue: _Issue, full: bool = False) -> dict[str, Any]:
        """Issue object as the list endpoint returns it; `full` adds single-issue-only keys."""
        out = copy.deepcopy(self._tpl_issue)
        repo_api = f"{self.api_url}/repos/{repo.full_name}"
        api = f"{repo_api}/issues/{issue.number}"
        kind = "pull" if issue.is_pr else "issues"
        out.update(
            url=api,
            repository_url=repo_api,
            labels_url=f"{api}/labels{{/name}}",
            comments_url=f"{api}/comments",
            events_url=f"{api}/events",
            html_url=f"{self.web_url}/{repo.full_name}/{kind}/{issue.number}",
            id=issue.id,
            node_id=_node_id("PullRequest" if issue.is_pr else "Issue", issue.id),
            number=issue.number,
            title=issue.title,
            user=self._user(issue.author),
            labels=self._issue_labels(repo, issue),
            state=issue.state,
            state_reason=issue.state_reason,
            locked=issue.locked,
            assignee=self._user(issue.assignees[0]) if issue.assignees else None,
            assignees=[self._user(login) for login in issue.assignees],
            milestone=self._milestone_of(repo, issue),
            comments=len(issue.comment_ids),
            created_at=iso(issue.created_at),
            updated_at=iso(issue.updated_at),
            closed_at=iso(issue.closed_at),
            author_association=_association(repo, issue.author),
            active_lock_reason=None,
            body=issue.body,
            timeline_url=f"{api}/timeline",
            performed_via_github_app=None,
        )
        out["reactions"]["url"] = f"{api}/reactions"
        out.pop("draft", None)  # only pull requests carry "draft"
        if issue.is_pr:
            out["draft"] = issue.draft
            out["pull_request"] = self._pr_links(repo, issue)
        if full:
            out["closed_by"] = self._user(issue.closed_by) if issue.closed_by else None
        return out

    def _milestone_of(self, repo: _Repo, issue: _Issue) -> dict[str, Any] | None:
        if issue.milestone is None or issue.milestone not in repo.milestones:
            return None
        return self._render_milestone(repo, repo.milestones[issue.milestone])

    def _pr_links(self, repo: _Repo, issue: _Issue) -> dict[str, Any]:
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
        return {
            "url": f"{self.api_url}/repos/{repo.full_name}/pulls/{issue.number}",
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": iso(issue.merged_at),
        }

    def _render_pull(self, repo: _Repo, issue: _Issue) -> dict[str, Any]:
        """Pull request object as GET /repos/{o}/{r}/pulls/{n} returns it, from the real payload."""
        out = copy.deepcopy(self._tpl_pull)
        repo_api = f"{self.api_url}/repos/{repo.full_name}"
        api = f"{repo_api}/pulls/{issue.number}"
        issue_api = f"{repo_api}/issues/{issue.number}"
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
        statuses = f"{repo_api}/statuses/{issue.head_sha}"
        rendered_repo = self._render_repo(repo)
        links = {
            "self": api,
            "html": web,
            "issue": issue_api,
            "comments": f"{issue_api}/comments",
            "review_comments": f"{api}/comments",
            "review_comment": f"{repo_api}/pulls/comments{{/number}}",
            "commits": f"{api}/commits",
            "statuses": statuses,
        }
        out.update(
            url=api,
            id=issue.id,
            node_id=_node_id("PullRequest", issue.id),
            html_url=web,
            diff_url=f"{web}.diff",
            patch_url=f"{web}.patch",
            issue_url=issue_api,
            number=issue.number,
            state=issue.state,
            locked=issue.locked,
            title=issue.title,
            user=self._user(issue.author),
            body=issue.body,
            created_at=iso(issue.created_at),
            updated_at=iso(issue.updated_at),
            closed_at=iso(issue.closed_at),
            merged_at=iso(issue.merged_at),
            merge_commit_sha=issue.merge_sha,
            assignee=self._user(issue.assignees[0]) if issue.assignees else None,
            assignees=[self._user(login) for login in issue.assignees],
            requested_reviewers=[],
            requested_teams=[],
            labels=self._issue_labels(repo, issue),
            milestone=self._milestone_of(repo, issue),
            draft=issue.draft,
            commits_url=links["commits"],
            review_comments_url=links["review_comments"],
            review_comment_url=links["review_comment"],
            comments_url=links["comments"],
            statuses_url=statuses,
            head={
                "label": f"{issue.author}:{issue.head_ref}",
                "ref": issue.head_ref,
                "sha": issue.head_sha,
                "user": self._user(issue.author),
                "repo": rendered_repo,
            },
            base={
                "label": f"{repo.owner}:{issue.base_ref or repo.default_branch}",
                "ref": issue.base_ref or repo.default_branch,
                "sha": out["base"]["sha"],
                "user": self._user(repo.owner),
                "repo": rendered_repo,
            },
            _links={rel: {"href": href} for rel, href in links.items()},
            author_association=_association(repo, issue.author),
            merged=issue.merged_at is not None,
            mergeable=None,
            rebaseable=None,
            mergeable_state="unknown",
            merged_by=self._user(issue.merged_by) if issue.merged_by else None,
            comments=len(issue.comment_ids),
            review_comments=0,
            commits=1,
            additions=0,
            deletions=0,
            changed_files=len(issue.files),
        )
        return out

    def _render_review(self, repo: _Repo, issue: _Issue, review: _Review) -> dict[str, Any]:
        """A review as GET /repos/{o}/{r}/pulls/{n}/reviews renders it (state upper-case)."""
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}#pullrequestreview-{review.id}"
        api = f"{self.api_url}/repos/{repo.full_name}/pulls/{issue.number}"
        return {
            "id": review.id,
            "node_id": _node_id("PullRequestReview", review.id),
            "user": self._user(review.author),
            "body": review.body,
            "state": review.state,
            "html_url": web,
            "pull_request_url": api,
            "author_association": _association(repo, review.author),
            "_links": {"html": {"href": web}, "pull_request": {"href": api}},
            "submitted_at": iso(review.submitted_at),
            "commit_id": review.commit_id,
        }

    def _render_check_run(self, repo: _Repo, run: _CheckRun) -> dict[str, Any]:
        """A check run as the REST checks API renders it (status/conclusion lower-case)."""
        return {
            "id": run.id,
            "node_id": _node_id("CheckRun", run.id),
            "name": run.name,
            "head_sha": run.head_sha,
            "external_id": run.external_id,
            "url": f"{self.api_url}/repos/{repo.full_name}/check-runs/{run.id}",
            "html_url": f"{self.web_url}/{repo.full_name}/runs/{run.id}",
            "details_url": run.details_url,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at),
            "completed_at": iso(run.completed_at),
            "output": {"title": run.title, "summary": run.summary, "text": run.text},
            "app": {"slug": run.app.removesuffix("[bot]")},
        }

    def _comment_html_url(self, repo: _Repo, comment: _Comment) -> str:
        issue = repo.issues.get(comment.issue_number)
        kind = "pull" if issue is not None and issue.is_pr else "issues"
        return f"{self.web_url}/{repo.full_name}/{kind}/{comment.issue_number}#issuecomment-{comment.id}"

    def _render_comment(self, repo: _Repo, comment: _Comment) -> dict[str, Any]:
        """Issue comment with the keys of the real issue_comment payload."""
        api = f"{self.api_url}/repos/{repo.full_name}/issues"
        reactions = dict(self._tpl_issue["reactions"], url=f"{api}/comments/{comment.id}/reactions")
        return {
            "url": f"{api}/comments/{comment.id}",
            "html_url": self._comment_html_url(repo, comment),
            "issue_url": f"{api}/{comment.issue_number}",
            "id": comment.id,
            "node_id": _node_id("IssueComment", comment.id),
            "user": self._user(comment.author),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": _association(repo, comment.author),
            "body": comment.body,
            "reactions": reactions,
            "performed_via_github_app": None,
        }

    def _render_timeline_event(self, repo: _Repo, issue: _Issue, event: tuple[Any, ...]) -> dict[str, Any]:
        if event[0] == "commented":
            comment = repo.comments[event[1]]
            return {
                **self._render_comment(repo, comment),
                "event": "commented",
                "actor": self._user(comment.author),
            }
        kind, name, actor, at, event_id = event
        label = self._find_label(repo, name)
        return {
            "id": event_id,
            "node_id": _node_id("LabeledEvent" if kind == "labeled" else "UnlabeledEvent", event_id),
            "url": f"{self.api_url}/repos/{repo.full_name}/issues/events/{event_id}",
            "actor": self._user(actor),
            "event": kind,
            "commit_id": None,
            "commit_url": None,
            "created_at": iso(at),
            "label": {"name": name, "color": label.color if label else "ededed"},
            "performed_via_github_app": None,
        }


def _association(repo: _Repo, login: str) -> str:
    """author_association as GitHub computes it, reduced to owner/collaborator/none."""
    if login.lower() == repo.owner.lower():
        return "OWNER"
    if login.lower() in repo.collaborators and not login.endswith("[bot]"):
        return "COLLABORATOR"
    return "NONE"
