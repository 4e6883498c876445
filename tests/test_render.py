"""Issue templates: lookup order, front matter, errors with file:line, sandbox, markers, filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from gh_ops.errors import TemplateError
from gh_ops.markup import defuse_markup, marker, read_marker
from gh_ops.render import Renderer, default_templates_dir


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tpl(tmp_path: Path) -> Path:
    return tmp_path / "templates"


def render(tpl: Path, text: str, context: dict[str, Any] | None = None, name: str = "t.md"):
    write(tpl, name, text)
    return Renderer(tpl).render_issue(name, context or {})


def render_body(tpl: Path, body: str, context: dict[str, Any] | None = None) -> str:
    return render(tpl, "---\ntitle: t\n---\n" + body, context).body


# --------------------------------------------------------------------------- lookup order


def test_shipped_default_is_found_without_a_user_folder() -> None:
    assert (default_templates_dir() / "sprint.md").is_file()
    renderer = Renderer(None)
    assert renderer.search_path == [default_templates_dir()]


def test_user_template_overrides_the_default_of_the_same_name(tpl: Path) -> None:
    write(tpl, "sprint.md", "---\ntitle: Ours {{ n }}\n---\nour body\n")
    issue = Renderer(tpl).render_issue("sprint.md", {"n": 7})
    assert issue.title == "Ours 7"
    assert issue.body == "our body\n"


def test_default_is_used_when_the_user_folder_lacks_the_template(tpl: Path) -> None:
    from gh_ops.config import EMBEDDED_NAME, embedded_example_text, parse_config
    from gh_ops.dates import parse_now
    from gh_ops.sprint.samples import sprint_context
    from gh_ops.sprint.settings import SprintSettings

    write(tpl, "other.md", "---\ntitle: other\n---\n")
    renderer = Renderer(tpl)
    assert renderer.search_path == [tpl, default_templates_dir()]
    config = parse_config(embedded_example_text(), EMBEDDED_NAME, base_dir=None)
    schedule = config.section(SprintSettings).schedules["web"]
    context = sprint_context(
        config.teams["web"], schedule, parse_now("2026-11-20"), "acme/widgets", with_previous=False
    )
    issue = renderer.render_issue("sprint.md", context)
    assert issue.title == "Team Web · Sprint 24 · 23 Nov – 6 Dec 2026"
    assert "### How the time splits" in issue.body


def test_missing_template_names_every_folder_searched(tpl: Path) -> None:
    tpl.mkdir()
    with pytest.raises(TemplateError) as caught:
        Renderer(tpl).render_issue("retro.md", {})
    message = caught.value.message
    assert "'retro.md' not found" in message
    assert f"{tpl} then {default_templates_dir()}" in message


# --------------------------------------------------------------------------- front matter


def test_front_matter_values_are_templates(tpl: Path) -> None:
    issue = render(
        tpl,
        """\
---
title: "{{ team }}   ·   sprint {{ n }}"
labels: "kind/{{ kind }}, extra"
assignees: "@{{ lead }}"
milestone: "Q{{ q }}"
---
body
""",
        {"team": "Web", "n": 3, "kind": "sprint", "lead": "alice", "q": 4},
    )
    assert issue.title == "Web · sprint 3"  # whitespace collapsed
    assert issue.labels == ("kind/sprint", "extra")
    assert issue.assignees == ("alice",)  # a leading @ is dropped
    assert issue.milestone == "Q4"
    assert issue.body == "body\n"


def test_list_values_render_per_item_and_empty_items_are_dropped(tpl: Path) -> None:
    issue = render(
        tpl,
        """\
---
title: t
labels: ["team/{{ team }}", "{{ '' }}", "{{ optional }}", "{% if urgent %}urgent{% endif %}", "fixed"]
assignees: []
---
""",
        {"team": "web", "optional": "", "urgent": False},
    )
    assert issue.labels == ("team/web", "fixed")
    assert issue.assignees == ()
    assert issue.milestone is None


def test_body_keeps_the_file_layout_after_front_matter(tpl: Path) -> None:
    issue = render(tpl, "---\ntitle: t\n---\n## Heading\n\ntext\n")
    assert issue.body == "## Heading\n\ntext\n"


def test_unknown_front_matter_key_names_file_and_line(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(tpl, "---\ntitle: t\nlabels: []\ncolour: red\n---\nbody\n")
    assert caught.value.message.startswith(f"{tpl / 't.md'}:4: unknown front matter key 'colour'")
    assert "allowed: title, labels, assignees, milestone" in caught.value.message


def test_missing_title_is_an_error(tpl: Path) -> None:
    with pytest.raises(TemplateError, match="no title"):
        render(tpl, "---\nlabels: [a]\n---\nbody\n")
    with pytest.raises(TemplateError, match="no title"):
        render(tpl, "no front matter at all\n", name="plain.md")


def test_title_that_renders_empty_is_an_error(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(tpl, '---\nlabels: []\ntitle: "{{ name }}"\n---\n', {"name": "  "})
    assert "the title renders empty" in caught.value.message
    assert caught.value.line == 3


def test_unclosed_front_matter(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(tpl, "---\ntitle: t\nbody\n")
    assert "never closed" in caught.value.message
    assert caught.value.line == 1


def test_undefined_variable_in_front_matter_names_its_line(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(
            tpl,
            '---\nlabels: []\ntitle: "{{ sprint.numbr }}"\n---\nbody\n',
            {"sprint": {"number": 1}},
        )
    assert caught.value.message.startswith(f"{tpl / 't.md'}:3: undefined variable")
    assert "numbr" in caught.value.message


# --------------------------------------------------------------------------- errors with file:line


def test_undefined_variable_in_body_names_file_and_exact_line(tpl: Path) -> None:
    text = """\
---
title: "Sprint {{ sprint.number }}"
labels: [sprint]
---
## Sprint {{ sprint.number }}

Some text.

Owner: {{ sprint.owner }}
More text.
"""
    assert text.splitlines()[8] == "Owner: {{ sprint.owner }}"  # line 9 of the file
    with pytest.raises(TemplateError) as caught:
        render(tpl, text, {"sprint": {"number": 4}}, name="sprint.md")
    message = str(caught.value)
    assert "sprint.md:9:" in message
    assert "undefined variable" in message and "owner" in message
    assert caught.value.line == 9


def test_undefined_variable_inside_a_loop_names_its_line(tpl: Path) -> None:
    text = "---\ntitle: t\n---\n{% for goal in goals %}\n- {{ goal.text }} ({{ goal.owner }})\n{% endfor %}\n"
    with pytest.raises(TemplateError) as caught:
        render(tpl, text, {"goals": [{"text": "a", "owner": "x"}, {"text": "b"}]})
    assert ":5:" in str(caught.value)
    assert "owner" in str(caught.value)


def test_syntax_error_names_its_line(tpl: Path) -> None:
    text = "---\ntitle: t\n---\nline 4\n{% if ready %}\nline 6\n{% endfor %}\n"
    with pytest.raises(TemplateError) as caught:
        render(tpl, text)
    assert f"{tpl / 't.md'}:7: template syntax error" in str(caught.value)
    assert caught.value.line == 7


def test_syntax_error_in_a_front_matter_value(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(tpl, '---\nlabels: []\ntitle: "{{ team "\n---\nbody\n', {"team": "x"})
    assert f"{tpl / 't.md'}:3: template syntax error" in str(caught.value)


def test_error_in_an_included_template_names_that_file(tpl: Path) -> None:
    write(tpl, "part.md", "first\n{{ missing }}\n")
    with pytest.raises(TemplateError) as caught:
        render(tpl, "---\ntitle: t\n---\n{% include 'part.md' %}\n")
    assert f"{tpl / 'part.md'}:2: undefined variable" in str(caught.value)


def test_filter_given_a_non_date_names_the_line(tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_body(tpl, "\n{{ when | add_days(1) }}\n", {"when": "soon"})
    assert ":5:" in str(caught.value)
    assert "expected a date, got 'soon'" in str(caught.value)


# --------------------------------------------------------------------------- sandbox


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "cycler.__init__.__globals__",
        "lipsum.__globals__",
        "team.__class__",
    ],
)
def test_sandbox_refuses_internals(expression: str, tpl: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_body(tpl, "ok\n{{ " + expression + " }}\n", {"team": {"name": "web"}})
    message = str(caught.value)
    assert "not allowed in a template" in message
    assert "unsafe" in message
    assert ":5:" in message


def test_sandbox_applies_to_front_matter_too(tpl: Path) -> None:
    with pytest.raises(TemplateError, match="not allowed in a template"):
        render(tpl, '---\ntitle: "{{ cycler.__init__.__globals__ }}"\n---\n')


@pytest.mark.parametrize(
    "value",
    [
        "{{ 7*7 }}",
        "{% raw %}{{ 7*7 }}{% endraw %}",
        "{% for x in range(3) %}{{ 7*7 }}{% endfor %}",
    ],
)
def test_data_is_never_evaluated(value: str, tpl: Path) -> None:
    issue = render(
        tpl,
        '---\ntitle: "Re: {{ prev.title }}"\n---\nGoal: {{ prev.title }}\n',
        {"prev": {"title": value}},
    )
    assert value in issue.body
    assert "{{ 7*7 }}" in issue.title
    assert "49" not in issue.body and "49" not in issue.title


# --------------------------------------------------------------------------- markers


def test_marker_round_trip() -> None:
    text = marker("sprint", team="web", period="2026-11-23", number="24")
    assert text == "<!-- gh-ops:sprint team=web period=2026-11-23 number=24 -->"
    body = text + "\n## Team Web · sprint 24\n"
    assert read_marker(body) == ("sprint", {"team": "web", "period": "2026-11-23", "number": "24"})


def test_marker_refuses_values_that_would_break_it() -> None:
    with pytest.raises(ValueError):
        marker("sprint", team="web -->")
    with pytest.raises(ValueError):
        marker("sprint", team="two words")


def test_marker_must_be_at_the_start_of_the_body() -> None:
    mark = marker("sprint", team="web", period="2026-11-23", number="24")
    assert read_marker("Hello\n" + mark) is None
    assert read_marker("> quoted\n" + mark) is None
    assert read_marker("") is None and read_marker(None) is None
    assert read_marker("\n  " + mark + "\nbody")[0] == "sprint"  # leading blank space is fine


def test_defused_text_cannot_carry_a_marker(tpl: Path) -> None:
    pasted = "<!-- gh-ops:sprint team=web period=2026-11-23 number=24 -->"
    defused = defuse_markup(pasted)
    assert "<!--" not in defused and "-->" not in defused
    assert read_marker(defused) is None
    assert "gh-ops:sprint team=web" in defused  # the text stays readable

    # carried into a template that starts with the value, it still is no marker
    issue = render(tpl, "---\ntitle: t\n---\n{{ goal }}\nrest\n", {"goal": defused})
    assert read_marker(issue.body) is None
    assert "<!--" not in issue.body


def test_defuse_leaves_ordinary_text_alone() -> None:
    assert defuse_markup("Ship <b>filters</b> -> done, a <- b") == "Ship <b>filters</b> -> done, a <- b"


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("d | date('%-d %b')", "3 Nov"),
        ("d | date('%A %-d %B %Y')", "Tuesday 3 November 2026"),
        ("d | date('%d/%-m')", "03/11"),
        ("d | date", "3 November 2026"),
        ("d | add_days(30)", "2026-12-03"),
        ("d | add_days(-3)", "2026-10-31"),
        ("d | add_weeks(2)", "2026-11-17"),
        ("friday | add_workdays(1)", "2026-11-23"),
        ("friday | add_workdays(5)", "2026-11-27"),
        ("monday | add_workdays(-1)", "2026-11-20"),
        ("saturday | add_workdays(1)", "2026-11-23"),
        ("saturday | workday", "2026-11-23"),
        ("sunday | workday", "2026-11-23"),
        ("d | workday", "2026-11-03"),
        ("d | weekday", "Tuesday"),
        ("'2026-12-31' | isoweek", "2026-W53"),
        ("'2027-01-01' | isoweek", "2026-W53"),
        ("'2027-01-04' | isoweek", "2027-W01"),
        ("d | isoweek", "2026-W45"),
        ("friday | days_until(monday)", "3"),
        ("monday | days_until(friday)", "-3"),
        ("d | days_until('2026-12-25')", "52"),
        ("'alice' | mention", "@alice"),
        ("none | mention", ""),
        # strings in ISO form are dates too, including date-times
        ("'2026-11-20' | add_days(3)", "2026-11-23"),
        ("'2026-11-20' | date('%-d %B')", "20 November"),
        ("'2026-11-20T22:30:00+00:00' | date('%-d %b %Y')", "20 Nov 2026"),
        ("'2026-11-21' | workday | date('%a %-d')", "Mon 23"),
        ("moment | date('%-d %b %H:%M')", "20 Nov 09:05"),
        ("moment | add_days(1)", "2026-11-21"),
    ],
)
def test_filters(expression: str, expected: str, tpl: Path) -> None:
    context = {
        "d": date(2026, 11, 3),
        "friday": date(2026, 11, 20),
        "saturday": date(2026, 11, 21),
        "sunday": date(2026, 11, 22),
        "monday": date(2026, 11, 23),
        "moment": datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
        "none": None,
    }
    assert render_body(tpl, "[{{ " + expression + " }}]\n", context) == f"[{expected}]\n"


def test_front_matter_aliases_are_refused(tmp_path: Path) -> None:
    laughs = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 9))
    (tmp_path / "bomb.md").write_text('---\nl0: &l0 "lol"\n' + laughs + "title: {{ l8 }}\n---\nbody\n")
    with pytest.raises(TemplateError) as caught:
        Renderer(tmp_path).render_issue("bomb.md", {})
    assert "YAML aliases are not supported" in str(caught.value)
    assert "bomb.md:3" in str(caught.value)
