"""GitHub Actions I/O: annotations, step outputs and the step summary (no-ops outside Actions)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Literal

Level = Literal["error", "warning", "notice"]


def in_actions(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: Level, message: str, *, file: str | None = None, line: int | None = None, title: str | None = None
) -> str:
    """The workflow command that shows `message` as an annotation (file and line when known)."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def annotate(
    level: Level, message: str, *, file: str | None = None, line: int | None = None, title: str | None = None
) -> None:
    """Print an annotation when running in Actions; elsewhere the plain message already suffices."""
    if in_actions():
        print(annotation(level, message, file=file, line=line, title=title), file=sys.stdout, flush=True)


def mask(values: list[str]) -> None:
    """In Actions, ask the runner to hide these values wherever they would appear in the log. Call it
    before anything else is printed (asking twice is harmless)."""
    if not in_actions():
        return
    for value in values:
        if value and "\n" not in value and "\r" not in value:
            print(f"::add-mask::{_escape_data(value)}", file=sys.stdout, flush=True)


def _append(env_name: str, text: str) -> bool:
    path = os.environ.get(env_name)
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)
    return True


def set_outputs(values: Mapping[str, str]) -> bool:
    """Write step outputs to $GITHUB_OUTPUT, each with a random heredoc delimiter (values may span lines)."""
    import secrets

    chunks = []
    for name, value in values.items():
        delimiter = f"ghadelim_{secrets.token_hex(8)}"
        chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return _append("GITHUB_OUTPUT", "".join(chunks))


def add_summary(markdown: str) -> bool:
    """Append Markdown to the job's step summary ($GITHUB_STEP_SUMMARY)."""
    if not markdown.endswith("\n"):
        markdown += "\n"
    return _append("GITHUB_STEP_SUMMARY", markdown)
