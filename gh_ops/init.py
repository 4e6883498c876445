"""`gh-ops init`: the files that set gh-ops up in a repository (the commented config, and what each
enabled capability needs beside it, such as people's issue forms), written at the repository's top
level without overwriting anything. The config's comments come from the JSON Schema, so they say what
`validate` checks."""

from __future__ import annotations

import re
import subprocess
import textwrap
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gh_ops import __version__
from gh_ops.context import Run, say, warn
from gh_ops.errors import UsageError
from gh_ops.options import global_options

if TYPE_CHECKING:
    from gh_ops.registry import Capability

CONFIG_PATH = ".github/gh-ops.yml"
WIDTH = 100  # of the config's comment lines

# The shared keys' values in the config init writes (the embedded example's teams).
SHARED_EXAMPLE: dict[str, Any] = {
    "timezone": "Europe/London",
    "bot": "github-actions[bot]",
    "teams": {
        "web": {
            "name": "Team Web",
            "lead": "alice",
            "members": ["alice", "bob", "carol"],
            "labels": ["team/web"],
            "timezone": "America/New_York",
        },
        "infra": {"name": "Team Infra", "lead": "dave", "members": ["dave", "erin"]},
    },
}

CONFIG_HEADER = """\
# gh-ops configuration, written by `gh-ops init` (gh-ops {version}) for: {enabled}.
# Each key says what it does; a commented-out key shows its default. `gh-ops validate` checks this
# file and renders every template it names (the packaged defaults, unless you copy one into
# .github/gh-ops/templates/ and change it there).
"""

StarterFile = tuple[str, str]  # (path from the repository's top level, text)


# --- the files ---------------------------------------------------------------------------------


def config_text(enabled: Collection[str]) -> str:
    """The commented config with the shared keys and every enabled capability's sections."""
    from gh_ops.config import schema
    from gh_ops.registry import PACKAGES, sections

    composed = schema()
    names = [package.rpartition(".")[2] for package in PACKAGES]
    shared = [key for key in composed["properties"] if not any(key in s.keys for s in sections())]
    from gh_ops.workflow import default_schedules

    lines = [CONFIG_HEADER.format(version=__version__, enabled=", ".join(n for n in names if n in enabled))]
    # The schedules map matches the crons of the workflow init writes beside it.
    examples = dict(SHARED_EXAMPLE)
    schedules = default_schedules(_enabled_capabilities(enabled))
    if schedules:
        examples["schedules"] = schedules
    for key in shared:
        _write_key(
            lines,
            composed,
            key,
            examples.get(key),
            composed["properties"][key],
            0,
            key in examples,
        )
        lines.append("")
    for name, section in zip(names, sections(), strict=True):
        if name not in enabled:
            continue
        for key in section.keys:
            _write_key(
                lines, composed, key, section.example.get(key, {}), composed["properties"][key], 0, True
            )
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def capability_files(enabled: Collection[str]) -> list[StarterFile]:
    """The files each enabled capability writes beside the config (people's issue forms)."""
    from gh_ops.registry import capabilities

    return [file for c in capabilities() if c.name in enabled for file in c.starter_files]


# What init writes, in order: each builder gives its files for the enabled capabilities.
FILE_BUILDERS: tuple[Callable[[Collection[str]], list[StarterFile]], ...] = (
    lambda enabled: [(CONFIG_PATH, config_text(enabled))],
    lambda enabled: [(WORKFLOW_PATH, workflow_text(enabled))],
    capability_files,
)

WORKFLOW_PATH = ".github/workflows/gh-ops.yml"


def _enabled_capabilities(enabled: Collection[str]) -> list[Any]:
    from gh_ops.registry import capabilities

    return [c for c in capabilities() if c.name in enabled]


def uses_line() -> str:
    """The gh-ops step's `uses:`: pinned to the full commit this gh-ops was built from when known,
    else a placeholder that says what to fill in."""
    from gh_ops import build_info

    found = build_info()
    if found is not None:
        return f"{found[0]}@{found[1]} # v{__version__}"
    # A pin-shaped placeholder (zizmor and GitHub accept only a full sha here), said plainly.
    return (
        f"{PLACEHOLDER_USES} # FILL IN: the gh-ops repository and the full commit sha of release "
        f"v{__version__} (gh-ops --version names them when it was built from git)"
    )


PLACEHOLDER_USES = "OWNER/gh-ops@" + "0" * 40


def _default_branch() -> str | None:
    """The repository's current branch (in a new repository, the one its first commit will make)."""
    try:
        found = subprocess.run(
            ["git", "symbolic-ref", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return found.stdout.strip() or None


def workflow_text(enabled: Collection[str]) -> str:
    """The one workflow for the enabled capabilities, its crons those of the config's `schedules:`."""
    from gh_ops.workflow import DOCTOR_CRON, default_schedules, render_workflow

    chosen = _enabled_capabilities(enabled)
    return render_workflow(
        chosen,
        uses_line(),
        default_schedules(chosen),
        default_branch=_default_branch(),
        doctor_cron=DOCTOR_CRON,
    )


def starter_files(enabled: Collection[str]) -> list[StarterFile]:
    return [file for build in FILE_BUILDERS for file in build(enabled)]


# --- the config's text -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+(?=[A-Z`(])")


def _comment(node: Mapping[str, Any], resolved: Mapping[str, Any], live: bool) -> str:
    """The key's first sentence and its default, from the schema."""
    sentences = _SENTENCE_END.split(" ".join(str(node.get("description", "")).split()))
    chosen = [sentences[0]] if sentences[0] else []
    chosen += [s for s in sentences[1:] if s.startswith("Default")][:1]
    if not live and "default" not in node and (expect := resolved.get("x-expect")):
        chosen.append(f"Expects {expect}.")
    return " ".join(chosen)


def _resolve(composed: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        node = composed["$defs"][str(node["$ref"]).rpartition("/")[2]]
    return node


def _child(composed: Mapping[str, Any], node: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    node = _resolve(composed, node)
    found = node.get("properties", {}).get(key)
    if found is None and isinstance(node.get("additionalProperties"), Mapping):
        found = node["additionalProperties"]
    return found or {}


def _dumped(key: str, value: Any, width: int) -> list[str]:
    """`key: value`, the value in flow style (one line) when it fits, else in block style."""
    import yaml

    flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    flow = flow.removesuffix("\n").removesuffix("\n...")
    if len(key) + 2 + len(flow) <= width:
        return [f"{key}: {flow}"]
    block = yaml.safe_dump({key: value}, default_flow_style=False, sort_keys=False, allow_unicode=True)
    return block.splitlines()


def _write_key(
    lines: list[str],
    composed: Mapping[str, Any],
    key: str,
    value: Any,
    node: Mapping[str, Any],
    indent: int,
    live: bool,
) -> None:
    """`key: value` with its comment above; commented out (its default, or empty) when not live."""
    pad = " " * indent
    resolved = _resolve(composed, node)
    comment = _comment(node, resolved, live)
    if comment:
        lines.extend(textwrap.wrap(comment, WIDTH, initial_indent=f"{pad}# ", subsequent_indent=f"{pad}# "))
    if not live:
        if "default" in node:
            lines.extend(f"{pad}# {line}" for line in _dumped(key, node["default"], WIDTH - indent - 2))
        else:
            lines.append(f"{pad}# {key}:")
        return
    properties = resolved.get("properties")
    if isinstance(value, Mapping) and (
        properties or isinstance(resolved.get("additionalProperties"), Mapping)
    ):
        if not value:
            lines.append(f"{pad}{key}: {{}}  # to set a key below, remove the {{}} and uncomment it")
        else:
            lines.append(f"{pad}{key}:")
        for child_key, child_value in value.items():
            _write_key(
                lines,
                composed,
                child_key,
                child_value,
                _child(composed, resolved, child_key),
                indent + 2,
                True,
            )
        if properties and indent == 0:  # a section's other keys, commented out (not each team's)
            for child_key, child in properties.items():
                if child_key not in value:
                    _write_key(lines, composed, child_key, None, child, indent + 2, False)
        return
    lines.extend(f"{pad}{line}" for line in _dumped(key, value, WIDTH - indent))


# --- where and how they are written ----------------------------------------------------------------


def repository_top() -> Path:
    """The top level of the git work tree the current directory is in."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise UsageError(
            f"gh-ops init needs git to find the repository, and git cannot be run: {exc}"
        ) from None
    if found.returncode != 0 or not found.stdout.strip():
        raise UsageError(
            f"{Path.cwd()} is not inside a git work tree: run gh-ops init in your repository "
            "(or `git init` first)"
        )
    return Path(found.stdout.strip())


def enabled_capabilities(only: str | None, known: list[str]) -> list[str]:
    """The capabilities --only names (all when not given), in the registry's order."""
    if only is None:
        return known
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        what = f"unknown capability {', '.join(map(repr, unknown))}" if unknown else "no capability given"
        raise UsageError(f"--only {only!r}: {what}; choose from {','.join(known)} (comma-separated)")
    return [name for name in known if name in wanted]


def init_command(capabilities: tuple[Capability, ...]) -> click.Command:
    known = [capability.name for capability in capabilities]

    @click.command("init")
    @click.option(
        "--only",
        metavar="NAMES",
        help=f"Set up only these capabilities, comma-separated (default all: {','.join(known)}).",
    )
    @click.option("--force", is_flag=True, help="Overwrite files that already exist.")
    @global_options(
        unused=("--config", "--repo", "--now"),
        helps={"--dry-run": "Write nothing; print each file init would write."},
    )
    @click.pass_obj
    def init(run: Run, only: str | None, force: bool) -> None:
        """Write the gh-ops config and the files it needs into the current repository.

        Writes .github/gh-ops.yml (every enabled section, each key commented), the one workflow
        .github/workflows/gh-ops.yml that runs `gh-ops run`, and, for people, the onboarding and
        offboarding issue forms. Never overwrites a file unless --force is given.
        """
        enabled = enabled_capabilities(only, known)
        top = repository_top()
        files = starter_files(enabled)
        existing = [path for path, _ in files if (top / path).exists()]
        if existing and not force:
            raise UsageError(
                "these files already exist (pass --force to overwrite them): " + ", ".join(existing)
            )
        for path, text in files:
            if run.dry_run:
                say(f"--- {path} (would {'overwrite' if path in existing else 'write'})")
                click.echo(text, nl=False)
                continue
            target = top / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            say(f"{'overwrote' if path in existing else 'wrote'} {path}")
        if any(PLACEHOLDER_USES in text for _, text in files):
            warn(
                f"{WORKFLOW_PATH}: this gh-ops does not know the commit it was built from, so the "
                "gh-ops step's `uses:` is a placeholder: fill in OWNER/gh-ops@<full commit sha>"
            )
        if not run.dry_run:
            say(
                f"next: edit the values in {CONFIG_PATH}, run `gh-ops validate`, commit, then `gh-ops doctor`"
            )

    return init
