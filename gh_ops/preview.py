"""Offline rendering: `gh-ops preview KIND` renders one issue, `gh-ops validate` checks the config and
renders every configured template. Each capability contributes its kinds and its template checks
(sample data of its own); this module knows none of them by name. No token, no network."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from gh_ops.context import Run, info, say
from gh_ops.errors import ConfigError, Problem, TemplateError, UsageError
from gh_ops.options import READ_ONLY_NOW_HELP, global_options

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.registry import Capability
    from gh_ops.render import RenderedIssue, Renderer

SAMPLE_REPO = "OWNER/REPO"  # when neither --repo nor $GITHUB_REPOSITORY names one
SAMPLE_WEB_URL = "https://github.com"

# The longest values `validate` renders with, so a template that fits GitHub's limits with the
# short samples but not with real data is caught before a run fails on it.
LONGEST_LOGIN = "a" * 38 + "z"  # GitHub logins have at most 39 characters


def long_text(length: int, words: str = "a long sample value") -> str:
    """Words repeated to exactly `length` characters (readable when a preview shows them)."""
    return (f"{words} " * (length // (len(words) + 1) + 1))[:length].rstrip().ljust(length, ".")


@dataclass(frozen=True)
class PreviewOption:
    """An option of `gh-ops preview` that some kind takes (e.g. `--team`)."""

    flag: str
    param: str
    metavar: str
    help: str


@dataclass(frozen=True)
class PreviewRequest:
    """What a kind's renderer gets: the options given (by parameter name, None when not given)."""

    config: Config
    kind: str
    values: dict[str, Any]
    now: datetime
    repo: str
    overrides: dict[str, str]
    note: Callable[[str], None]


@dataclass(frozen=True)
class PreviewKind:
    """A kind of issue `gh-ops preview KIND` renders, the options it takes and how it renders."""

    name: str
    options: tuple[PreviewOption, ...]
    usage: str  # one line of the command's help, e.g. "--team NAME"
    render: Callable[[PreviewRequest], RenderedIssue]
    note: str = ""  # a line for the command's help


@dataclass
class TemplateCheck:
    """What `validate` hands each capability: a renderer that collects every problem (a template
    that is not found points at the config key naming it) and the report lines."""

    config: Config
    now: datetime
    repo: str
    renderer: Renderer
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    _too_long: set[tuple[str | None, int | None]] = field(default_factory=set)

    def render(self, template: str, context: dict[str, Any], *, key: str) -> RenderedIssue | None:
        """The rendered issue, or None after recording the problem (once) under `key`."""
        try:
            rendered = self.renderer.render_issue(template, context)
            too_long = self.renderer.limit_problem(template, context, rendered)
            if too_long is not None:
                where = (too_long.file, too_long.line)
                if where not in self._too_long:  # once per line, not once per sample context
                    self._too_long.add(where)
                    self.add(too_long.problem)
                return None
            return rendered
        except TemplateError as exc:
            problem = exc.problem
            if exc.file is None:  # not found: point at the config key that names it
                problem = Problem(exc.message, self.config.path, self.config.line_of(key), key)
            self.add(problem)
            return None

    def add(self, problem: Problem) -> None:
        if str(problem) not in {str(p) for p in self.problems}:
            self.problems.append(problem)


def apply_overrides(context: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """Set `--var a.b=value` into the context; an empty value means none (e.g. --var previous_issue=)."""
    for dotted, value in overrides.items():
        target: Any = context
        keys = dotted.split(".")
        for key in keys[:-1]:
            if not isinstance(target.get(key), dict):
                raise UsageError(
                    f"--var {dotted}: {key!r} is not a group of values in this template's "
                    f"variables (known: {', '.join(sorted(target))})"
                )
            target = target[key]
        target[keys[-1]] = value if value != "" else None
    return context


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--var {pair!r}: expected KEY=VALUE (e.g. --var sprint.number=7)")
        parsed[key.strip()] = value
    return parsed


# --- the commands -------------------------------------------------------------------------------


def validate_command(capabilities: tuple[Capability, ...]) -> click.Command:
    @click.command("validate")
    @global_options(
        unused=("--repo", "--dry-run"), helps={"--now": "Date the sample data as of this ISO-8601 date/time."}
    )
    @click.pass_obj
    def validate(run: Run) -> None:
        """Check the config and render every configured template against sample data.

        Needs no token and no network. Uses the embedded example when .github/gh-ops.yml is absent.
        """
        from gh_ops.render import Renderer

        config = run.load_config(allow_embedded=True)
        repo = run.repo(required=False) or SAMPLE_REPO
        check = TemplateCheck(config, run.now(config), repo, Renderer(config.templates_dir))
        check.report.append(f"config: {config.path}")
        for capability in capabilities:
            if capability.check_templates is not None:
                capability.check_templates(check)
        for line in check.report:
            say(line)
        if check.problems:
            raise ConfigError(
                f"{config.path}: {len(check.problems)} problem(s) found", problems=check.problems
            )
        say(f"{config.path}: OK")

    return validate


def preview_command(capabilities: tuple[Capability, ...]) -> click.Command:
    kinds: dict[str, PreviewKind] = {}
    options: dict[str, PreviewOption] = {}
    for kind in (kind for capability in capabilities for kind in capability.previews):
        assert kind.name not in kinds, f"two capabilities preview {kind.name!r}"
        kinds[kind.name] = kind
        for option in kind.options:  # kinds may share an option (--team), spelt the same way
            assert options.setdefault(option.flag, option) == option, f"{option.flag} is defined twice"
    lines = [f"{(name + ':').ljust(13)}{kind.usage}" for name, kind in kinds.items()]
    notes = dict.fromkeys(kind.note for kind in kinds.values() if kind.note)

    @click.pass_obj
    def preview(run: Run, kind: str, variables: tuple[str, ...], **values: Any) -> None:
        config = run.load_config(allow_embedded=True)
        if config.embedded:
            info("(no .github/gh-ops.yml here: using the embedded example config)")
        chosen = kinds[kind]
        takes = [o.flag for o in chosen.options]
        stray = [flag for flag, o in options.items() if values.get(o.param) is not None and flag not in takes]
        if stray:
            raise UsageError(
                f"{', '.join(stray)} does not apply to preview {kind} (it takes {', '.join(takes)})"
            )
        request = PreviewRequest(
            config=config,
            kind=kind,
            values=values,
            now=run.now(config),
            repo=run.repo(required=False) or SAMPLE_REPO,
            overrides=_parse_vars(variables),
            note=info,
        )
        rendered = chosen.render(request)
        say(f"title: {rendered.title}")
        say(f"labels: {', '.join(rendered.labels) or '-'}")
        say(f"assignees: {', '.join(rendered.assignees) or '-'}")
        say(f"milestone: {rendered.milestone or '-'}")
        say("---")
        sys.stdout.write(rendered.body if rendered.body.endswith("\n") else rendered.body + "\n")

    preview.__doc__ = "\n".join(
        [
            "Render an issue (title, labels, assignees, body) to stdout. No token, no network.",
            "",
            "\b",
            *lines,
            *notes,
        ]
    )
    command: Any = preview
    command = click.option(
        "--var",
        "variables",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override a template variable (dotted keys reach inside: sprint.number=7). Repeatable.",
    )(command)
    for option in reversed(options.values()):
        command = click.option(option.flag, option.param, metavar=option.metavar, help=option.help)(command)
    command = click.argument("kind", type=click.Choice(list(kinds)))(command)
    command = global_options(command, unused=("--dry-run",), helps={"--now": READ_ONLY_NOW_HELP})
    return click.command("preview")(command)
