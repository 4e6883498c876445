"""The global options (`--config`, `--repo`, `--dry-run`, `--now`, `--verbose`), accepted after any
subcommand too (`gh-ops sprint open --dry-run`), as every command's decorator adds them."""

from __future__ import annotations

import functools
from typing import Any

import click

from gh_ops.context import Run, warn
from gh_ops.events import MAX_NUMBER


def _set_on_run(field: str) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value not in (None, False, ()):
            run = ctx.find_object(Run)
            assert run is not None  # the root group made it
            setattr(run, field, value)
            if field == "now_option":
                run.now_given_as = "--now"  # given after the command: it wins over $GH_OPS_NOW

    return callback


# --now for a command that writes nothing: any date will do.
READ_ONLY_NOW_HELP = "Act as of this ISO-8601 date/time."

GLOBAL_HELP = {
    "--config": "Config file (default .github/gh-ops.yml).",
    "--repo": "Repository to act on (default $GITHUB_REPOSITORY).",
    "--dry-run": "Make no changes; print every change that would be made.",
    "--now": "Act as of this ISO-8601 date/time (backfills; the future only with --dry-run).",
    "--verbose": "Show full payloads and tracebacks.",
}


def global_options(
    command: Any = None,
    *,
    without: tuple[str, ...] = (),
    unused: tuple[str, ...] = (),
    helps: dict[str, str] | None = None,
) -> Any:
    """Accept the global options after the subcommand too (`gh-ops sprint open --dry-run`).

    A command shows only those it uses. `without` leaves one out for a command that gives it its
    own meaning (`--repo`, repeatable); `unused` leaves out those a command has no use for (a
    read-only command has none for --dry-run, a local one none for --repo), and warns when one is
    given before the command's name or through its environment variable, where the root group takes
    it. `helps` words one for the command (what --dry-run means to it).
    """
    if command is None:
        return lambda decorated: global_options(decorated, without=without, unused=unused, helps=helps)
    if unused:
        command = _warning_about(unused, command)
    without = (*without, *unused)
    for flag, field, is_flag in reversed(
        [
            ("--config", "config_path", False),
            ("--repo", "repo_option", False),
            ("--dry-run", "dry_run", True),
            ("--now", "now_option", False),
            ("--verbose", "verbose", True),
        ]
    ):
        if flag in without:
            continue
        names = (flag, "-v") if flag == "--verbose" else (flag,)
        command = click.option(
            *names,
            is_flag=is_flag,
            expose_value=False,
            is_eager=True,
            callback=_set_on_run(field),
            help=(helps or {}).get(flag, GLOBAL_HELP[flag]),
        )(command)
    return command


def _warning_about(unused: tuple[str, ...], callback: Any) -> Any:
    """`callback`, first warning about each of the `unused` global options the run was given."""

    @functools.wraps(callback)
    def warned(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        run = ctx.find_object(Run)
        if run is not None:
            given = {
                "--dry-run": "--dry-run (or $GH_OPS_DRY_RUN)" if run.dry_run else None,
                "--now": run.now_given_as if run.now_option else None,
                "--repo": "--repo" if run.repo_option else None,
            }
            command = " ".join(["gh-ops", *ctx.command_path.split()[1:]])
            for flag in unused:
                if given.get(flag):
                    warn(f"{given[flag]} does nothing for `{command}`: it is ignored")
        return callback(*args, **kwargs)

    return warned


# An issue or pull request number (GitHub's are 32-bit): anything else is refused before a request.
NUMBER = click.IntRange(min=1, max=MAX_NUMBER)


def repository_options(what: str) -> Any:
    """`--repo` (repeatable) and `--org`, for a command that works on many repositories (it takes
    the global options without --repo). `what` completes "A repository to ..." in the help."""

    def decorate(command: Any) -> Any:
        command = click.option(
            "--org", metavar="ORG", help="Every repository of this organization that is not archived."
        )(command)
        command = click.option(
            "--repo",
            "repos",
            multiple=True,
            metavar="OWNER/NAME",
            help=f"A repository to {what} (repeatable). Default: $GITHUB_REPOSITORY.",
        )(command)
        return command

    return decorate


class _WriteCount(click.ParamType):
    """A number of writes: a whole number, 1 or more (written in ASCII digits)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        text = str(value).strip()
        if text.isascii() and text.isdigit() and int(text) >= 1:
            return int(text)
        self.fail(
            f"{value!r} is not a number of writes: give a whole number, 1 or more (default 400)", param, ctx
        )


def _set_write_budget(ctx: click.Context, _param: click.Parameter, value: int | None) -> None:
    run = ctx.find_object(Run)
    assert run is not None  # the root group made it
    run.writes = True
    if value is not None:
        run.max_writes_option = value


def write_budget_option(command: Any) -> Any:
    """`--max-writes N` for a command that writes to GitHub: the run stops cleanly before write N+1,
    and the next run continues. Every command that writes takes it (a test enumerates them)."""
    return click.option(
        "--max-writes",
        type=_WriteCount(),
        metavar="N",
        expose_value=False,
        callback=_set_write_budget,
        help="Stop cleanly after N writes; the next run continues (default: config max_writes, 400).",
    )(command)
