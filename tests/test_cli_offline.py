"""The `gh-ops` command without a token or network: version, help, preview, validate, Actions output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import gh_ops
from gh_ops.cli import main
from gh_ops.config import embedded_example_text
from gh_ops.render import default_templates_dir

PACKAGE_ROOT = Path(gh_ops.__file__).resolve().parent.parent
NOW = "2026-11-20"  # every run is at a fixed time (the no_wall_clock fixture checks it)
WEB_TITLE = "Team Web · Sprint 24 · 23 Nov – 6 Dec 2026"
CARRIED_GOALS = (
    "- [x] Ship the new dashboard filters to every customer — owner @alice · nailed / scraped / failed:",
    "- [ ] Cut p95 query latency below 2s — owner @bob · nailed / scraped / failed:",
)


@pytest.fixture(autouse=True)
def empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in an empty folder (no .github/gh-ops.yml) outside GitHub Actions."""
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_REPOSITORY",
        "GH_OPS_CONFIG",
        "GH_OPS_NOW",
        "GH_OPS_DRY_RUN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gh_ops_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def header(result: Result) -> dict[str, str]:
    """The title/labels/assignees/milestone lines `preview` prints before the body."""
    head, _, _ = result.stdout.partition("\n---\n")
    return dict(line.split(": ", 1) for line in head.splitlines())


def body(result: Result) -> str:
    return result.stdout.partition("\n---\n")[2]


def write_config(folder: Path, text: str | None = None) -> Path:
    path = folder / ".github" / "gh-ops.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else embedded_example_text(), encoding="utf-8")
    return path


def write_template(folder: Path, text: str, name: str = "sprint.md") -> Path:
    path = folder / ".github" / "gh-ops" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Every test passes --now: a result that changed with the date would be a flaky test.
pytestmark = pytest.mark.usefixtures("no_wall_clock")

# --------------------------------------------------------------------------- version and help


def test_version() -> None:
    result = gh_ops_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"gh-ops, version {gh_ops.__version__}\n"


def test_help_lists_the_commands() -> None:
    result = gh_ops_cli("--help")
    assert result.exit_code == 0
    commands = result.output.split("Commands:", 1)[1]
    for name in ("validate", "preview", "sprint"):
        assert f"\n  {name} " in commands
    assert gh_ops_cli("-h").output == result.output


def test_help_imports_no_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from gh_ops.cli import main\n"
        "try:\n"
        "    main(['--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('github', 'jinja2', 'jsonschema') if m in sys.modules))\n"
    )
    done = run_python("-c", code)
    assert done.returncode == 0, done.stderr
    assert "Commands:" in done.stdout  # the help really was shown
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m() -> None:
    done = run_python("-m", "gh_ops", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"gh-ops, version {gh_ops.__version__}\n"


# --------------------------------------------------------------------------- preview


def test_preview_uses_the_embedded_example() -> None:
    result = gh_ops_cli("preview", "sprint", "--team", "web", "--now", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "using the embedded example config" in result.stderr
    assert header(result) == {
        "title": WEB_TITLE,
        "labels": "sprint, team/web, gh-ops:sprint",
        "assignees": "alice",
        "milestone": "-",
    }
    text = body(result)
    assert text.startswith("## Team Web · sprint 24\n")
    assert "**Monday 23 November 2026 → Sunday 6 December 2026** · 2 weeks (2026-W48 to 2026-W49)" in text
    assert "Follows sprint 23: #41." in text


def test_preview_body_has_the_ritual_sections() -> None:
    text = body(gh_ops_cli("preview", "sprint", "--team", "web", "--now", "2026-11-20"))
    notes = text.split("### Notes before the meeting", 1)[1].split("### Decisions", 1)[0]
    for member in ("alice", "bob", "carol"):
        assert f"**@{member}**\n- Last sprint:\n- Next sprint, I suggest:\n" in notes
    assert (
        "About **two-thirds** of the sprint goes to the goals above and **one-third** to everything else"
        in text
    )
    for goal in CARRIED_GOALS:
        assert goal in text
    assert "### Looking back at sprint 23" in text
    assert "### Decisions" in text


def test_preview_defaults_to_the_first_team() -> None:
    result = gh_ops_cli("preview", "sprint", "--now", "2026-11-20")
    assert result.exit_code == 0
    assert header(result)["title"] == WEB_TITLE


def test_preview_other_team() -> None:
    result = gh_ops_cli("preview", "sprint", "--team", "infra", "--now", "2026-11-20")
    assert result.exit_code == 0
    assert header(result) == {
        "title": "Team Infra · Sprint 24 · 23 Nov – 6 Dec 2026",
        "labels": "sprint, gh-ops:sprint",
        "assignees": "dave",
        "milestone": "-",
    }
    assert "**@erin**" in body(result) and "**@alice**" not in body(result)


def test_var_changes_the_title() -> None:
    result = gh_ops_cli(
        "preview", "sprint", "--team", "web", "--now", "2026-11-20", "--var", "sprint.number=99"
    )
    assert result.exit_code == 0, result.output
    assert header(result)["title"] == "Team Web · Sprint 99 · 23 Nov – 6 Dec 2026"
    assert body(result).startswith("## Team Web · sprint 99\n")


def test_var_empty_removes_the_carry_over() -> None:
    result = gh_ops_cli(
        "preview", "sprint", "--team", "web", "--now", "2026-11-20", "--var", "previous_issue="
    )
    assert result.exit_code == 0, result.output
    text = body(result)
    assert "nailed / scraped / failed:" not in text
    assert "[x]" not in text
    assert "No issue was found for sprint 23, so there is nothing to carry over" in text
    assert "_No goals were carried over." in text


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("sprint.number", "--var 'sprint.number': expected KEY=VALUE"),
        ("=7", "--var '=7': expected KEY=VALUE"),
        ("nosuch.group=1", "--var nosuch.group: 'nosuch' is not a group of values"),
    ],
)
def test_bad_var_is_a_usage_error(bad: str, says: str) -> None:
    result = gh_ops_cli("preview", "sprint", "--now", "2026-11-20", "--var", bad)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert says in result.output
    assert "title:" not in result.output


def test_global_options_after_the_subcommand(empty_dir: Path) -> None:
    config = write_config(
        empty_dir / "elsewhere",
        embedded_example_text().replace("name: Team Web", "name: Team Webb"),
    )
    before = gh_ops_cli("--now", "2026-11-20", "--config", str(config), "preview", "sprint")
    after = gh_ops_cli("preview", "sprint", "--now", "2026-11-20", "--config", str(config))
    assert before.exit_code == after.exit_code == 0, after.output
    assert header(after)["title"] == "Team Webb · Sprint 24 · 23 Nov – 6 Dec 2026"
    assert after.stdout == before.stdout
    later = gh_ops_cli("preview", "sprint", "--now", "2026-12-10", "--config", str(config))
    assert header(later)["title"] == "Team Webb · Sprint 25 · 7 Dec – 20 Dec 2026"


def test_now_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_OPS_NOW", "2026-11-20")
    assert header(gh_ops_cli("preview", "sprint"))["title"] == WEB_TITLE


def test_bad_now_is_a_usage_error() -> None:
    result = gh_ops_cli("preview", "sprint", "--now", "next friday")
    assert result.exit_code == 2
    assert "--now 'next friday' is not an ISO 8601 date or time" in result.output


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31",
        "0001-01-01",
        "3000-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
    ],
)
def test_a_now_near_the_limits_of_the_calendar_is_a_usage_error(moment: str) -> None:
    result = gh_ops_cli("preview", "sprint", "--now", moment)
    assert result.exit_code == 2, result.output
    assert f"--now {moment!r} is out of range: use a date between 1970 and 2999" in result.output


def test_a_bad_now_from_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_OPS_NOW", "garbage")
    result = gh_ops_cli("preview", "sprint")
    assert result.exit_code == 2
    assert "$GH_OPS_NOW 'garbage' is not an ISO 8601 date or time" in result.output
    flag = gh_ops_cli("preview", "sprint", "--now", "also garbage")  # the flag wins, and is named
    assert "--now 'also garbage' is not" in flag.output


def test_preview_uses_the_repository_config_and_templates(empty_dir: Path) -> None:
    write_config(empty_dir)
    write_template(
        empty_dir,
        "---\ntitle: \"{{ team.name }} / {{ sprint.start | date('%-d %b') }}\"\n"
        "labels: [retro]\n---\nHello {{ team.members | join(', ') }}\n",
    )
    result = gh_ops_cli("preview", "sprint", "--now", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "embedded example" not in result.output
    assert header(result) == {
        "title": "Team Web / 23 Nov",
        "labels": "sprint, team/web, retro, gh-ops:sprint",
        "assignees": "alice",
        "milestone": "-",
    }
    assert body(result) == "Hello alice, bob, carol\n"


# --------------------------------------------------------------------------- validate


def test_validate_embedded_default() -> None:
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 0, result.output
    assert "<embedded example config>: OK" in result.output
    assert "rendered for web, infra" in result.output


BROKEN_ON_LINE_9 = """\
---
title: "{{ team.name }} · Sprint {{ sprint.number }}"
labels: [sprint]
---
## Sprint {{ sprint.number }}

Lead: {{ team.lead | mention }}

Scribe: {{ team.scribe }}
"""


def test_validate_reports_a_broken_user_template_with_its_line(empty_dir: Path) -> None:
    write_config(empty_dir)
    write_template(empty_dir, BROKEN_ON_LINE_9)
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "OK" not in result.output
    problems = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert problems == [
        "  .github/gh-ops/templates/sprint.md:9: undefined variable: 'dict object' has no attribute "
        "'scribe' (check spelling, or guard it with `is defined`)"
    ]
    assert "rendered for no team" in result.output


def test_validate_reports_every_problem(empty_dir: Path) -> None:
    write_config(empty_dir)
    write_template(
        empty_dir,
        """\
---
title: "Sprint {{ sprint.number }}"
---
{% if previous_issue %}
Carried: {{ previous_issue.gaols }}
{% else %}
Nothing carried: {{ nothing_to_carry }}
{% endif %}
""",
    )
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2, result.output
    assert "2 problem(s) found" in result.output
    assert ".github/gh-ops/templates/sprint.md:5: undefined variable" in result.output
    assert ".github/gh-ops/templates/sprint.md:7: undefined variable" in result.output


@pytest.mark.parametrize(
    ("padding", "line"),
    [("", 4), ("ok\n" * 5000, 5004)],  # the second puts the bad byte past the first read's chunk
    ids=["near the top", "far down"],
)
def test_validate_reports_a_template_that_is_not_utf8(empty_dir: Path, padding: str, line: int) -> None:
    write_config(empty_dir)
    path = write_template(empty_dir, "")
    path.write_bytes(
        b'---\ntitle: "Sprint {{ sprint.number }}"\n---\n'
        + padding.encode()
        + "Caf\u00e9 {{ team.name }}\n".encode("latin-1")
    )
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    problems = [row for row in result.output.splitlines() if row.startswith("  ")]
    assert problems == [
        f"  .github/gh-ops/templates/sprint.md:{line}: the template is not UTF-8 text "
        "(byte 0xe9 cannot be read); save it as UTF-8"
    ]


def test_validate_missing_template_points_at_the_config(empty_dir: Path) -> None:
    text = embedded_example_text().replace("template: sprint.md", "template: sprnt.md")
    write_config(empty_dir, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "template: sprnt.md" in row)
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2, result.output
    assert (
        f".github/gh-ops.yml:{line} (sprint.template): template 'sprnt.md' not found in "
        f"{default_templates_dir()}\n" in result.output
    )
    assert result.output.count("not found") == 1  # one problem, not one per team


def test_preview_of_a_broken_template_names_file_and_line(empty_dir: Path) -> None:
    write_config(empty_dir)
    write_template(empty_dir, BROKEN_ON_LINE_9)
    result = gh_ops_cli("preview", "sprint", "--now", "2026-11-20")
    assert result.exit_code == 2
    assert "error: .github/gh-ops/templates/sprint.md:9: undefined variable" in result.output
    assert "title:" not in result.stdout


def test_sprint_open_refuses_the_embedded_example() -> None:
    result = gh_ops_cli("--repo", "acme/widgets", "sprint", "open", "--dry-run")
    assert result.exit_code == 2
    assert "no config: .github/gh-ops.yml does not exist" in result.output


# --------------------------------------------------------------------------- GitHub Actions


def test_config_error_is_annotated_in_actions(empty_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = embedded_example_text().replace("every: 2w", 'every: "2 weeks"')
    write_config(empty_dir, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "every:" in row)
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2
    assert (
        f"::error file=.github/gh-ops.yml,line={line},title=gh-ops%3A sprint.every::"
        "expected a cadence in whole weeks such as 1w or 2w"
    ) in result.stdout


def test_template_error_is_annotated_in_actions(empty_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write_config(empty_dir)
    write_template(empty_dir, BROKEN_ON_LINE_9)
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2
    assert "::error file=.github/gh-ops/templates/sprint.md,line=9," in result.stdout


def test_no_annotations_outside_actions(empty_dir: Path) -> None:
    write_config(empty_dir, "colour: red\n")
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2
    assert "::error" not in result.output


def test_failure_is_summarised_in_actions(empty_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = empty_dir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write_config(empty_dir, embedded_example_text() + "colour: red\n")
    result = gh_ops_cli("--now", NOW, "validate")
    assert result.exit_code == 2
    text = summary.read_text("utf-8")
    assert text.startswith("### gh-ops failed\n")
    assert "(colour): unknown key 'colour'" in text


@pytest.mark.parametrize(
    ("args", "stray"),
    [
        (["preview", "sprint", "--login", "x"], "--login"),
        (["preview", "offboarding", "--team", "web"], "--team"),
        (["preview", "onboarding", "--last-day", "2026-12-18"], "--last-day"),
    ],
)
def test_preview_refuses_options_of_another_kind(
    args: list[str], stray: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--now", "2026-11-20", *args])
    assert result.exit_code == 2, result.output
    assert f"{stray} does not apply to preview" in result.output


def test_a_config_path_that_is_a_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--now", "2026-11-20", "--config", str(tmp_path), "validate"])
    assert result.exit_code == 2 and "is not a file" in result.output


# --- each command shows the options it uses -----------------------------------------------------

READ_ONLY_OPTIONS = {
    # command: (global options it shows, global options it refuses)
    ("validate",): (["--config", "--now", "--verbose"], ["--repo", "--dry-run"]),
    ("preview",): (["--config", "--repo", "--now", "--verbose"], ["--dry-run"]),
    ("rfc", "new"): (["--config", "--dry-run", "--now", "--verbose"], ["--repo"]),
    ("yolo", "audit"): (["--config", "--now", "--verbose", "--repo", "--org"], ["--dry-run"]),
}


@pytest.mark.parametrize("command", list(READ_ONLY_OPTIONS), ids=[" ".join(c) for c in READ_ONLY_OPTIONS])
def test_a_read_only_command_offers_only_the_options_it_uses(command: tuple[str, ...]) -> None:
    shown, refused = READ_ONLY_OPTIONS[command]
    help_text = CliRunner().invoke(main, [*command, "--help"]).output
    offered = {
        word.rstrip(",") for line in help_text.splitlines() for word in line.split() if word.startswith("--")
    }
    assert set(shown) <= offered, help_text
    assert not set(refused) & offered, help_text
    if "--now" in shown:
        assert "future only with --dry-run" not in help_text  # it writes nothing: any date will do
    for option in refused:
        result = CliRunner().invoke(main, [*command, option, *(["x"] if option != "--dry-run" else [])])
        assert result.exit_code == 2 and f"No such option '{option}'" in result.output


def test_yolo_audit_needs_a_token_even_in_a_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for args in (["yolo", "audit"], ["--dry-run", "yolo", "audit"]):
        result = CliRunner().invoke(
            main, ["--now", "2026-11-20", *args, "--since", "30d", "--repo", "acme/widgets"]
        )
        assert result.exit_code == 2, result.output
        assert "no token: yolo audit reads through GitHub's GraphQL API" in result.output
        assert "use --dry-run" not in result.output  # no way around it to suggest


@pytest.mark.parametrize("kind", ["onboarding", "offboarding"])
def test_the_sample_person_is_previewed_up_to_the_calendars_last_day(kind: str) -> None:
    # The sample starts (or leaves) in two or three weeks, but never after 2999-12-31.
    result = CliRunner().invoke(main, ["--now", "2999-12-31", "preview", kind])
    assert result.exit_code == 0, result.output
    assert "31 Dec 2999" in result.output and "3000-01" not in result.output


@pytest.mark.parametrize(
    ("args", "warned"),
    [
        (["--dry-run", "validate"], "--dry-run (or $GH_OPS_DRY_RUN) does nothing for `gh-ops validate`"),
        (["--repo", "acme/widgets", "validate"], "--repo does nothing for `gh-ops validate`"),
        (
            ["--dry-run", "preview", "sprint"],
            "--dry-run (or $GH_OPS_DRY_RUN) does nothing for `gh-ops preview`",
        ),
        (
            ["--repo", "acme/widgets", "rfc", "new", "X", "--dry-run"],
            "--repo does nothing for `gh-ops rfc new`",
        ),
    ],
)
def test_a_global_option_given_before_a_command_that_does_not_use_it_is_warned_about(
    args: list[str], warned: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the embedded example config; rfc new --dry-run writes nothing
    result = CliRunner().invoke(main, ["--now", "2026-11-20", *args])
    assert result.exit_code == 0, result.output
    assert f"warning: {warned}: it is ignored" in result.stderr
    clean = CliRunner().invoke(
        main, ["--now", "2026-11-20", *[a for a in args if a not in ("--dry-run", "--repo", "acme/widgets")]]
    )
    assert "does nothing" not in clean.stderr
