"""`gh-ops doctor`: a repository's setup checked and printed as a checklist, each line ok or a problem
with its fix. Reads only: the config, the token's account and permissions, the labels the
capabilities use, the repositories that must be private, and whether the workflow that runs gh-ops
is active and ran on schedule (and what it missed, with the backfill). With --issue it keeps one
"gh-ops health" issue open while something is wrong (at most two writes)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gh_ops.context import Run, say
from gh_ops.dates import duration_text
from gh_ops.errors import EXIT_POLICY, ConfigError, GitHubError
from gh_ops.options import READ_ONLY_NOW_HELP, global_options, write_budget_option

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.github import GitHub
    from gh_ops.models import Issue

WORKFLOW_PATH = ".github/workflows/gh-ops.yml"
# GitHub starts a scheduled run late under load: a run this much later than its cadence is still fine.
SCHEDULE_GRACE = timedelta(hours=1)

# What one doctor run has read, so that each thing is read once however many checks use it.
_READ: weakref.WeakKeyDictionary[GitHub, dict[str, Any]] = weakref.WeakKeyDictionary()


def _login(gh: GitHub) -> str | None:
    """The token's account (GET /user, once a run); None for an installation token."""
    read = _READ.setdefault(gh, {})
    if "login" not in read:
        read["login"] = gh.authenticated_login()
    login = read["login"]
    assert login is None or isinstance(login, str)
    return login


def _repository(gh: GitHub, repo: str) -> dict[str, Any]:
    """GET /repos/{repo}, once a run."""
    read = _READ.setdefault(gh, {})
    key = "repo:" + repo.casefold()
    if key not in read:
        read[key] = gh.get_repository(repo)
    found = read[key]
    assert isinstance(found, dict)
    return found


# `doctor --issue`: the one issue that stays open while something is wrong, found by its label (one
# read, however many issues the repository has) and the marker at the start of its body.
HEALTH_TITLE = "gh-ops health"
HEALTH_LABEL = "gh-ops:health"
HEALTH_KIND = "health"
HEALTH_CLOSED_KIND = "health-closed"  # the comment that says all is well, once


@dataclass(frozen=True)
class Finding:
    """One line of the checklist."""

    ok: bool
    what: str
    fix: str = ""
    untrusted_token: bool = False  # what this token writes, the next run would not find

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'problem'}: {self.what}" + (f" Fix: {self.fix}" if self.fix else "")


def doctor_command() -> click.Command:
    @click.command("doctor")
    @global_options(
        helps={
            "--now": READ_ONLY_NOW_HELP,
            "--dry-run": "With --issue: open, edit or close no issue; print what it would do.",
        }
    )
    @write_budget_option
    @click.option(
        "--issue",
        "keep_issue",
        is_flag=True,
        help=f"Keep one {HEALTH_TITLE!r} issue open while something is wrong (edited in place, "
        "closed when all is well). For the workflow's schedule.",
    )
    @click.pass_obj
    def doctor(run: Run, keep_issue: bool) -> None:
        """Check a repository's gh-ops setup; print a checklist, each problem with its fix.

        \b
        Reads only, unless --issue. Checks: the config is valid; the token's account is trusted
        (bot / trusted_authors); the labels the capabilities use exist; the workflow that runs
        gh-ops (.github/workflows/gh-ops.yml, else a workflow file here that runs gh-ops) is
        active and its last scheduled run is no older than its schedule, and what a disabled or
        late schedule missed, with the command that backfills it; the people repository is
        private; the token and the workflow's permissions: allow what the capabilities need.
        Exit 1 on any problem.
        """
        repo = run.repo()
        assert repo is not None
        findings = check_setup(run, repo)
        for finding in findings:
            say(str(finding))
        problems = sum(not f.ok for f in findings)
        try:
            if keep_issue:
                keep_health_issue(run, repo, findings)
        finally:
            run.report_requests()
        if problems:
            say(f"{problems} problem(s)")
            click.get_current_context().exit(EXIT_POLICY)
        say("all well")

    return doctor


def check_setup(run: Run, repo: str) -> list[Finding]:
    try:
        config = run.load_config()
    except ConfigError as exc:
        return [
            Finding(
                False, "the config is not valid: " + "; ".join(exc.lines()), "correct it (gh-ops validate)"
            )
        ]
    findings = [Finding(True, f"the config {config.path} is valid")]
    gh = run.github()
    now = run.now(config)
    checks = (
        token_account,
        labels_exist,
        workflow_active,
        repositories_private,
        token_permissions,
        workflow_permissions,
    )
    for check in checks:
        try:
            findings += check(gh, config, repo, now)
        except GitHubError as exc:
            findings.append(
                Finding(False, f"could not check {check.__name__.replace('_', ' ')}: {exc.message}")
            )
    return findings


def token_account(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    if not gh.has_token:
        return [Finding(False, "no token", "set GITHUB_TOKEN or GH_TOKEN")]
    login = _login(gh)
    if login is None:
        return [
            Finding(
                True,
                "the token is an installation token (the workflow's GITHUB_TOKEN or a GitHub App): it "
                f"cannot say which account it is; what it writes is trusted when that account is the "
                f"config's bot ({config.bot}) or in trusted_authors",
            )
        ]
    if config.trusted(login):
        return [Finding(True, f"the token acts as {login}, whose markers are trusted")]
    return [
        Finding(
            False,
            f"the token acts as {login}, whose markers are not trusted: every run would write its "
            "issues and comments again",
            f"add {login} to trusted_authors in {config.path} (or set bot: {login})",
            untrusted_token=True,
        )
    ]


def used_labels(config: Config) -> dict[str, str]:
    """Each label the configured capabilities manage -> the config key that names it."""
    from gh_ops.config import ManagesLabels

    found: dict[str, str] = {}
    for settings in config.sections.values():
        if isinstance(settings, ManagesLabels):
            found.update(settings.managed_labels())
    return found


def labels_exist(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    wanted = used_labels(config)
    have = {label.name.casefold() for label in gh.list_labels(repo)}
    missing = {name: key for name, key in wanted.items() if name.casefold() not in have}
    if not missing:
        return [Finding(True, f"the {len(wanted)} labels the capabilities use exist in {repo}")]
    return [
        Finding(
            False,
            f"label {name!r} ({key}) does not exist in {repo}",
            f'create it: gh label create "{name}" --repo {repo} (`gh-ops priority labels` creates the '
            "priority ones)",
        )
        for name, key in sorted(missing.items())
    ]


def _local_workflows() -> dict[str, dict[str, Any]]:
    """The workflow files of the checkout that run gh-ops, by path, parsed."""
    import yaml

    found: dict[str, dict[str, Any]] = {}
    folder = Path(".github/workflows")
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text)
        except Exception:  # noqa: BLE001 - an unreadable workflow is not this check's to report
            continue
        if isinstance(data, dict) and "gh-ops" in text:
            found[path.as_posix()] = data
    return found


def _crons(workflow: dict[Any, Any]) -> list[str]:
    on = workflow.get("on") or workflow.get(True) or {}  # YAML 1.1: a bare `on` is true
    schedule = on.get("schedule") if isinstance(on, dict) else None
    return [e["cron"] for e in schedule or [] if isinstance(e, dict) and isinstance(e.get("cron"), str)]


def workflow_active(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    from gh_ops import cron
    from gh_ops.registry import enabled

    local = _local_workflows()
    workflows = gh.list_workflows(repo)
    chosen = next((w for w in workflows if w.get("path") == WORKFLOW_PATH), None)
    chosen = chosen or next((w for w in workflows if w.get("path") in local), None)
    if chosen is None:
        return [
            Finding(
                False,
                f"no workflow of {repo} runs gh-ops ({WORKFLOW_PATH}, or a workflow file here naming gh-ops)",
                f"add {WORKFLOW_PATH} (gh-ops init writes it), commit and push",
            )
        ]
    path, state = chosen.get("path"), chosen.get("state")
    if state in ("disabled_inactivity", "disabled_manually"):
        why = (
            "GitHub disables the schedules of a public repository after 60 days without activity"
            if state == "disabled_inactivity"
            else "someone disabled it"
        )
        findings = [
            Finding(
                False,
                f"the workflow {path} is {state} ({why}): nothing scheduled runs",
                f"enable it: gh workflow enable {chosen.get('id')} --repo {repo} (or Actions → the "
                "workflow → Enable workflow)",
            )
        ]
        if not any(c.missed for c in enabled(config)):
            return findings
        return findings + missed_jobs(config, _last_scheduled(gh, repo, chosen), now)
    findings = [Finding(True, f"the workflow {path} is {state}")]
    crons = _crons(local.get(str(path), {}))
    if not crons:
        return findings
    try:
        cadence = cron.longest_gap(crons, now - timedelta(days=35))
    except ValueError as exc:
        return [*findings, Finding(False, f"{path}: a schedule cannot be read: {exc}", "correct the cron")]
    started = _last_scheduled(gh, repo, chosen)
    if cadence is None:
        return findings
    every = duration_text(cadence)
    if started is None or now - started > cadence + SCHEDULE_GRACE:
        when = f"last on {started.isoformat()}" if started else "never"
        return [
            *findings,
            Finding(
                False,
                f"the workflow's schedule ({', '.join(crons)}) should run at least every {every}, "
                f"but ran {when}",
                "check its runs in the Actions tab; re-run the jobs it missed with --now (a backfill)",
            ),
            *missed_jobs(config, started, now),
        ]
    # No time in the line: the health issue is edited only when the checklist changes.
    return [
        *findings,
        Finding(True, f"the workflow ran on schedule within its cadence ({every})"),
    ]


def _last_scheduled(gh: GitHub, repo: str, workflow: dict[str, Any]) -> datetime | None:
    """When the workflow's latest scheduled run started (None: it never ran on schedule): one read."""
    from gh_ops.dates import parse_time

    last = gh.latest_scheduled_run(repo, int(workflow["id"]))
    return parse_time((last or {}).get("run_started_at") or (last or {}).get("created_at"))


def missed_jobs(config: Config, since: datetime | None, now: datetime) -> list[Finding]:
    """What the enabled capabilities' scheduled jobs would have done since the schedule last ran,
    each a problem whose fix is the command that does it now (from the rules: no request)."""
    from gh_ops.registry import enabled

    found = []
    for capability in enabled(config):
        for backfill in capability.missed(config, since, now) if capability.missed else ():
            found.append(
                Finding(
                    False,
                    f"{backfill.what} fell in a window the schedule did not run "
                    f"({'since ' + since.isoformat() if since else 'no scheduled run known'})",
                    f"backfill it (safe if it was done by hand, it then does nothing): {backfill.command}",
                )
            )
    return found


# --- `--issue`: one health issue, open while something is wrong ------------------------------------


def health_body(findings: list[Finding]) -> str:
    """The issue's body: the marker, then the checklist (no time in it: an unchanged checklist is
    not edited again)."""
    from gh_ops.markup import marker

    lines = [
        marker(HEALTH_KIND),
        "`gh-ops doctor --issue` keeps this issue open while the gh-ops setup of this repository has "
        "a problem, edits it when the checklist changes and closes it when all is well.",
        "",
    ]
    for finding in findings:
        box = "x" if finding.ok else " "
        lines.append(f"- [{box}] {'ok' if finding.ok else '**problem**'}: {finding.what}")
        if finding.fix:
            lines.append(f"  Fix: {finding.fix}")
    return "\n".join(lines) + "\n"


def health_title(problems: int) -> str:
    return f"{HEALTH_TITLE}: {problems} problem{'s' if problems != 1 else ''}"


def keep_health_issue(run: Run, repo: str, findings: list[Finding]) -> None:
    """Open, edit or close the health issue so that it is open, with this checklist, exactly while
    there is a problem. One read (the open issues with the health label); at most two writes."""
    import itertools

    from gh_ops.converge import settle_comment, settle_issue, siblings_since
    from gh_ops.markup import marker, read_marker
    from gh_ops.trust import check_opened_by_trusted

    try:
        config = run.load_config()
    except ConfigError:
        say(f"the {HEALTH_TITLE} issue: not kept, the config is not valid (whom to trust is in it)")
        return
    if any(f.untrusted_token for f in findings):
        say(f"the {HEALTH_TITLE} issue: not kept, the next run would not trust what this token writes")
        return
    gh = run.github()

    def open_health_issues() -> list[Issue]:
        """The open, trusted health issues, oldest first (one read)."""
        listing = gh.list_issues(repo, state="open", labels=(HEALTH_LABEL,), sort="created", direction="asc")
        return [
            issue
            for issue in itertools.islice(listing, 100)
            if config.trusted(issue.author) and (read_marker(issue.body) or ("", {}))[0] == HEALTH_KIND
        ]

    current = next(iter(open_health_issues()), None)
    problems = sum(not f.ok for f in findings)
    would = "would " if run.dry_run else ""
    if not problems:
        if current is None:
            return
        checklist = "\n".join(f"- {f}" for f in findings)
        # Both or neither: a comment without the close would be posted again by the next run.
        gh.reserve_writes(2, why=f"comment on and close #{current.number}")
        comment = gh.create_comment(
            repo,
            current.number,
            f"{marker(HEALTH_CLOSED_KIND)}\n"
            f"All well again: `gh-ops doctor` finds no problem.\n\n{checklist}\n",
            why=f"say why #{current.number} closes",
        )
        if comment is not None:  # another run closing it at the same moment said so too: one stays
            siblings = [
                c
                for c in gh.list_comments(repo, current.number, since=siblings_since(comment))
                if config.trusted(c.author) and (read_marker(c.body) or ("", {}))[0] == HEALTH_CLOSED_KIND
            ]
            settle_comment(gh, repo, current.number, comment, siblings, say=say)
        gh.update_issue(
            repo, current.number, state="closed", state_reason="completed", why=f"close #{current.number}"
        )
        say(f"the {HEALTH_TITLE} issue: {would}close #{current.number}, all is well")
        return
    body, title = health_body(findings), health_title(problems)
    if current is None:
        issue = gh.create_issue(
            repo,
            title=title,
            body=body,
            labels=(HEALTH_LABEL,),
            marker=body.splitlines()[0],
            trusted_author=config.trusted,
        )
        check_opened_by_trusted(issue, config, f"{HEALTH_TITLE} issue")
        say(f"the {HEALTH_TITLE} issue: {would}open" + ("" if issue.planned else f" #{issue.number}"))
        if not issue.planned:  # another run may have opened one at the same moment: one stays
            settle_issue(gh, repo, issue, open_health_issues(), say=say)
    elif current.body.replace("\r\n", "\n") != body or current.title != title:
        gh.update_issue(repo, current.number, title=title, body=body, why=f"update #{current.number}")
        say(f"the {HEALTH_TITLE} issue: {would}update #{current.number}")
    else:
        say(f"the {HEALTH_TITLE} issue: #{current.number} is up to date")


# --- the repositories that must be private, and the workflow's permissions --------------------------


def repositories_private(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    """Each repository an enabled capability writes personal or security details to is private
    (its `private`, one read each)."""
    from gh_ops.registry import enabled

    findings = []
    for capability in enabled(config):
        for target, key in capability.private_repos(config, repo) if capability.private_repos else ():
            if _repository(gh, target).get("private") is True:
                findings.append(Finding(True, f"{target} ({key}) is private"))
                continue
            findings.append(
                Finding(
                    False,
                    f"{target} ({key}) is not private: {capability.name} writes details there that "
                    "only its members may read",
                    f"make it private (gh repo edit {target} --visibility private "
                    "--accept-visibility-change-consequences), or set "
                    f"{key.split()[0]} in {config.path} to a private repository",
                )
            )
    return findings


def _granted(workflow: dict[Any, Any]) -> dict[str, str] | None:
    """What the gh-ops job's token may do: the `permissions:` of the job that runs gh-ops, else the
    workflow's; None when neither sets them (the repository's default then applies)."""
    jobs = workflow.get("jobs") if isinstance(workflow.get("jobs"), dict) else {}
    blocks = [job.get("permissions") for job in (jobs or {}).values() if isinstance(job, dict)]
    blocks = [b for b in blocks if b is not None] or [workflow.get("permissions")]
    block = blocks[0]
    if block is None:
        return None
    if block == "write-all":
        return {"*": "write"}
    if block == "read-all":
        return {"*": "read"}
    return {str(k): str(v) for k, v in block.items()} if isinstance(block, dict) else {}


def workflow_permissions(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    """The workflow's GITHUB_TOKEN (an installation token) may do what the enabled capabilities
    need: its permissions are the workflow's `permissions:`, read from the file in the checkout (no
    request). Each scope missing, or too low, is a problem naming the line to add."""
    from gh_ops.registry import enabled
    from gh_ops.workflow import LEVELS, permissions

    local = _local_workflows()
    path = WORKFLOW_PATH if WORKFLOW_PATH in local else next(iter(local), None)
    if path is None:
        return []  # workflow_active reports the missing workflow
    granted = _granted(local[path])
    if granted is None:
        return [
            Finding(
                False,
                f"{path} sets no permissions: its token gets the repository's default, which may be "
                "read-only",
                "add the permissions `gh-ops init` writes (each scope the enabled capabilities need)",
            )
        ]
    findings = []
    for scope, (level, whys) in permissions(enabled(config)).items():
        has = granted.get(scope, granted.get("*", "none"))
        if has in LEVELS and LEVELS.index(has) >= LEVELS.index(level):
            continue
        findings.append(
            Finding(
                False,
                f"{path} grants {scope}: {has}, but {'; '.join(whys)} needs {level}",
                f"add under the gh-ops job's permissions: `{scope}: {level} # {'; '.join(whys)}`",
            )
        )
    return findings or [Finding(True, f"{path} grants the permissions the enabled capabilities need")]


# The role a user needs on a repository for each level of a scope (GET /repos/{repo} `permissions`):
# triage may label and close issues and pull requests; writing contents or checks takes push.
TRIAGE_SCOPES = frozenset({"issues", "pull-requests"})


def token_permissions(gh: GitHub, config: Config, repo: str, now: datetime) -> list[Finding]:
    """A user's token (personal, classic or fine-grained) may do what the enabled capabilities need,
    read without a write: a classic token's scopes from the X-OAuth-Scopes header of GET /user (read
    by the account check), the user's role from the `permissions` object of GET /repos/{repo}. An
    installation token's permissions are the workflow's `permissions:` (workflow_permissions)."""
    from gh_ops.registry import enabled
    from gh_ops.workflow import permissions

    if not gh.has_token or _login(gh) is None:
        return []
    needed = permissions(enabled(config))
    writes = sorted(scope for scope, (level, _) in needed.items() if level == "write")
    data = _repository(gh, repo)
    findings = []
    scopes = {s.strip() for s in (gh.token_scopes or "").split(",") if s.strip()}
    if gh.token_scopes is not None and writes:
        enough = "repo" in scopes or (not data.get("private") and "public_repo" in scopes)
        if not enough:
            findings.append(
                Finding(
                    False,
                    f"the token is a classic token with scopes {gh.token_scopes or '(none)'}, which "
                    f"cannot write {', '.join(writes)} in {repo}",
                    "give it the repo scope (public_repo for a public repository), e.g. "
                    "gh auth refresh --scopes repo, or use a fine-grained token or the workflow's",
                )
            )
    role = data.get("permissions")
    if isinstance(role, dict) and writes:
        role_needed = "triage" if set(writes) <= TRIAGE_SCOPES else "push"
        has = role.get(role_needed) or role.get("push") or role.get("maintain") or role.get("admin")
        if not has:
            findings.append(
                Finding(
                    False,
                    f"the token's account has no {role_needed} access to {repo}, which writing "
                    f"{', '.join(writes)} takes",
                    f"give it the {'Triage' if role_needed == 'triage' else 'Write'} role on {repo} "
                    "(Settings → Collaborators and teams)",
                )
            )
    if findings:
        return findings
    how = "its scopes and the account's role" if gh.token_scopes is not None else "the account's role"
    return [Finding(True, f"the token may write what the enabled capabilities need ({how})")]
