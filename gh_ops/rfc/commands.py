"""`gh-ops rfc new`, `rfc check` and `rfc remind`, and how their results are reported."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gh_ops import actions_io
from gh_ops.context import Run, info, say, warn
from gh_ops.errors import EXIT_POLICY, UsageError
from gh_ops.options import NUMBER, READ_ONLY_NOW_HELP, global_options, write_budget_option
from gh_ops.registry import Capability, Job, Permission, Trigger
from gh_ops.rfc import samples

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.rfc.run import CheckResult


@click.group()
def rfc() -> None:
    """Requests for comments: decisions proposed in pull requests titled "RFC: ..."."""


@rfc.command("new")
@global_options(
    unused=("--repo",),
    helps={"--dry-run": "Print the document instead of writing it.", "--now": READ_ONLY_NOW_HELP},
)
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
    from gh_ops import dates
    from gh_ops.render import Renderer
    from gh_ops.rfc import rules
    from gh_ops.rfc.settings import RfcSettings

    config = run.load_config(allow_embedded=True)
    if config.embedded:
        info("(no .github/gh-ops.yml here: using the embedded example config)")
    today = dates.local_date(run.now(config), config.timezone)
    plan = rules.plan_new(config, title=title, decider=decider, by=by, out=out, today=today)
    for message in plan.warnings:
        warn(message)
    context = rules.new_context(
        config, title=plan.title, decider=plan.decider, decide_by=plan.decide_by, today=today
    )
    template = config.section(RfcSettings).template
    rendered = Renderer(config.templates_dir).render_issue(template, context)
    text = rules.document_text(rendered.title, rendered.body)
    path = Path(plan.path)
    if path.exists():
        raise _exists(path)
    if run.dry_run:
        info(f"dry run: would write {path}")
        sys.stdout.write(text)
        return
    _write_document(path, text)
    say(str(path))
    info(f'next: fill it in, then open a pull request titled "{rendered.title}"')


def _write_document(path: Path, text: str) -> None:
    """Write a new RFC document to the working copy; never over an existing file (one made since the
    check above included)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _exists(path: Path) -> UsageError:
    return UsageError(f"{path} already exists: gh-ops never overwrites it (choose another --out)")


@rfc.command("lint")
@global_options(unused=("--repo", "--dry-run"), helps={"--now": READ_ONLY_NOW_HELP})
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.pass_obj
def rfc_lint(run: Run, files: tuple[str, ...]) -> None:
    """Check RFC documents before their pull request opens: the rules and problem codes of `rfc check`.

    \b
    Local only: no token, no network. The document's first `# ` heading is the pull request's
    title, the rest its description; it opens on the date the file name starts with (as `rfc new`
    names it), else today. Prints `file:line: code: message` per problem; exit 1 on any.
    A README in the RFC folder is skipped, as `rfc check` skips it.
    """
    from gh_ops.rfc import rules

    config = run.load_config(allow_embedded=True)
    now = run.now(config)
    unreadable: list[str] = []
    found = 0
    for name in files:
        if _folder_readme(name, config):
            info(f"{name}: skipped (the RFC folder's README is not an RFC)")
            continue
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            unreadable.append(f"{name}: cannot read it ({reason})")
            continue
        for problem in rules.lint_document(text, name, now, config):
            found += 1
            say(f"{name}:{problem.line}: {problem.code}: {problem}")
    if unreadable:
        raise UsageError("\n".join(unreadable))
    if found:
        info(f"{found} problem(s) in {len(files)} file(s): fix them before opening the pull request")
        click.get_current_context().exit(EXIT_POLICY)


def _folder_readme(name: str, config: Config) -> bool:
    """The README at the top of the RFC folder (as given relative to the repository's root)."""
    from gh_ops.rfc.rules import in_rfc_folder
    from gh_ops.rfc.settings import RfcSettings

    path = name.replace("\\", "/").removeprefix("./")
    return path.startswith(config.section(RfcSettings).folder) and not in_rfc_folder(path, config)


@rfc.command("check")
@global_options
@write_budget_option
@click.option("--pr", "number", type=NUMBER, metavar="N", help="Check this pull request.")
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
    from gh_ops.rfc import run as rfc_run

    config = run.load_config()
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    event_name, payload = (None, None) if number is not None else run.event()
    try:
        result = rfc_run.check(
            run.context(config, now), repo, number=number, event_name=event_name, payload=payload
        )
    finally:
        run.report_requests()
    if not result.rfc:
        say(f"nothing to do: #{result.number} is {result.why_not}" if result.number else result.why_not)
        return
    _report_check(run, result)
    if result.failed_policy:
        click.get_current_context().exit(EXIT_POLICY)


def _report_check(run: Run, result: CheckResult) -> None:
    a, applied = result.assessment, result.applied
    assert a is not None and applied is not None and result.status is not None
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


@rfc.command("remind")
@global_options
@write_budget_option
@click.pass_obj
def rfc_remind(run: Run) -> None:
    """The scheduled sweep over open RFCs (safe to run hourly, twice or late).

    \b
    The day before a decision date, mentions the required feedback people who have not responded
    (once). After it, mentions the decision maker once per rfc.remind_every and sets the overdue
    label (removed when the decision is recorded). Writes a digest to the step summary.
    """
    from gh_ops.rfc import run as rfc_run
    from gh_ops.rfc.texts import digest

    config = run.load_config()
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    try:
        result = rfc_run.remind(run.context(config, now), repo)
    finally:
        run.report_requests()
    text = digest(result.rows, now, config, dry_run=run.dry_run)
    say(text.rstrip())
    actions_io.add_summary(text)  # also when some RFCs failed: the others are still reported
    failure = result.error()
    if failure is not None:
        raise failure


def route(event_name: str, payload: Mapping[str, Any], config: Config) -> tuple[tuple[str, ...], ...]:
    """`gh-ops run` on a pull request or review: `rfc check` (it tells an RFC from any other pull
    request, from the checkout when it can, at no request)."""
    return (("rfc", "check"),) if event_name in ("pull_request", "pull_request_review") else ()


CAPABILITY = Capability(
    name="rfc",
    commands=(rfc,),
    check_templates=samples.check_templates,
    triggers=(
        # closed: record the decision at merge (or the decline); edited: moved dates, fixed sections.
        Trigger(
            "pull_request",
            (
                "opened",
                "edited",
                "synchronize",
                "reopened",
                "ready_for_review",
                "assigned",
                "unassigned",
                "closed",
            ),
        ),
        Trigger("pull_request_review", ("submitted",)),  # keeps "who has responded" up to date
    ),
    route=route,
    scheduled=(
        Job(
            "rfc remind",
            cron="17 * * * *",
            why="hourly: reminders go out once per rfc.remind_every; picks up comments and decisions",
        ),
    ),
    dispatchable=(
        Job("rfc remind", why="the sweep now"),
        Job("rfc check", why="one pull request; args: --pr N"),
    ),
    permissions=(
        Permission("contents", "read", "read .github/gh-ops.yml and the templates"),
        Permission("pull-requests", "write", "the RFC comment, labels and assignees, reminders"),
        Permission("issues", "write", "labels are issue labels (the overdue label)"),
        Permission("checks", "write", 'the "RFC" check run'),
    ),
    step_env=(("GH_OPS_CHAT_WEBHOOK", "RFC_CHAT_WEBHOOK", "optional: new RFCs and decisions to chat"),),
)
