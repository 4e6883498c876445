"""The `gh-ops` command: the root group and its global options, errors turned into exit codes, and
each registered capability's commands added. No rules here."""

from __future__ import annotations

from typing import Any

import click

from gh_ops import actions_io, doctor, init, preview, version_text
from gh_ops.context import Run, redact, secret_values
from gh_ops.errors import EXIT_INTERNAL, GhOpsError, WriteBudgetReached
from gh_ops.registry import capabilities
from gh_ops.runner import run_command

# Heavy modules (PyGithub, Jinja2, jsonschema, PyYAML) are imported inside commands so `--help`
# stays fast.


class _Group(click.Group):
    """Turns gh-ops errors into one clear message and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            _report_writes_left(ctx, None)
            return result
        except click.exceptions.Exit:
            _report_writes_left(ctx, None)  # e.g. exit 1 for a policy: its writes were all made
            raise
        except (click.exceptions.Abort, click.ClickException):
            raise
        except WriteBudgetReached as stop:
            _report_writes_left(ctx, stop)
            if stop.failure is not None:
                _report_error(stop.failure)
                ctx.exit(stop.failure.exit_code)
            ctx.exit(stop.exit_code)
        except GhOpsError as exc:
            _report_error(exc)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # noqa: BLE001 - a bug must still end in one readable line
            run = ctx.obj if isinstance(ctx.obj, Run) else None
            if run is not None and run.verbose:
                import traceback

                click.echo(redact(traceback.format_exc()), err=True, nl=False)
            # A library's message may quote what it was given, the Authorization header among them.
            what = redact(f"{exc.__class__.__name__}: {exc}")
            click.echo(
                f"error: internal error in gh-ops: {what} "
                "(re-run with --verbose for the traceback, and please report it)",
                err=True,
            )
            actions_io.annotate("error", f"internal error: {what}", title="gh-ops")
            ctx.exit(EXIT_INTERNAL)


def _report_writes_left(ctx: click.Context, stop: WriteBudgetReached | None) -> None:
    """For a command that writes: the output `remaining`, the writes still to make (0 once the run
    finished its work; a lower bound when it stopped at the write budget without knowing them all),
    and the clean stop said on stderr and in the step summary."""
    run = ctx.obj if isinstance(ctx.obj, Run) else None
    if run is None or not run.writes:
        return
    if stop is None:
        gh = run.github_client()
        left = len(gh.planned) if gh is not None and gh.dry_run else 0  # a dry run leaves all to do
        actions_io.set_outputs({"remaining": str(left)})
        return
    lines = [redact(line) for line in stop.lines(personal=run.personal and not run.verbose)]
    click.echo("\n".join(lines), err=True)
    actions_io.set_outputs({"remaining": str(stop.left)})
    actions_io.annotate("notice", "\n".join(lines), title="gh-ops: write budget reached")
    if actions_io.in_actions():
        actions_io.add_summary("### gh-ops stopped at the write budget\n\n" + "\n\n".join(lines) + "\n")


def _report_error(exc: GhOpsError) -> None:
    lines = [redact(line) for line in exc.lines()]
    click.echo("error: " + "\n".join(lines), err=True)
    if exc.problems:
        for problem in exc.problems:
            actions_io.annotate(
                "error",
                redact(problem.message),
                file=problem.file,
                line=problem.line,
                title=f"gh-ops: {problem.key}" if problem.key else "gh-ops",
            )
    else:
        actions_io.annotate("error", "\n".join(lines), file=exc.file, line=exc.line, title="gh-ops")
    if actions_io.in_actions():
        actions_io.add_summary("### gh-ops failed\n\n```\n" + "\n".join(lines) + "\n```\n")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version_text(), prog_name="gh-ops")
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    envvar="GH_OPS_CONFIG",
    help="Config file. Default: .github/gh-ops.yml [env GH_OPS_CONFIG]",
)
@click.option(
    "--repo", "repo", metavar="OWNER/NAME", help="Repository to act on. Default: $GITHUB_REPOSITORY"
)
@click.option(
    "--dry-run",
    is_flag=True,
    envvar="GH_OPS_DRY_RUN",
    help="Make no changes; print every change that would be made. [env GH_OPS_DRY_RUN]",
)
@click.option(
    "--now",
    "now",
    metavar="ISO-8601",
    envvar="GH_OPS_NOW",
    help="Act as if it were this date/time (reproducible runs, backfills). [env GH_OPS_NOW]",
)
@click.option("-v", "--verbose", is_flag=True, help="Show request details and tracebacks.")
@click.pass_context
def main(
    ctx: click.Context,
    config_path: str | None,
    repo: str | None,
    dry_run: bool,
    now: str | None,
    verbose: bool,
) -> None:
    """Run a handbook-driven company's GitHub rituals: sprint issues, and more.

    \b
    Token: $GITHUB_TOKEN or $GH_TOKEN. API: $GITHUB_API_URL (GitHub Enterprise Server works).
    Exit codes: 0 done, 1 a policy check failed, 2 usage/config/template/input error,
    3 GitHub API failure after retries, 4 internal error (a bug in gh-ops).
    """
    actions_io.mask(secret_values())  # in Actions: hidden from the log before anything is printed
    from_environment = ctx.get_parameter_source("now") == click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Run(
        config_path=config_path or None,
        repo_option=repo,
        dry_run=dry_run,
        now_option=now or None,
        verbose=verbose,
        now_given_as="$GH_OPS_NOW" if from_environment else "--now",
    )


def _add_commands(group: click.Group) -> None:
    registered = capabilities()
    group.add_command(preview.validate_command(registered))
    group.add_command(preview.preview_command(registered))
    group.add_command(run_command)
    group.add_command(doctor.doctor_command())
    group.add_command(init.init_command(registered))
    for capability in registered:
        for command in capability.commands:
            group.add_command(command)


_add_commands(main)
