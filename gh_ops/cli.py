"""The `gh-ops` command: global options, subcommands, and errors turned into exit codes. No rules here."""

from __future__ import annotations

import sys
from collections.abc import Mapping
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
    3 GitHub API failure after retries, 4 internal error (a bug in gh-ops).
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


GLOBAL_HELP = {
    "--config": "Config file (default .github/gh-ops.yml).",
    "--repo": "Repository to act on (default $GITHUB_REPOSITORY).",
    "--dry-run": "Make no changes; print every change that would be made.",
    "--now": "Act as of this ISO-8601 date/time (backfills; the future only with --dry-run).",
    "--verbose": "Show full payloads and tracebacks.",
}


def global_options(command: Any = None, *, without: tuple[str, ...] = ()) -> Any:
    """Accept the global options after the subcommand too (`gh-ops sprint open --dry-run`).

    `@global_options(without=("--repo",))` leaves one out, for a command that gives it its own meaning.
    """
    if command is None:
        return lambda decorated: global_options(decorated, without=without)
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
            help=GLOBAL_HELP[flag],
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


# --- people: onboarding and offboarding ---------------------------------------------------------

# Each person option, and the parameter click gives it.
PERSON_PARAMS = {
    "--login": "login",
    "--name": "name",
    "--team": "team",
    "--role": "role",
    "--start": "start",
    "--buddy": "buddy",
    "--manager": "manager",
    "--last-day": "last_day",
    "--kind": "leave_kind",
}
PERSON_HELP = {
    "--login": ("LOGIN", "The person's GitHub username."),
    "--name": ('"NAME"', "Their full name."),
    "--team": ("TEAM", "Their team: an id (or name) from the config."),
    "--role": ("ROLE", "engineering, product, design, ops or other (default: other)."),
    "--start": ("YYYY-MM-DD", "Their first day."),
    "--buddy": ("LOGIN", "Their onboarding buddy."),
    "--manager": ("LOGIN", "Their manager."),
    "--last-day": ("YYYY-MM-DD", "Their last day."),
    "--kind": ("KIND", "voluntary or involuntary."),
}


def person_options(flags: tuple[str, ...]) -> Any:
    def decorate(command: Any) -> Any:
        for flag in reversed(flags):
            metavar, text = PERSON_HELP[flag]
            command = click.option(flag, PERSON_PARAMS[flag], metavar=metavar, help=text)(command)
        return command

    return decorate


def _answers_from_flags(kind: str, values: dict[str, Any]) -> dict[str, str | None] | None:
    """The options as issue-form answers (one validation for both), or None when none were given."""
    from gh_ops import people

    questions = people.JOINER_QUESTIONS if kind == "onboarding" else people.LEAVER_QUESTIONS
    answers = {question: values.get(PERSON_PARAMS[flag]) for question, flag in questions.items()}
    return answers if any(v is not None for v in answers.values()) else None


JOINER_FLAGS = ("--login", "--name", "--team", "--start", "--role", "--buddy", "--manager")
LEAVER_FLAGS = ("--login", "--name", "--last-day", "--kind", "--manager")


@main.group()
def onboarding() -> None:
    """Onboarding checklist issues: one per joiner, dated from their start."""


@onboarding.command("open")
@global_options
@person_options(JOINER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (not recommended).")
@click.pass_obj
def onboarding_open(run: Run, allow_public: bool, **values: Any) -> None:
    """Open the joiner's checklist (or move its dates). With no options: from the issues event."""
    _open_person_issue(run, "onboarding", values, allow_public)


@main.group()
def offboarding() -> None:
    """Offboarding checklist issues: one per leaver, dated from their last day."""


@offboarding.command("open")
@global_options
@person_options(LEAVER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (refused otherwise).")
@click.pass_obj
def offboarding_open(run: Run, allow_public: bool, **values: Any) -> None:
    """Open the leaver's checklist (or move its dates). With no options: from the issues event."""
    _open_person_issue(run, "offboarding", values, allow_public)


def _open_person_issue(run: Run, kind: str, values: dict[str, Any], allow_public: bool) -> None:
    import json

    from gh_ops import people
    from gh_ops.errors import GitHubError
    from gh_ops.forms import parse_form
    from gh_ops.render import Renderer

    config = run.load_config()
    run.personal = True  # names and dates stay out of the log unless --verbose
    flag_repo = run.repo_flag()
    answers = _answers_from_flags(kind, values)
    request = None
    if answers is not None:
        person = _person(config, kind, answers, "flags")
        current_repo, current_private = run.repo(required=False), None
        gh = run.github()
    else:
        event_name, payload = run.event()
        request = people.request_from_event(event_name, payload, kind, config)
        if request is None:
            label = people.settings(config, kind).form_label
            say(f"nothing to do: not an opened or edited request labelled {label!r}")
            return
        gh = run.github()
        try:
            request = people.refresh_request(gh, request)
            if request.state_reason == "not_planned":
                say(f"nothing to do: request {request.ref} was closed as not planned")
                return
            if kind == "offboarding" and request.private is False:
                warn(f"the leaver request {request.ref} is in a public repository, where anyone can read it")
            try:
                person = _person(config, kind, parse_form(request.body), "form")
            except people.AnswersError as exc:
                try:
                    people.report_bad_answers(gh, config, kind, request, exc)
                except GitHubError as comment_failure:
                    warn(f"could not comment on {request.ref}: {comment_failure.message}")
                raise
        finally:
            if sys.exc_info()[0] is not None:
                _report_requests(run)
        current_repo, current_private = request.repo, request.private
    try:
        repo, private = people.resolve_people_repo(
            gh, config, flag_repo=flag_repo, current_repo=current_repo, current_private=current_private
        )
        outcome = people.open_person_issue(
            kind=kind,
            person=person,
            gh=gh,
            config=config,
            renderer=Renderer(config.templates_dir),
            repo=repo,
            repo_private=private,
            allow_public=allow_public,
            now=run.now_for_writes(config),
            request=request,
            say=say,
            warn=warn,
        )
    finally:
        _report_requests(run)
    issue = outcome.issue
    real = issue is not None and not issue.planned
    actions_io.set_outputs(
        {
            "issue-numbers": str(issue.number) if real and issue else "",
            "issue-urls": issue.url if real and issue else "",
            "result": json.dumps([outcome.as_json()]),
        }
    )
    if actions_io.in_actions():
        where = f"[#{issue.number}]({issue.url})" if real and issue else "(dry run)"
        # No name, login or date: a step summary may be readable by more people than the issue.
        actions_io.add_summary(f"### gh-ops {kind}\n\n{outcome.action}: {where} in {repo}\n")


def _person(config: Any, kind: str, answers: Mapping[str, str | None], source: str) -> Any:
    from gh_ops import people

    if kind == "onboarding":
        return people.joiner_from_answers(answers, config, source=source)
    return people.leaver_from_answers(answers, config, source=source)


@main.command()
@global_options
@click.argument("kind", type=click.Choice(["sprint", "onboarding", "offboarding"]))
@person_options(tuple(dict.fromkeys(("--team", *JOINER_FLAGS, *LEAVER_FLAGS))))
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a template variable (dotted keys reach inside: sprint.number=7). Repeatable.",
)
@click.pass_obj
def preview(run: Run, kind: str, variables: tuple[str, ...], **values: Any) -> None:
    """Render an issue (title, labels, assignees, body) to stdout. No token, no network.

    \b
    sprint:      --team NAME
    onboarding:  --login --name --team --start [--role --buddy --manager]
    offboarding: --login --name --last-day --kind [--manager]
    Without person options, onboarding and offboarding render for a sample person.
    """
    from gh_ops import preview as offline

    config = run.load_config(allow_embedded=True)
    if config.embedded:
        info("(no .github/gh-ops.yml here: using the embedded example config)")
    applies = {"sprint": ("--team",), "onboarding": JOINER_FLAGS, "offboarding": LEAVER_FLAGS}[kind]
    stray = [f for f, param in PERSON_PARAMS.items() if values.get(param) is not None and f not in applies]
    if stray:
        raise UsageError(
            f"{', '.join(stray)} does not apply to preview {kind} (it takes {', '.join(applies)})"
        )
    team = values.get("team")
    if kind != "sprint":
        rendered = offline.preview_person(
            config,
            kind,
            answers=_answers_from_flags(kind, values),
            now=run.now(config),
            repo=run.repo(required=False) or "OWNER/REPO",
            overrides=_parse_vars(variables),
            note=info,
        )
        _print_rendered(rendered)
        return
    rendered = offline.preview_issue(
        config,
        kind,
        team_key=team,
        now=run.now(config),
        repo=run.repo(required=False) or "OWNER/REPO",
        overrides=_parse_vars(variables),
        note=info,
    )
    _print_rendered(rendered)


def _print_rendered(rendered: Any) -> None:
    say(f"title: {rendered.title}")
    say(f"labels: {', '.join(rendered.labels) or '-'}")
    say(f"assignees: {', '.join(rendered.assignees) or '-'}")
    say(f"milestone: {rendered.milestone or '-'}")
    say("---")
    sys.stdout.write(rendered.body if rendered.body.endswith("\n") else rendered.body + "\n")


# --- rfc --------------------------------------------------------------------------------------------


@main.group()
def rfc() -> None:
    """Requests for comments: decisions proposed in pull requests titled "RFC: ..."."""


@rfc.command("new")
@global_options
@click.argument("title")
@click.option("--decider", metavar="LOGIN", help="The one person who makes the decision.")
@click.option(
    "--by", "by", metavar="YYYY-MM-DD", help="Decision date. Default: today + rfc.max_decision_days."
)
@click.option("--out", metavar="PATH", help="File to write. Default: <rfc.folder>/<today>-<title>.md")
@click.pass_obj
def rfc_new(run: Run, title: str, decider: str | None, by: str | None, out: str | None) -> None:
    """Write a new RFC document from the template, to fill in and propose in a pull request.

    Local only: no token, no network. Prints the path of the file it wrote; never overwrites one.
    With --dry-run, prints the document instead of writing it.
    """
    from pathlib import Path

    from gh_ops import dates
    from gh_ops import rfc as rfcs
    from gh_ops.render import Renderer

    config = run.load_config(allow_embedded=True)
    if config.embedded:
        info("(no .github/gh-ops.yml here: using the embedded example config)")
    today = dates.local_date(run.now(config), config.timezone)
    plan = rfcs.plan_new(config, title=title, decider=decider, by=by, out=out, today=today)
    for message in plan.warnings:
        warn(message)
    context = rfcs.new_context(
        config, title=plan.title, decider=plan.decider, decide_by=plan.decide_by, today=today
    )
    rendered = Renderer(config.templates_dir).render_issue(config.rfc.template, context)
    text = rfcs.document_text(rendered.title, rendered.body)
    path = Path(plan.path)
    if path.exists():
        raise UsageError(f"{path} already exists: gh-ops never overwrites it (choose another --out)")
    if run.dry_run:
        info(f"dry run: would write {path}")
        sys.stdout.write(text)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise UsageError(
            f"{path} already exists: gh-ops never overwrites it (choose another --out)"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    say(str(path))
    info(f'next: fill it in, then open a pull request titled "{rendered.title}"')


@rfc.command("check")
@global_options
@click.option("--pr", "number", type=click.IntRange(min=1), metavar="N", help="Check this pull request.")
@click.pass_obj
def rfc_check(run: Run, number: int | None) -> None:
    """Check an RFC pull request: its sections, decision maker, date and feedback people.

    \b
    Without --pr, checks the pull request of the triggering event (pull_request, or a review or
    comment on one). Posts a check run "RFC", keeps one comment up to date (problems, who has
    responded, moved dates), adds the label and records the decision at merge.
    Exit 1 when the RFC is malformed, or merged with no decision recorded.
    A pull request that is not an RFC costs no request when its files can be read from the checkout.
    """
    from gh_ops import rfc_watch

    config = run.load_config()
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    event_name, payload = (None, None) if number is not None else run.event()
    try:
        result = rfc_watch.check(
            run.github,
            config,
            repo,
            now,
            number=number,
            event_name=event_name,
            payload=payload,
            say=say,
            warn=warn,
        )
    finally:
        _report_requests(run)
    if not result.rfc:
        say(f"nothing to do: #{result.number} is {result.why_not}" if result.number else result.why_not)
        return
    _report_rfc_check(run, result)


def _report_rfc_check(run: Run, result: Any) -> None:
    from gh_ops.errors import EXIT_POLICY

    a, applied = result.assessment, result.applied
    for warning in applied.warnings:
        warn(warning)
    actions_io.set_outputs({"result": result.status})
    if actions_io.in_actions():
        lines = [f"### gh-ops rfc check: #{a.pull.number}{' (dry run)' if run.dry_run else ''}", ""]
        lines.append(f"Status: **{result.status}**")
        lines += [f"- {p.message} {p.fix}" for p in a.problems]
        actions_io.add_summary("\n".join(lines) + "\n")
    if applied.failed:
        from gh_ops.errors import GitHubError

        done = "; ".join(applied.done) or "nothing"
        raise GitHubError(
            f"could not {'; '.join(applied.failed)} on #{a.pull.number}. Done: {done}. Re-running is safe."
        )
    say(f"#{a.pull.number}: {result.status}" + (f" ({len(a.problems)} problem(s))" if a.problems else ""))
    for problem in a.problems:
        line = f" (line {problem.line} of the description)" if problem.line else ""
        say(f"  - {problem.message}{line} {problem.fix}")
    if result.failed_policy:
        actions_io.annotate("error", f"RFC #{a.pull.number} is {result.status}", title="gh-ops rfc check")
        sys.exit(EXIT_POLICY)


@rfc.command("remind")
@global_options
@click.pass_obj
def rfc_remind(run: Run) -> None:
    """The scheduled sweep over open RFCs (safe to run hourly, twice or late).

    \b
    The day before a decision date, mentions the required feedback people who have not responded
    (once). After it, mentions the decision maker once per rfc.remind_every and sets the overdue
    label (removed when the decision is recorded). Writes a digest to the step summary.
    """
    from gh_ops import rfc_watch

    config = run.load_config()
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    gh = run.github()
    try:
        result = rfc_watch.remind(gh, config, repo, now, say=say, warn=warn)
    finally:
        _report_requests(run)
    text = rfc_watch.digest(result.rows, now, config, dry_run=run.dry_run)
    say(text.rstrip())
    actions_io.add_summary(text)  # also when some RFCs failed: the others are still reported
    failure = result.error()
    if failure is not None:
        raise failure


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
    now = run.now_for_writes(config)
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


def _given_repos(run: Run, repos: tuple[str, ...], org: str | None) -> list[str]:
    """The repositories of repeatable --repo options, checked (with --org: maybe none; with
    neither: the current one)."""
    import re

    from gh_ops.context import valid_repo

    if org is not None and not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", org):
        raise UsageError(f"--org {org!r} is not an organization name")
    for repo in repos:
        if not valid_repo(repo):
            raise UsageError(f"--repo {repo!r} is not of the form OWNER/NAME")
    chosen = list(dict.fromkeys(repos))
    if not chosen and org is None:
        chosen = [run.repo()]  # type: ignore[list-item]  # required: raises when there is none
    return chosen


def _with_org_repos(gh: Any, chosen: list[str], org: str | None, say_: Any) -> list[str]:
    """`chosen` and, with --org, every repository of the organization that is not archived."""
    if org is None:
        return chosen
    from gh_ops import priority as priorities

    return list(dict.fromkeys([*chosen, *priorities.org_repositories(gh, org, say=say_)]))


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
                personal = run.personal and not run.verbose
                say(f"  {write.method} {write.path}" if personal else f"  {write}")
                detail = _short_payload(write.payload)
                if run.personal and "title" in detail:
                    detail["title"] = "<personal: shown with --verbose>"
                say("    " + json.dumps(write.payload if run.verbose else detail, ensure_ascii=False))
        else:
            say("dry run: nothing to write")


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


# --- priority -----------------------------------------------------------------------------------------


@main.group()
def priority() -> None:
    """Bug priorities: one label set, one priority label per bug, CVSS for security, triage."""


@priority.command("labels")
@global_options(without=("--repo",))
@click.option(
    "--repo",
    "repos",
    multiple=True,
    metavar="OWNER/NAME",
    help="A repository to update (repeatable). Default: $GITHUB_REPOSITORY.",
)
@click.option("--org", metavar="ORG", help="Every repository of this organization that is not archived.")
@click.pass_obj
def priority_labels(run: Run, repos: tuple[str, ...], org: str | None) -> None:
    """Create or update the priority labels (P0-P3, security-P0-P3, security, and the config's).

    Touches only the labels it manages, never deletes one, and prints what it changes.
    """
    from gh_ops import priority as priorities

    config = run.load_config(allow_embedded=True)
    chosen = _given_repos(run, repos, org)
    gh = run.github()
    try:
        chosen = _with_org_repos(gh, chosen, org, say)
        changes = priorities.sync_labels(gh, chosen, config.priority.labels, say=say)
    finally:
        _report_requests(run)
    made = [c for c in changes if c.action != "same"]
    import json

    actions_io.set_outputs(
        {"result": json.dumps([{"repo": c.repo, "label": c.label.name, "action": c.action} for c in changes])}
    )
    if actions_io.in_actions():
        rows = [f"| {c.repo} | `{c.label.name}` | {c.action} |" for c in made]
        title = "### gh-ops priority labels" + (" (dry run)" if run.dry_run else "")
        table = (
            "| Repository | Label | Change |\n|---|---|---|\n" + "\n".join(rows) if rows else "No changes."
        )
        actions_io.add_summary(f"{title}\n\n{len(chosen)} repositories.\n\n{table}\n")


@priority.command("apply")
@global_options
@click.option(
    "--issue", "number", type=click.IntRange(min=1), metavar="N", help="This issue, not the event's."
)
@click.pass_obj
def priority_apply(run: Run, number: int | None) -> None:
    """Give a bug its one priority label, from the issues event (opened, edited, labeled) or --issue N.

    A person's priority label is final; otherwise the issue form's answer, then a CVSS vector, then the
    configured rules decide.
    """
    import json

    from gh_ops import priority as priorities

    config = run.load_config(allow_embedded=True)
    if number is not None:
        repo = run.repo()
        assert repo is not None
        gh = run.github()
        try:
            issue = gh.get_issue(repo, number)
        except Exception:
            _report_requests(run)
            raise
        if issue.is_pull_request:
            raise UsageError(f"#{number} in {repo} is a pull request, not an issue")
        target: Any = priorities.Target(repo, issue, None)
    else:
        event_name, payload = run.event()
        target = priorities.target_from_event(event_name, payload, config)
        if isinstance(target, str):
            say(target)
            return
        gh = run.github()
    try:
        outcome = priorities.apply_priority(gh, config, target, say=say, warn=warn)
    finally:
        _report_requests(run)
    actions_io.set_outputs({"result": json.dumps(outcome.as_json())})
    if actions_io.in_actions():
        title = "### gh-ops priority apply" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(f"{title}\n\n#{outcome.number}: {outcome.reason}\n")


@priority.command("triage")
@global_options
@click.pass_obj
def priority_triage(run: Run) -> None:
    """Ask once for a priority on open bugs without one, older than priority.untriaged_after.

    Writes counts per priority and the untriaged list to the step summary.
    """
    from gh_ops import priority as priorities

    config = run.load_config(allow_embedded=True)
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    gh = run.github()
    try:
        report = priorities.triage(gh, config, repo, now, say=say)
    finally:
        _report_requests(run)
    summary = report.summary(priorities.duration_text(config.priority.untriaged_after))
    if actions_io.in_actions():
        actions_io.add_summary(summary)
        say(", ".join(f"{label}: {count}" for label, count in report.counts.items()))
    else:
        sys.stdout.write(summary)


# --- yolo -----------------------------------------------------------------------------------------


@main.group()
def yolo() -> None:
    """Yolo merges: changes that reach the default branch without someone else checking them."""


@yolo.command("check")
@global_options
@click.option(
    "--pr", "number", type=click.IntRange(min=1), metavar="N", help="Check this merged pull request."
)
@click.option("--fail-on-yolo", is_flag=True, help="Exit 1 when a yolo merge is not declared an emergency.")
@click.pass_obj
def yolo_check(run: Run, number: int | None, fail_on_yolo: bool) -> None:
    """Check the event's change: a merged pull request, a push to the default branch, or a review.

    \b
    pull_request closed and merged: label a merge without a valid review (yolo-merge), keep one
    comment mentioning the merger up to date, and open a follow-up issue for an emergency merge.
    push: report every commit without a merged pull request (direct push) and force-pushes.
    pull_request_review submitted after the merge: a valid approval clears the flag.
    """
    from gh_ops import yolo_watch

    config = run.load_config(allow_embedded=True)
    repo = run.repo()
    assert repo is not None
    event_name, payload = (None, None) if number is not None else run.event()
    try:
        result = yolo_watch.check(
            run.github, config, repo, number=number, event_name=event_name, payload=payload, say=say
        )
    finally:
        _report_requests(run)
    if not result.outcomes:
        say(f"nothing to do: {result.why_not}" if result.why_not else "nothing to do: no yolo merge")
        actions_io.set_outputs({"result": "[]"})
        return
    _report_yolo(run, "gh-ops yolo check", result.outcomes, fail_on_yolo)


def _report_yolo(run: Run, title: str, outcomes: list[Any], fail_on_yolo: bool) -> None:
    import json

    from gh_ops.errors import EXIT_POLICY

    actions_io.set_outputs({"result": json.dumps([o.as_json() for o in outcomes])})
    lines = []
    for o in outcomes:
        change = f"#{o.number}" if o.number is not None else o.sha[:7]
        v = o.verdict
        if not v.yolo:
            text = f"{change}: " + ("reviewed" if o.number is not None else "pushed by an allowed bot")
        elif v.cleared:
            who = ", ".join(v.post_merge_reviewers)
            text = f"{change}: {', '.join(v.reasons)}; reviewed after the merge by {who}"
        else:
            kind = "emergency merge, review needed" if v.emergency else "yolo merge"
            text = f"{change}: {kind} ({', '.join(v.reasons)})"
            if o.before or o.after:
                text += f", {o.before or '?'}...{o.after or '?'}"
            if o.follow_up:
                text += f"; follow-up #{o.follow_up}"
        lines.append(text)
        say(text)
        if v.yolo and not v.cleared:
            actions_io.annotate("warning" if v.emergency else "error", text, title=title)
    if actions_io.in_actions():
        heading = f"### {title}" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(heading + "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")
    if fail_on_yolo and any(o.verdict.unexcused for o in outcomes):
        sys.exit(EXIT_POLICY)


@yolo.command("audit")
@global_options(without=("--repo",))
@click.option("--since", required=True, metavar="30d|YYYY-MM-DD", help="The start of the period.")
@click.option(
    "--repo",
    "repos",
    multiple=True,
    metavar="OWNER/NAME",
    help="A repository to audit (repeatable). Default: $GITHUB_REPOSITORY.",
)
@click.option("--org", metavar="ORG", help="Every repository of this organization that is not archived.")
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json", "csv"]), default="markdown", show_default=True
)
@click.option("--fail-on-yolo", is_flag=True, help="Exit 1 when a yolo merge is not declared an emergency.")
@click.pass_obj
def yolo_audit(
    run: Run, since: str, repos: tuple[str, ...], org: str | None, fmt: str, fail_on_yolo: bool
) -> None:
    """Report every change to the default branch since a date: reviewed, yolo, emergency.

    Reads 100 commits per request, each with its pull request and reviews.
    """
    from gh_ops import yolo_watch
    from gh_ops.errors import EXIT_POLICY

    config = run.load_config(allow_embedded=True)
    start = _since(since, run.now(config))
    chosen = _given_repos(run, repos, org)
    gh = run.github()
    try:
        chosen = _with_org_repos(gh, chosen, org, info)
        result = yolo_watch.audit(gh, config, chosen, start, say=info)
    finally:
        _report_requests(run)
    text = {
        "json": yolo_watch.report_json,
        "csv": yolo_watch.report_csv,
        "markdown": yolo_watch.report_markdown,
    }[fmt](result)
    sys.stdout.write(text)
    if actions_io.in_actions():
        actions_io.add_summary(yolo_watch.report_markdown(result))
    if fail_on_yolo and result.unexcused:
        info(f"{len(result.unexcused)} yolo merge(s) neither declared an emergency nor reviewed since")
        sys.exit(EXIT_POLICY)


def _since(text: str, now: Any) -> Any:
    """`30d` (days before now) or a date YYYY-MM-DD (midnight UTC)."""
    import re
    from datetime import UTC, datetime, timedelta

    days = re.fullmatch(r"([1-9][0-9]{0,4})d", text.strip())
    if days:
        return now.astimezone(UTC) - timedelta(days=int(days.group(1)))
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected a number of days such as 30d, or a date YYYY-MM-DD"
        ) from None
    start = day.replace(tzinfo=UTC)
    if start > now.astimezone(UTC):
        raise UsageError(f"--since {text} is in the future: nothing to audit")
    return start
