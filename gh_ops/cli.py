"""The `gh-ops` command: global options, subcommands, and errors turned into exit codes. No rules here."""

from __future__ import annotations

import sys
from typing import Any

import click

from gh_ops import __version__, actions_io
from gh_ops.context import Run, info, say, warn
from gh_ops.errors import EXIT_INTERNAL, GhOpsError, Problem, UsageError

# Heavy modules (PyGithub, Jinja2, jsonschema) are imported inside commands so `--help` stays fast.


class _Group(click.Group):
    """Turns gh-ops errors into one clear message and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except GhOpsError as exc:
            _report_error(exc)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # noqa: BLE001 - a bug must still end in one readable line
            run = ctx.obj if isinstance(ctx.obj, Run) else None
            if run is not None and run.verbose:
                import traceback

                traceback.print_exc()
            click.echo(
                f"error: internal error in gh-ops: {exc.__class__.__name__}: {exc} "
                "(re-run with --verbose for the traceback, and please report it)",
                err=True,
            )
            actions_io.annotate("error", f"internal error: {exc}", title="gh-ops")
            ctx.exit(EXIT_INTERNAL)


def _report_error(exc: GhOpsError) -> None:
    lines = exc.lines()
    click.echo("error: " + "\n".join(lines), err=True)
    if exc.problems:
        for problem in exc.problems:
            actions_io.annotate(
                "error",
                problem.message,
                file=problem.file,
                line=problem.line,
                title=f"gh-ops: {problem.key}" if problem.key else "gh-ops",
            )
    else:
        actions_io.annotate("error", "\n".join(lines), file=exc.file, line=exc.line, title="gh-ops")
    if actions_io.in_actions():
        actions_io.add_summary("### gh-ops failed\n\n```\n" + "\n".join(lines) + "\n```\n")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gh-ops")
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
    3 GitHub API failure after retries.
    """
    ctx.obj = Run(
        config_path=config_path or None,
        repo_option=repo,
        dry_run=dry_run,
        now_option=now or None,
        verbose=verbose,
    )


def _set_on_run(field: str) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value not in (None, False, ()):
            setattr(ctx.find_object(Run), field, value)

    return callback


def global_options(command: Any) -> Any:
    """Accept the global options after the subcommand too (`gh-ops sprint open --dry-run`)."""
    for flag, field, is_flag in reversed(
        [
            ("--config", "config_path", False),
            ("--repo", "repo_option", False),
            ("--dry-run", "dry_run", True),
            ("--now", "now_option", False),
            ("--verbose", "verbose", True),
        ]
    ):
        command = click.option(
            flag,
            is_flag=is_flag,
            expose_value=False,
            is_eager=True,
            callback=_set_on_run(field),
            help="Same as the global option.",
            hidden=True,
        )(command)
    return command


# --- validate / preview -------------------------------------------------------------------------


@main.command()
@global_options
@click.pass_obj
def validate(run: Run) -> None:
    """Check the config and render every configured template against sample data.

    Needs no token and no network. Uses the embedded example when .github/gh-ops.yml is absent.
    """
    from gh_ops import preview as offline

    config = run.load_config(allow_embedded=True)
    problems, report = offline.validate_config(config, now=run.now(config), repo=run.repo(required=False))
    for line in report:
        say(line)
    if problems:
        raise _problems_error(problems, config.path)
    say(f"{config.path}: OK")


def _problems_error(problems: list[Problem], path: str) -> GhOpsError:
    from gh_ops.errors import ConfigError

    return ConfigError(f"{path}: {len(problems)} problem(s) found", problems=problems)


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--var {pair!r}: expected KEY=VALUE (e.g. --var sprint.number=7)")
        parsed[key.strip()] = value
    return parsed


@main.command()
@global_options
@click.argument("kind", type=click.Choice(["sprint"]))
@click.option("--team", metavar="NAME", help="Team to render for. Default: the first team.")
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a template variable (dotted keys reach inside: sprint.number=7). Repeatable.",
)
@click.pass_obj
def preview(run: Run, kind: str, team: str | None, variables: tuple[str, ...]) -> None:
    """Render an issue (title, labels, assignees, body) to stdout. No token, no network."""
    from gh_ops import preview as offline

    config = run.load_config(allow_embedded=True)
    if config.embedded:
        info("(no .github/gh-ops.yml here: using the embedded example config)")
    rendered = offline.preview_issue(
        config,
        kind,
        team_key=team,
        now=run.now(config),
        repo=run.repo(required=False) or "OWNER/REPO",
        overrides=_parse_vars(variables),
        note=info,
    )
    say(f"title: {rendered.title}")
    say(f"labels: {', '.join(rendered.labels) or '-'}")
    say(f"assignees: {', '.join(rendered.assignees) or '-'}")
    say(f"milestone: {rendered.milestone or '-'}")
    say("---")
    sys.stdout.write(rendered.body if rendered.body.endswith("\n") else rendered.body + "\n")


# --- sprint -----------------------------------------------------------------------------------------


@main.group()
def sprint() -> None:
    """Sprint issues: one per small team per sprint, opened ahead of time."""


@sprint.command("open")
@global_options
@click.option(
    "--team",
    "teams",
    multiple=True,
    metavar="NAME",
    help="Only these teams (repeatable). Default: every team with sprints.",
)
@click.pass_obj
def sprint_open(run: Run, teams: tuple[str, ...]) -> None:
    """Open every sprint issue that is due and missing (safe to run daily, or twice)."""
    from gh_ops import sprint as sprints
    from gh_ops.render import Renderer

    config = run.load_config()
    sprints.sprint_teams(config, teams)  # unknown or disabled teams fail before any request
    repo = run.repo()
    assert repo is not None
    now = run.now(config)
    gh = run.github()
    try:
        outcomes = sprints.open_sprint_issues(
            gh=gh,
            config=config,
            renderer=Renderer(config.templates_dir),
            repo=repo,
            now=now,
            team_keys=teams,
            say=say,
            warn=warn,
        )
    finally:
        _report_requests(run)
    _report_sprint(run, outcomes)


def _report_requests(run: Run) -> None:
    import json

    gh = run._github
    if gh is None:
        return
    c = gh.counter
    info(
        f"GitHub requests: {c.reads} read(s), {c.writes} write(s)"
        + (f", {c.retries} retried" if c.retries else "")
    )
    if gh.dry_run:
        if gh.planned:
            say(f"dry run: {len(gh.planned)} write(s) not sent:")
            for write in gh.planned:
                say(f"  {write}")
                detail = {k: v for k, v in write.payload.items() if k != "body"}
                if "body" in write.payload:
                    detail["body"] = f"<{len(write.payload['body'].splitlines())} lines>"
                say("    " + json.dumps(write.payload if run.verbose else detail, ensure_ascii=False))
        else:
            say("dry run: nothing to write")


def _report_sprint(run: Run, outcomes: list[Any]) -> None:
    import json

    opened = [o for o in outcomes if o.action == "opened" and not o.issue.planned]
    actions_io.set_outputs(
        {
            "issue-numbers": " ".join(str(o.issue.number) for o in opened),
            "issue-urls": "\n".join(o.issue.url for o in opened),
            "result": json.dumps([o.as_json() for o in outcomes]),
        }
    )
    if actions_io.in_actions():
        rows = ["| Team | Sprint | Dates | Issue | Previous |", "|---|---|---|---|---|"]
        for o in outcomes:
            dates_text = f"{o.sprint.start} → {o.sprint.end}" if o.sprint else "-"
            issue = "-"
            if o.issue is not None:
                issue = (
                    "would open"
                    if o.issue.planned
                    else f"[#{o.issue.number}]({o.issue.url}) "
                    + ("opened" if o.action == "opened" else "already open")
                )
            elif o.notes:
                issue = o.notes[0]
            previous = f"#{o.previous.number} {o.previous_action or 'already linked'}" if o.previous else "-"
            rows.append(
                f"| {o.team.name} | {o.sprint.number if o.sprint else '-'} | {dates_text} | "
                f"{issue} | {previous} |"
            )
        title = "### gh-ops sprint open" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(title + "\n\n" + "\n".join(rows) + "\n")
