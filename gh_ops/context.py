"""The run: global options resolved from flags and the Actions environment, the GitHub client, the
repositories a command acts on, the context handed to every capability's run functions, and the
closing report of requests."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from gh_ops import actions_io
from gh_ops.errors import GitHubError, RateLimited, RepositoriesFailed, UsageError, WriteBudgetReached
from gh_ops.models import PERSON_LABEL_PREFIX

if TYPE_CHECKING:  # keep `gh-ops --help` free of PyGithub
    from gh_ops.config import Config
    from gh_ops.github import GitHub

Say = Callable[[str], None]

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")  # the first one set is the token

_REPO = re.compile(r"^[A-Za-z0-9-]+/(?!\.{1,2}$)[A-Za-z0-9._-]+$")


def valid_repo(name: str) -> bool:
    """OWNER/NAME as GitHub allows it (and not `.` or `..` as the name)."""
    return bool(_REPO.match(name))


@dataclass(frozen=True)
class Context:
    """What a capability's run functions are handed: the validated config, the moment the run acts
    as of and the GitHub client (each made on first use: a run that needs neither pays for
    neither, nor fails on a bad --now it never reads), and where to report. `say` goes to stdout,
    `info` and `warn` to stderr (warn also as an annotation)."""

    config: Config
    clock: Callable[[], datetime]
    github: Callable[[], GitHub]
    say: Say
    warn: Say
    info: Say

    @property
    def now(self) -> datetime:
        return self.clock()


@dataclass
class Run:
    """The command line as given: global options, resolved on demand (config, repository, event,
    clock, client)."""

    config_path: str | None
    repo_option: str | None
    dry_run: bool
    now_option: str | None
    verbose: bool
    personal: bool = False  # the run handles personal data: keep it out of logs
    now_given_as: str = "--now"  # or "$GH_OPS_NOW": how messages name where --now came from
    writes: bool = False  # the command writes to GitHub: it takes --max-writes, and reports `remaining`
    max_writes_option: int | None = None  # --max-writes as given
    _config_max_writes: int | None = None  # max_writes of the config the command loaded
    _github: GitHub | None = None

    def now(self, config: Config | None = None) -> datetime:
        from gh_ops.dates import parse_now

        return parse_now(self.now_option, config.timezone if config else "UTC", given_as=self.now_given_as)

    def now_for_writes(self, config: Config) -> datetime:
        """`now` for a command that writes: --now may backfill the past, not act in the future.

        An issue opened "as of" a future day has a real creation time older than the listing
        window of that day's runs, so they would not find it and would open it again.
        """
        from datetime import timedelta

        from gh_ops import dates

        now = self.now(config)
        if self.now_option and not self.dry_run and now > dates.real_now() + timedelta(days=1):
            raise UsageError(
                f"{self.now_given_as} {self.now_option} is in the future: only a --dry-run may look ahead "
                "(a write made 'as of' a future day would be opened again when that day comes)"
            )
        return now

    def global_argv(self) -> list[str]:
        """The global options as this run has them, as command-line words (for a command run again:
        a resume, or each job of `gh-ops run`)."""
        argv = ["--config", self.config_path] if self.config_path else []
        argv += ["--dry-run"] if self.dry_run else []
        argv += ["--now", self.now_option] if self.now_option else []
        argv += ["--verbose"] if self.verbose else []
        return argv

    def repo_flag(self) -> str | None:
        """--repo as given (not $GITHUB_REPOSITORY), checked."""
        if self.repo_option is not None and not _REPO.match(self.repo_option):
            raise UsageError(f"--repo {self.repo_option!r} is not of the form OWNER/NAME")
        return self.repo_option

    def repo(self, *, required: bool = True) -> str | None:
        repo = self.repo_option or os.environ.get("GITHUB_REPOSITORY") or None
        if repo is None:
            if required:
                raise UsageError("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")
            return None
        if not _REPO.match(repo):
            raise UsageError(f"--repo {repo!r} is not of the form OWNER/NAME")
        return repo

    def event(self) -> tuple[str | None, dict]:
        """The triggering event's name and payload ($GITHUB_EVENT_NAME, $GITHUB_EVENT_PATH)."""
        import json

        path = os.environ.get("GITHUB_EVENT_PATH")
        if not path:
            raise UsageError(
                "no event: $GITHUB_EVENT_PATH is not set (outside Actions, pass the options instead)"
            )
        try:
            with open(path, encoding="utf-8") as fh:
                payload = json.load(fh)
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the event payload {path}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{exc.lineno}: the event payload is not valid JSON: {exc.msg}") from None
        if not isinstance(payload, dict):
            raise UsageError(f"{path}: the event payload is not a JSON object")
        return os.environ.get("GITHUB_EVENT_NAME") or None, payload

    def context(self, config: Config, now: datetime | Callable[[], datetime] | None = None) -> Context:
        """The context for this run: `now` as given (a moment, or how to read it when asked), else
        --now (or the clock) read in the config's timezone when a rule first asks."""
        if isinstance(now, datetime):
            moment = now
            clock: Callable[[], datetime] = lambda: moment  # noqa: E731 - a clock that is one moment
        else:
            clock = now or (lambda: self.now(config))
        return Context(config, clock, self.github, say, warn, info)

    def repositories(self, repos: tuple[str, ...], org: str | None) -> list[str]:
        """The repositories of repeatable --repo options, checked (with --org: maybe none; with
        neither: the current one)."""
        if org is not None and repos:
            raise UsageError(
                "give --repo or --org, not both: --org already means every repository of the organization"
            )
        if org is not None and not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", org):
            raise UsageError(f"--org {org!r} is not an organization name")
        for repo in repos:
            if not valid_repo(repo):
                raise UsageError(f"--repo {repo!r} is not of the form OWNER/NAME")
        chosen = list(dict.fromkeys(repos))
        if not chosen and org is None:
            chosen = [self.repo()]  # type: ignore[list-item]  # required: raises when there is none
        return chosen

    def load_config(self, *, allow_embedded: bool = False) -> Config:
        from gh_ops.config import load_config

        config = load_config(self.config_path, allow_embedded=allow_embedded)
        self._config_max_writes = config.max_writes
        if self._github is not None:
            self._github.max_writes = self.max_writes()
        return config

    def max_writes(self) -> int:
        """The run's write budget: --max-writes, else the config's max_writes, else the default."""
        from gh_ops.config import DEFAULT_MAX_WRITES

        return self.max_writes_option or self._config_max_writes or DEFAULT_MAX_WRITES

    def github(self, *, reads_graphql: str | None = None) -> GitHub:
        """The client, created once per run, from $GITHUB_TOKEN / $GH_TOKEN and $GITHUB_API_URL.

        `reads_graphql` names a read-only command whose reads are GraphQL: GitHub answers those only
        with a token, so a dry run is no way around it."""
        if self._github is None:
            from gh_ops.github import DEFAULT_API_URL, GitHub

            token = token_from_environment()
            if token is None and reads_graphql:
                raise UsageError(
                    f"no token: {reads_graphql} reads through GitHub's GraphQL API, which answers no "
                    "request without one. Set GITHUB_TOKEN or GH_TOKEN (in a workflow: "
                    "env: GITHUB_TOKEN: ${{ github.token }}; read access is enough)"
                )
            if token is None and not self.dry_run:
                raise UsageError(
                    "no token: set GITHUB_TOKEN or GH_TOKEN (in a workflow: "
                    "env: GITHUB_TOKEN: ${{ github.token }}), or use --dry-run"
                )
            if token is None:
                warn("no token: dry run reads anonymously (public repositories only)")
            self._github = GitHub(
                token=token,
                api_url=_http_url("GITHUB_API_URL") or DEFAULT_API_URL,
                graphql_url=_http_url("GITHUB_GRAPHQL_URL"),
                dry_run=self.dry_run,
                on_wait=info,
                max_writes=self.max_writes(),
            )
        return self._github

    def github_client(self) -> GitHub | None:
        """The client if the run made one (None: it sent nothing)."""
        return self._github

    def report_requests(self) -> None:
        """The closing lines of a command that used GitHub: requests made and, in a dry run, every
        write that was not sent."""
        import json

        gh = self._github
        if gh is None:
            return
        c = gh.counter
        points = ""
        if c.points:
            left = f", {c.points_left:,} left" if c.points_left is not None else ""
            points = f"; GraphQL: {c.points:,} point(s){left}"
        info(
            f"GitHub requests: {c.reads} read(s), {c.writes} write(s)"
            + (f", {c.retries} retried" if c.retries else "")
            + points
        )
        costs = {
            "github-reads": str(c.reads),
            "github-writes": str(c.writes),
            "graphql-points": str(c.points),
        }
        if c.points_left is not None:
            costs["graphql-points-left"] = str(c.points_left)
        actions_io.set_outputs(costs)
        if gh.dry_run:
            # Called from a `finally` (or an `except`) too: a run that failed must not say "nothing
            # to write", as if it had checked everything.
            failed = sys.exc_info()[1] is not None
            if failed and not gh.planned:
                say("dry run: stopped by the error below before any write it would make")
            elif gh.planned:
                stopped = "; then stopped by the error below" if failed else ""
                say(f"dry run: {len(gh.planned)} write(s) not sent{stopped}:")
                for index, write in enumerate(gh.planned):
                    if index == gh.budget_stop:
                        say(
                            f"  -- a run stops here: {index} write(s), the most --max-writes "
                            f"{gh.max_writes} allows; the next run makes the rest --"
                        )
                    personal = self.personal and not self.verbose
                    say(f"  {write.method} {write.path}" if personal else f"  {write}")
                    detail = _short_payload(write.payload)
                    if self.personal and "title" in detail:
                        detail["title"] = "<personal: shown with --verbose>"
                    if self.personal and isinstance(detail.get("labels"), list):
                        detail["labels"] = [_unpersonal(label) for label in detail["labels"]]
                    say("    " + json.dumps(write.payload if self.verbose else detail, ensure_ascii=False))
            else:
                say("dry run: nothing to write")


Result = TypeVar("Result")


@dataclass
class PerRepository(Generic[Result]):
    """What a run over several repositories got from each: results, where GitHub failed, and the
    repositories a spent rate limit kept it from starting."""

    results: dict[str, Result] = field(default_factory=dict)
    failures: dict[str, GitHubError] = field(default_factory=dict)
    not_started: list[str] = field(default_factory=list)

    def raise_failures(self) -> None:
        """Exit 3 listing each repository GitHub failed for (call it once the rest is reported);
        after a spent rate limit, also those not started, and the command that resumes."""
        if self.failures or self.not_started:
            stopped = any(isinstance(e, RateLimited) for e in self.failures.values())
            # Every repository not done: those GitHub failed for (an outage before the limit too)
            # and those not started.
            resume = resume_command([*self.failures, *self.not_started]) if stopped else None
            total = len(self.results) + len(self.failures) + len(self.not_started)
            raise RepositoriesFailed(
                self.failures,
                total,
                not_started=self.not_started,
                covered=list(self.results),
                resume=resume,
                stopped_by="GitHub's rate limit" if stopped else None,
            )


def each_repository(repos: list[str], work: Callable[[str], Result], *, info: Say) -> PerRepository[Result]:
    """`work` on each repository in turn. GitHub failing for one (exit 3: an outage, a permission)
    does not stop the others: the command reports what the others gave, then calls
    `raise_failures`. A spent rate limit (RateLimited: it comes back later than a run waits) stops
    the run there, as every other repository would fail the same way. One repository alone fails
    as it happens. A usage error (exit 2) stops at once: the same mistake would fail every
    repository."""
    if len(repos) == 1:
        return PerRepository({repos[0]: work(repos[0])})
    done: PerRepository[Result] = PerRepository()
    for index, repo in enumerate(repos):
        try:
            done.results[repo] = work(repo)
        except RateLimited as exc:
            done.failures[repo] = exc
            done.not_started = repos[index + 1 :]
            info(f"{repo}: {exc.message}; stopping here ({len(done.not_started)} repositories not started)")
            break
        except GitHubError as exc:
            done.failures[repo] = exc
            info(f"{repo}: GitHub failed, going on (listed at the end): {exc.message}")
        except WriteBudgetReached as stop:
            # The run stops here: what it did not reach is said, and failures so far still count.
            later = repos[index + 1 :]
            if later:
                stop.exact = False
                stop.not_reached.append(
                    f"{len(later)} more repositor{'y' if len(later) == 1 else 'ies'} ({later[0]} first)"
                )
            if done.failures:
                stop.failure = RepositoriesFailed(
                    done.failures, len(repos), not_started=repos[index:], stopped_by="its write budget"
                )
            raise
    return done


def resume_command(repos: list[str], *, replace: dict[str, str] | None = None) -> str:
    """The command line that runs the current command again on these repositories only: the same
    command words, the global options as the run has them (config, dry run, --now, verbose), the
    write budget, and the command's own options as given, with --org and --repo replaced by one
    --repo per repository and the options in `replace` (e.g. a pinned --since) set."""
    import shlex

    import click

    ctx = click.get_current_context(silent=True)
    run = ctx.find_object(Run) if ctx is not None else None
    replace = dict(replace or {})
    own: list[str] = []
    path: list[str] = []
    handled = {"org", "repo", "repos", "help"}
    while ctx is not None and ctx.parent is not None:
        path.insert(0, ctx.info_name or "")
        for param in ctx.command.params:
            name = param.name or ""
            if not isinstance(param, click.Option) or name in handled or not param.expose_value:
                continue
            flag = max(param.opts, key=len)
            if flag in replace:
                own += [flag, replace.pop(flag)]
                continue
            value = ctx.params.get(name)
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.COMMANDLINE:
                continue
            if param.is_flag:
                own += [flag] if value else []
            elif value not in (None, ()):
                for item in value if param.multiple else [value]:
                    own += [flag, str(item)]
        ctx = ctx.parent
    words = ["gh-ops", *(run.global_argv() if run is not None else []), *path, *own]
    for flag, value in replace.items():
        words += [flag, value]
    if run is not None and run.max_writes_option is not None:
        words += ["--max-writes", str(run.max_writes_option)]
    for repo in repos:
        words += ["--repo", repo]
    return shlex.join(words)


def _unpersonal(label: Any) -> Any:
    """A label for a dry-run listing, a person's hashed label shown without its hash."""
    if isinstance(label, str) and label.startswith(PERSON_LABEL_PREFIX):
        return f"{PERSON_LABEL_PREFIX}…"
    return label


def _short_payload(payload: Any) -> Any:
    """A write's payload for a dry-run listing: texts as their line counts, GraphQL as its variables."""
    if isinstance(payload, dict):
        if "query" in payload and "variables" in payload:
            return _short_payload(payload["variables"])
        return {
            k: f"<{len(v.splitlines())} lines>"
            if k in ("body", "summary") and isinstance(v, str)
            else _short_payload(v)
            for k, v in payload.items()
        }
    if isinstance(payload, list):
        return [_short_payload(v) for v in payload]
    return payload


def token_from_environment() -> str | None:
    """The token, without the whitespace a pasted secret often carries (a trailing newline). A token
    with any other control or non-ASCII character cannot be sent, and is refused without being shown."""
    for name in TOKEN_VARIABLES:
        raw = os.environ.get(name) or ""
        token = raw.strip()
        if not raw:
            continue
        if not token or any(not 0x21 <= ord(ch) <= 0x7E for ch in token):
            raise UsageError(
                f"${name} is not a usable token: it holds "
                + (
                    "only whitespace"
                    if not token
                    else "a space inside it"
                    if " " in token
                    else "a control or non-ASCII character"
                )
                + " (the value is not shown). Copy the token again, with nothing around it."
            )
        return token
    return None


def secret_values() -> list[str]:
    """Every form in which a token from the environment could appear in a message: as set, without
    surrounding whitespace, and each of its whitespace-separated parts."""
    found: set[str] = set()
    for name in TOKEN_VARIABLES:
        raw = os.environ.get(name) or ""
        for value in (raw, raw.strip(), *raw.split()):
            if len(value) >= 4:  # shorter is no secret worth hiding, and would hide ordinary words
                found.add(value)
    return sorted(found, key=len, reverse=True)


def redact(text: str) -> str:
    """The text with every form of the token replaced by ***."""
    for secret in secret_values():
        text = text.replace(secret, "***")
    return text


def _http_url(name: str) -> str | None:
    value = os.environ.get(name) or None
    if value is not None and not re.match(r"^https?://[^/\s]+", value):
        raise UsageError(f"${name} is {value!r}: expected an http(s) URL such as https://api.github.com")
    return value


def say(message: str) -> None:
    print(message, flush=True)


def info(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warn(message: str, *, file: str | None = None, line: int | None = None) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)
    actions_io.annotate("warning", message, file=file, line=line, title="gh-ops")
