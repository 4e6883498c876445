"""Tests for gh_ops.actions_io: workflow-command escaping, step outputs and the step summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from gh_ops import actions_io
from gh_ops.actions_io import add_summary, annotate, annotation, in_actions, set_outputs

ACTIONS_FILE_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")


@pytest.fixture(autouse=True)
def outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may themselves run in GitHub Actions; start every test from "not in Actions".
    for name in ACTIONS_FILE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def parse_github_output(text: str) -> dict[str, str]:
    """Read a $GITHUB_OUTPUT file the way the runner does.

    Each entry is either `name=value` on one line, or `name<<DELIMITER`, then the value's
    lines, then a line that is exactly DELIMITER. Anything else is an error, as on GitHub.
    """
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file ends with a newline
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        heredoc_at = line.find("<<")
        equals_at = line.find("=")
        if heredoc_at > 0 and (equals_at < 0 or heredoc_at < equals_at):
            name, delimiter = line[:heredoc_at], line[heredoc_at + 2 :]
            if not delimiter:
                raise ValueError(f"empty delimiter for {name!r}")
            value_lines: list[str] = []
            while True:
                if index >= len(lines):
                    raise ValueError(f"delimiter {delimiter!r} for {name!r} never closed")
                value_line = lines[index]
                index += 1
                if value_line == delimiter:
                    break
                value_lines.append(value_line)
            outputs[name] = "\n".join(value_lines)
        elif equals_at > 0:
            outputs[line[:equals_at]] = line[equals_at + 1 :]
        else:
            raise ValueError(f"invalid output line {line!r}")
    return outputs


# --- annotations ------------------------------------------------------------------------


def test_annotation_without_properties() -> None:
    assert annotation("warning", "look here") == "::warning::look here"


def test_annotation_escapes_percent_and_newlines_in_the_message() -> None:
    message = "100% done\r\nnext: a, b"
    # ':' and ',' are left alone in the message: only properties need them escaped.
    assert annotation("error", message) == "::error::100%25 done%0D%0Anext: a, b"


def test_annotation_escapes_colon_and_comma_in_properties() -> None:
    line = annotation("error", "bad", file="dir,a/b:c%.yml", line=7, title="gh-ops: config, line\n2")
    assert line == ("::error file=dir%2Ca/b%3Ac%25.yml,line=7,title=gh-ops%3A config%2C line%0A2::bad")


def test_annotation_skips_missing_properties() -> None:
    assert annotation("notice", "hi", line=3) == "::notice line=3::hi"


def test_annotate_prints_only_in_actions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate("error", "quiet outside Actions", title="gh-ops")
    assert capsys.readouterr().out == ""

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    annotate("error", "shown in Actions", title="gh-ops")
    assert capsys.readouterr().out == "::error title=gh-ops::shown in Actions\n"


def test_in_actions_needs_exactly_true() -> None:
    assert in_actions({"GITHUB_ACTIONS": "true"})
    assert not in_actions({"GITHUB_ACTIONS": "True"})
    assert not in_actions({})


# --- step outputs -----------------------------------------------------------------------


def test_set_outputs_round_trips_through_the_runner_format(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    output_file = tmp_path / "output"
    output_file.write_text("earlier=kept\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output_file))
    values = {
        "issue-numbers": "12 13",
        "issue-urls": "https://github.com/o/r/issues/12\nhttps://github.com/o/r/issues/13",
        "result": "a=b<<EOF\nEOF\n",  # looks like both syntaxes, and ends in a newline
        "empty": "",
    }

    assert set_outputs(values) is True

    assert parse_github_output(output_file.read_text(encoding="utf-8")) == {
        "earlier": "kept",
        **values,
    }


def test_set_outputs_uses_a_fresh_delimiter_per_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    output_file = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output_file))
    set_outputs({"a": "1", "b": "2"})
    headers = [line for line in output_file.read_text().splitlines() if "<<" in line]
    delimiters = {line.split("<<", 1)[1] for line in headers}
    assert len(headers) == 2 and len(delimiters) == 2


# The runner's other file commands: set_outputs and add_summary must write to none of them.
OTHER_FILE_VARIABLES = ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT")


def point_file_variables_at_files(
    monkeypatch: pytest.MonkeyPatch, folder: Path, names: tuple[str, ...]
) -> dict[Path, str]:
    """Set each variable to its own file in `folder`, with content; return what each file holds."""
    contents = {}
    for name in names:
        path = folder / name.lower()
        path.write_text(f"{name} before\n", encoding="utf-8")
        monkeypatch.setenv(name, str(path))
        contents[path] = path.read_text(encoding="utf-8")
    return contents


def files_in(folder: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in folder.iterdir()}


def test_set_outputs_is_a_no_op_outside_actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Every other file variable points at a file, and the working folder is watched too: with
    # GITHUB_OUTPUT unset, the outputs must go nowhere (no fallback file, no other variable).
    monkeypatch.chdir(tmp_path)
    others = tuple(name for name in OTHER_FILE_VARIABLES if name != "GITHUB_OUTPUT")
    before = point_file_variables_at_files(monkeypatch, tmp_path, others)

    assert set_outputs({"result": "opened"}) is False

    assert files_in(tmp_path) == before


# --- step summary -----------------------------------------------------------------------


def test_add_summary_appends_and_ends_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))

    assert add_summary("## Sprint 12") is True
    assert add_summary("- opened #12\n") is True

    assert summary_file.read_text(encoding="utf-8") == "# Earlier step\n## Sprint 12\n- opened #12\n"


def test_add_summary_is_a_no_op_outside_actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    others = tuple(name for name in OTHER_FILE_VARIABLES if name != "GITHUB_STEP_SUMMARY")
    before = point_file_variables_at_files(monkeypatch, tmp_path, others)

    assert add_summary("nothing to write to") is False

    assert files_in(tmp_path) == before


def test_empty_file_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_OUTPUT", "")
    assert actions_io.set_outputs({"result": "x"}) is False
