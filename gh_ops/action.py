"""Entry point of the composite GitHub Action: runs gh-ops as the GH_OPS_* variables describe."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Mapping
from typing import Any

from gh_ops.actions_io import annotate
from gh_ops.errors import EXIT_USAGE

# Command words are plain lowercase words such as "sprint" or "open". Anything else
# ("--help", "; rm -rf /", "$(id)") is refused before it can reach the CLI as an option.
COMMAND_WORD = re.compile(r"[a-z][a-z-]*")

TRUE_WORDS = frozenset({"true"})
FALSE_WORDS = frozenset({"false"})


class ActionInputError(Exception):
    """An Action input is unusable; the message says which one and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def top_level_commands() -> frozenset[str]:
    """The CLI's top-level command names, imported lazily so this module loads without it."""
    from gh_ops.cli import main as cli_group

    return frozenset(cli_group.commands)


def parse_command_words(raw_command: str) -> list[str]:
    words = raw_command.split()
    if not words:
        raise ActionInputError("the 'command' input is empty; give a gh-ops command such as 'sprint open'")
    for word in words:
        if not COMMAND_WORD.fullmatch(word):
            raise ActionInputError(
                f"the 'command' input has {word!r}, which is not a command word "
                "(lowercase letters and '-' only); put options in the 'args' input"
            )
    known = top_level_commands()
    if words[0] not in known:
        raise ActionInputError(
            f"unknown command {words[0]!r} in the 'command' input; known commands: {', '.join(sorted(known))}"
        )
    return words


def parse_dry_run(raw_dry_run: str) -> bool:
    # Only the two words GitHub itself renders for booleans: a typo such as "ture" must
    # not silently mean "really do it".
    word = raw_dry_run.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ActionInputError(f"the 'dry-run' input must be 'true' or 'false', not {raw_dry_run!r}")


def split_extra_args(raw_args: str) -> list[str]:
    # shlex gives users shell-like quoting (--var "title=a b") without ever running a shell.
    try:
        return shlex.split(raw_args)
    except ValueError as exc:  # shlex reports unbalanced quotes as ValueError
        raise ActionInputError(f"cannot split the 'args' input: {exc} in {raw_args!r}") from exc


def build_argv(env: Mapping[str, str]) -> list[str]:
    """The CLI argv for these environment variables: global options, command words, extra args."""
    command_words = parse_command_words(env.get("GH_OPS_COMMAND", ""))
    extra_args = split_extra_args(env.get("GH_OPS_ARGS", ""))
    dry_run = parse_dry_run(env.get("GH_OPS_DRY_RUN", "false"))
    config_path = env.get("GH_OPS_CONFIG", "").strip()

    # Global options must precede the command words for click to treat them as global.
    global_options: list[str] = []
    if config_path:
        global_options += ["--config", config_path]
    if dry_run:
        global_options.append("--dry-run")
    return [*global_options, *command_words, *extra_args]


def shown_argv(argv: list[str]) -> list[str]:
    """argv as it may be logged. A command about a person (a joiner's or leaver's name, dates, an
    involuntary departure) must not put their details in a run log that may be public: every value
    is hidden, whether given as `--name VALUE`, `--name=VALUE` or as an argument, and only the
    command words and option names are shown."""
    import click

    from gh_ops.cli import main as cli_group
    from gh_ops.registry import capabilities

    personal = {c.name for cap in capabilities() if cap.personal for c in cap.commands}
    personal |= {kind.name for cap in capabilities() if cap.personal for kind in cap.previews}
    if not personal & set(argv):
        return argv
    command: click.Command = cli_group
    takes_value = _options_with_values(command)
    shown: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            shown.append("…")
            hide_next = False
        elif arg.startswith("-") and "=" in arg:
            shown.append(arg.split("=", 1)[0] + "=…")
        elif arg.startswith("-"):
            shown.append(arg)
            hide_next = arg in takes_value
        elif isinstance(command, click.Group) and arg in command.commands:
            command = command.commands[arg]
            takes_value |= _options_with_values(command)
            shown.append(arg)
        else:  # an argument: shown only when it is one of a fixed set of words (preview's KIND)
            fixed = [p.type.choices for p in command.params if isinstance(p.type, click.Choice)]
            shown.append(arg if any(arg in choices for choices in fixed) else "…")
    return shown


def _options_with_values(command: Any) -> set[str]:
    """The option names of a click command that take a value (not flags)."""
    import click

    return {
        name
        for param in command.params
        if isinstance(param, click.Option) and not param.is_flag and not param.count
        for name in (*param.opts, *param.secondary_opts)
    }


def report_input_error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr, flush=True)
    annotate("error", message, title="gh-ops")


def main() -> None:
    from gh_ops.actions_io import mask
    from gh_ops.context import secret_values

    mask(secret_values())  # before anything is printed
    try:
        argv = build_argv(os.environ)
    except ActionInputError as exc:
        report_input_error(exc.message)
        raise SystemExit(EXIT_USAGE) from None

    from gh_ops.cli import main as cli_group

    # Shown so a user can see how their 'args' input was split.
    print(f"Running: {shlex.join(['gh-ops', *shown_argv(argv)])}", file=sys.stderr, flush=True)
    # Standalone mode: click raises SystemExit with the CLI's exit code, which becomes ours.
    cli_group.main(args=argv, prog_name="gh-ops")


if __name__ == "__main__":
    main()
