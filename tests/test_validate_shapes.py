"""`gh-ops validate` renders every shape a sprint template meets, whatever the date."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gh_ops.cli import main

CONFIG = """\
teams:
  web:
    lead: alice
sprint:
  every: 2w
  anchor: 2026-01-05
"""


@pytest.mark.parametrize("now", ["2025-12-01", "2026-01-03", "2026-05-03"])
@pytest.mark.parametrize(
    ("line", "needs"),
    [
        ("{{ previous_issue.titel }}", "a previous issue"),
        ("{% if not previous_issue %}{{ previous_sprint.nubmer }}{% endif %}", "a missing previous issue"),
        ("{% if not previous_sprint %}{{ sprint.nmuber }}{% endif %}", "sprint 1"),
    ],
)
def test_a_branch_only_some_sprints_reach_is_checked_on_any_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: str, line: str, needs: str
) -> None:
    monkeypatch.chdir(tmp_path)
    templates = tmp_path / ".github/gh-ops/templates"
    templates.mkdir(parents=True)
    (tmp_path / ".github/gh-ops.yml").write_text(CONFIG)
    guarded = line if line.startswith("{%") else "{% if previous_issue %}" + line + "{% endif %}"
    (templates / "sprint.md").write_text(
        f"---\ntitle: Sprint {{{{ sprint.number }}}}\n---\nHello\n{guarded}\n"
    )
    result = CliRunner().invoke(main, ["--now", now, "validate"])
    assert result.exit_code == 2, (needs, result.output)
    assert "sprint.md:5" in result.output


def validate_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, template: str) -> list[str]:
    """Run `validate` with one template of ours; it must fail (exit 2): its problem lines."""
    monkeypatch.chdir(tmp_path)
    templates = tmp_path / ".github/gh-ops/templates"
    templates.mkdir(parents=True)
    (tmp_path / ".github/gh-ops.yml").write_text(CONFIG)
    (templates / name).write_text(template)
    result = CliRunner().invoke(main, ["--now", "2026-05-03", "validate"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return [p.strip() for p in result.output.splitlines() if p.startswith("  ")]


@pytest.mark.parametrize(
    ("template", "line", "says"),
    [
        (
            "---\nlabels: []\ntitle: '{{ sprint.number }} {{ team.name * 100 }}'\n---\nHello\n",
            3,
            "the title renders to 302 characters with the longest sample values; GitHub allows 256",
        ),
        (
            "---\ntitle: Sprint {{ sprint.number }}\n---\nHello\n\n"
            "{% for n in range(3000) %}\n{{ team.name * 10 }}\n{% endfor %}\nBye\n",
            7,
            "GitHub allows 65,536 (this line adds 90,000 of them)",
        ),
    ],
    ids=["title", "body"],
)
def test_a_template_too_long_for_github_is_one_problem_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, line: int, says: str
) -> None:
    problems = validate_with(tmp_path, monkeypatch, "sprint.md", template)
    assert len(problems) == 1, problems  # once, not once per sample context
    assert problems[0].startswith(".github/gh-ops/templates/sprint.md:" + str(line) + ": ")
    assert says in problems[0]


@pytest.mark.parametrize(
    ("template", "line", "says"),
    [
        (
            "---\ntitle: '{{ previous_issue.title if previous_issue else \"First\" }} (next)'\n---\nHello\n",
            2,
            "the title renders to 263 characters",
        ),
        (
            "---\ntitle: Sprint {{ sprint.number }}\n---\n{% if previous_issue %}\n"
            "{% for goal in previous_issue.goals %}\n- {{ goal.text }} {{ goal.text }}\n{% endfor %}\n"
            "{% for goal in previous_issue.goals %}\n- {{ goal.text * 6 }}\n{% endfor %}\n{% endif %}\n",
            9,
            "(this line adds 54,000 of them)",
        ),
    ],
    ids=["title", "body"],
)
def test_validate_renders_with_the_longest_plausible_values_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, line: int, says: str
) -> None:
    # Both templates fit with the everyday samples; a real previous issue can be this long.
    problems = validate_with(tmp_path, monkeypatch, "sprint.md", template)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f".github/gh-ops/templates/sprint.md:{line}: "), problems
    assert says in problems[0]


@pytest.mark.parametrize(
    ("name", "template", "says"),
    [
        (
            "onboarding.md",
            "---\ntitle: '{{ person.name }} / {{ person.name }} / {{ person.name }}'\n---\nHi\n",
            "the title renders to 306 characters",
        ),
        (
            "offboarding.md",
            "---\ntitle: Bye {{ person.login }}\n---\n{% for t in github_teams %}\n{% for r in range(9) %}"
            "\n- {{ t.name }} {{ t.slug }} {{ t.url }}\n{% endfor %}\n{% endfor %}\n",
            "GitHub allows 65,536",
        ),
    ],
    ids=["onboarding name", "offboarding teams"],
)
def test_validate_renders_checklists_with_the_longest_answers_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, template: str, says: str
) -> None:
    # Both fit the everyday sample person; a 100-character name or 100 teams do not.
    problems = validate_with(tmp_path, monkeypatch, name, template)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f".github/gh-ops/templates/{name}:"), problems
    assert says in problems[0]
