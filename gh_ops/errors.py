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
    ) -> None:
        self.not_started = not_started or []
        self.covered = covered or []
        self.resume = resume
        if self.not_started or resume:
            message = f"GitHub's rate limit stopped the run after {len(self.covered)} of {total} repositories"
        else:
            message = f"GitHub failed for {len(failures)} of {total} repositories; the others were done"
        super().__init__(message)
        self.failures = failures

    def lines(self) -> list[str]:
        out = [self.message + ":"]
        for repo, exc in self.failures.items():
            first, *rest = exc.lines()
            out.append(f"- {repo}: {first}")
            out += [f"  {line}" for line in rest if not line.startswith("Re-running is safe")]
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
