"""User-facing errors and the exit codes they map to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

EXIT_OK = 0
EXIT_POLICY = 1  # a policy check failed (e.g. a malformed RFC)
EXIT_USAGE = 2  # usage, config, template or input error
EXIT_GITHUB = 3  # GitHub API failure after retries
EXIT_INTERNAL = 4  # a bug in gh-ops itself


@dataclass
class Problem:
    """One thing wrong with a file the user wrote: where it is and what to do about it."""

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.key:
            where = f"{where} ({self.key})" if where else self.key
        return f"{where}: {self.message}" if where else self.message


class GhOpsError(Exception):
    """Base error: its message is shown to the user as-is, without a traceback."""

    exit_code = EXIT_INTERNAL

    def __init__(
        self,
        message: str,
        *,
        problems: list[Problem] | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []
        self.file = file  # where the problem is, for annotations, when it is one place
        self.line = line

    def lines(self) -> list[str]:
        if not self.problems:
            if self.file and not self.message.startswith(self.file):
                return [
                    f"{self.file}:{self.line}: {self.message}"
                    if self.line
                    else f"{self.file}: {self.message}"
                ]
            return [self.message]
        return [self.message, *(f"  {p}" for p in self.problems)]


class UsageError(GhOpsError):
    """Bad flags, bad input values, or a bad event payload."""

    exit_code = EXIT_USAGE


class ConfigError(GhOpsError):
    """The config file (or a template it names) is wrong; carries every problem found."""

    exit_code = EXIT_USAGE


class TemplateError(GhOpsError):
    """A template that cannot be loaded or rendered; the message starts with file:line."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        where = f"{file}:{line or '?'}: " if file else ""
        super().__init__(where + message, file=file, line=line)
        self.problem = Problem(message, file, line)


@dataclass
class Progress:
    """What a run has done and what it still meant to do, for an honest failure report."""

    done: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


class GitHubError(GhOpsError):
    """GitHub kept failing after retries; says what was and was not done."""

    exit_code = EXIT_GITHUB

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.progress: Progress | None = None

    def lines(self) -> list[str]:
        out = [self.message]
        if self.progress is not None:
            out.append("Done before the failure: " + ("; ".join(self.progress.done) or "nothing"))
            out.append("Not done: " + ("; ".join(self.progress.pending) or "nothing"))
            out.append("Re-running is safe: gh-ops skips what already exists.")
        return out


class RateLimited(GitHubError):
    """GitHub's hourly budget (REST requests or GraphQL points) is spent and comes back later than a
    run waits for (15 minutes): the run stops here, says what it covered and how to resume."""

    def __init__(self, message: str, *, status: int | None = None, resets_at: datetime | None = None) -> None:
        super().__init__(message, status=status)
        self.resets_at = resets_at

    def lines(self) -> list[str]:
        out = super().lines()
        when = f" at {self.resets_at:%H:%M} UTC" if self.resets_at else ""
        resume = (
            f"Resume once the limit resets{when}: run the same command again; it goes on from what is done."
        )
        if out and out[-1].startswith("Re-running is safe"):
            out[-1] = resume
        else:
            out.append(resume)
        return out


class RepositoriesFailed(GitHubError):
    """GitHub failed for some of the repositories a run went through; it went on with the others and
    lists each failure once all had their turn. After a spent rate limit it stopped instead: it lists
    what it covered, what it did not start, and the command that resumes."""

    def __init__(
        self,
        failures: dict[str, GitHubError],
        total: int,
        *,
        not_started: list[str] | None = None,
        covered: list[str] | None = None,
        resume: str | None = None,
        stopped_by: str | None = None,
    ) -> None:
        self.not_started = not_started or []
        self.covered = covered or []
        self.resume = resume
        if stopped_by == "GitHub's rate limit":
            message = f"GitHub's rate limit stopped the run after {len(self.covered)} of {total} repositories"
        elif stopped_by:
            message = (
                f"GitHub failed for {len(failures)} of {total} repositories before the run stopped at "
                f"{stopped_by} ({len(self.not_started)} not done yet)"
            )
        else:
            message = f"GitHub failed for {len(failures)} of {total} repositories; the others were done"
        super().__init__(message)
        self.failures = failures

    def lines(self) -> list[str]:
        out = [self.message + ":"]
        for repo, exc in self.failures.items():
            first, *rest = exc.lines()
            out.append(f"- {repo}: {first}")
            out += [
                f"  {line}" for line in rest if not line.startswith(("Re-running is safe", "Resume once"))
            ]
        if self.resume is not None:
            covered = ", ".join(self.covered) or "none"
            out.append(f"Covered: {covered}")
            if self.not_started:
                out.append(f"Not started: {', '.join(self.not_started)}")
            out.append(f"Resume once the limit resets with: {self.resume}")
        else:
            out.append("Re-running is safe: gh-ops skips what already exists.")
        return out


class GraphQLNotFound(GitHubError):
    """GitHub's GraphQL could not resolve what a query named (a repository, a pull request): the
    caller usually turns it into a usage error naming what the user gave."""


class WriteBudgetReached(GhOpsError):
    """The run's write budget (--max-writes, config max_writes) is spent: the run stops cleanly
    before the next write, exit 0, and the next run continues (every writing command skips what is
    already done). Run functions that know more of what is left add it on the way out."""

    exit_code = EXIT_OK

    def __init__(self, *, limit: int, made: int, next_write: str, route: str, needed: int = 1) -> None:
        super().__init__(f"write budget reached: {made} write(s) made, the most --max-writes {limit} allows")
        self.limit = limit
        self.made = made
        self.next_write = next_write  # what the refused write (or group of writes) was to do
        self.route = route  # its request (METHOD /path), shown instead when the words are personal
        self.left = needed  # writes known to be left, the refused one(s) included
        self.exact = False  # whether `left` is all of them (else: at least that many)
        self.not_reached: list[str] = []  # what the run had not even looked at yet, in words
        self.failure: GitHubError | None = None  # GitHub failed for some of what came before

    def left_text(self) -> str:
        return f"{self.left} write(s) left" if self.exact else f"at least {self.left} write(s) left"

    def lines(self, *, personal: bool = False) -> list[str]:
        out = [
            f"stopped at the write budget: {self.made} write(s) made (--max-writes {self.limit}); "
            f"{self.left_text()}, the next being: {self.route if personal else self.next_write}"
        ]
        out += [f"not yet checked: {what}" for what in self.not_reached]
        out.append("The next run continues from here (what is done is not written again).")
        return out


class WriteBudgetTooSmall(UsageError):
    """Writes that must be made in one run (an issue and the comment that records it) need more than
    the whole budget: no run could ever make them."""

    def __init__(self, *, limit: int, needed: int, what: str) -> None:
        super().__init__(
            f"--max-writes {limit} is too small: {what} takes {needed} writes that must be made in the "
            f"same run. Give --max-writes (or max_writes in the config) at least {needed}"
        )
