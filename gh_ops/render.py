"""Issue templates: sandboxed Jinja2 with YAML front matter, lookup order and filters."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from gh_ops import dates
from gh_ops.errors import TemplateError
from gh_ops.models import BODY_LIMIT, TITLE_LIMIT, RenderedIssue

FRONT_MATTER_KEYS = ("title", "labels", "assignees", "milestone")


def default_templates_dir() -> Path:
    """Templates shipped with gh-ops: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


# --- filters ---------------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"expected a date, got {value!r}")


def _format_date(value: Any, fmt: str = "%-d %B %Y") -> str:
    """strftime with portable %-d / %-m (no leading zero) on every platform."""
    d = value if isinstance(value, datetime) else _as_date(value)
    fmt = fmt.replace("%-d", str(d.day)).replace("%-m", str(d.month))
    return d.strftime(fmt)


FILTERS: dict[str, Callable[..., Any]] = {
    "date": _format_date,
    "add_days": lambda value, n: _as_date(value) + timedelta(days=int(n)),
    "add_weeks": lambda value, n: _as_date(value) + timedelta(weeks=int(n)),
    "add_workdays": lambda value, n: dates.add_workdays(_as_date(value), int(n)),
    "workday": lambda value: dates.next_workday(_as_date(value)),
    "weekday": lambda value: _as_date(value).strftime("%A"),
    "isoweek": lambda value: dates.iso_week_label(_as_date(value)),
    "days_until": lambda value, other: (_as_date(other) - _as_date(value)).days,
    "mention": lambda login: f"@{login}" if login else "",
}


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FrontMatter:
    values: dict[str, Any]
    lines: dict[str, int]
    file: str


class _FrontMatterLoader(jinja2.FileSystemLoader):
    """Serves templates with their front matter blanked out, so Jinja's line numbers stay the file's."""

    def __init__(self, searchpath: list[Path]) -> None:
        super().__init__([str(p) for p in searchpath])
        self.front_matter: dict[str, _FrontMatter] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise self._not_utf8(template, exc) from None
        front, body = split_front_matter(source, filename)
        self.front_matter[template] = front
        return body, filename, uptodate

    def _not_utf8(self, template: str, exc: UnicodeDecodeError) -> TemplateError:
        """Name the file (the one Jinja's lookup picked: the first match) and the line of the bad byte."""
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not path.is_file():
                continue
            raw = path.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as whole:  # offsets in the whole file, not in one read's chunk
                exc = whole
            line = raw[: exc.start].count(b"\n") + 1
            return TemplateError(
                f"the template is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be read); "
                "save it as UTF-8",
                file=str(path),
                line=line,
            )
        return TemplateError(f"template {template!r} is not UTF-8 text; save it as UTF-8")


def split_front_matter(source: str, file: str) -> tuple[_FrontMatter, str]:
    """Parse `---` YAML front matter; return it and the body padded to keep line numbers."""
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return _FrontMatter({}, {}, file), source
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise TemplateError("front matter opened with --- is never closed with ---", file=file, line=1)
    text = "".join(lines[1:end])
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):  # aliases can expand exponentially: refuse them
                raise TemplateError(
                    "YAML aliases are not supported in front matter; write the value out",
                    file=file,
                    line=event.start_mark.line + 2 if event.start_mark else None,
                )
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else 1
        raise TemplateError(f"front matter is not valid YAML: {exc.problem}", file=file, line=line) from None
    if not isinstance(values, dict):
        raise TemplateError("front matter must be keys such as title: and labels:", file=file, line=2)
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        key_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    for key in values:
        if key not in FRONT_MATTER_KEYS:
            raise TemplateError(
                f"unknown front matter key {key!r}; allowed: {', '.join(FRONT_MATTER_KEYS)}",
                file=file,
                line=key_lines.get(key, 2),
            )
    body = "\n" * (end + 1) + "".join(lines[end + 1 :])
    return _FrontMatter(values, key_lines, file), body


class Renderer:
    """Renders issue templates found in the repository's folder first, then in gh-ops' defaults."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.search_path = [p for p in (user_dir, default_templates_dir()) if p is not None and p.is_dir()]
        self._loader = _FrontMatterLoader(self.search_path)
        self.env = SandboxedEnvironment(
            loader=self._loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # Markdown, not HTML; values are inserted as text, never evaluated
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(FILTERS)
        self._values: dict[str, jinja2.Template] = {}

    def where(self) -> str:
        return " then ".join(str(p) for p in self.search_path) or "(no template folders)"

    def render_issue(self, name: str, context: Mapping[str, Any]) -> RenderedIssue:
        template = self._load(name)
        front = self._loader.front_matter[name]
        body = self._run(lambda: template.render(context), template.filename or name)
        values = front.values
        if "title" not in values:
            raise TemplateError("front matter has no title: (every issue needs one)", file=front.file, line=1)

        def field(key: str) -> Any:
            raw = values.get(key)
            line = front.lines.get(key, 1)
            if raw is None:
                return None
            if isinstance(raw, list):
                rendered = [self._render_value(str(item), context, front.file, line) for item in raw]
                return tuple(r for r in rendered if r)
            return self._render_value(str(raw), context, front.file, line)

        def as_list(key: str) -> tuple[str, ...]:
            value = field(key)
            if value is None:
                return ()
            return (
                value if isinstance(value, tuple) else tuple(v.strip() for v in value.split(",") if v.strip())
            )

        title = " ".join(str(field("title")).split())
        if not title:
            raise TemplateError("the title renders empty", file=front.file, line=front.lines.get("title", 1))
        milestone = field("milestone")
        return RenderedIssue(
            title=title,
            body=body.lstrip("\n"),
            labels=as_list("labels"),
            assignees=tuple(a.lstrip("@") for a in as_list("assignees")),
            milestone=str(milestone) if milestone else None,
        )

    def limit_problem(
        self, name: str, context: Mapping[str, Any], rendered: RenderedIssue
    ) -> TemplateError | None:
        """A title or body longer than GitHub takes, as a problem at the template line responsible
        (the title: line of the front matter; for the body, the line whose values add the most)."""
        front = self._loader.front_matter[name]
        if len(rendered.title) > TITLE_LIMIT:
            return TemplateError(
                f"the title renders to {len(rendered.title)} characters with the longest sample values; "
                f"GitHub allows {TITLE_LIMIT}",
                file=front.file,
                line=front.lines.get("title", 1),
            )
        if len(rendered.body) > BODY_LIMIT:
            line, added = self._heaviest_line(name, context)
            return TemplateError(
                f"the body renders to {len(rendered.body):,} characters with the longest sample values; "
                f"GitHub allows {BODY_LIMIT:,}"
                + (f" (this line adds {added:,} of them)" if line is not None else ""),
                file=front.file,
                line=line,
            )
        return None

    def _heaviest_line(self, name: str, context: Mapping[str, Any]) -> tuple[int | None, int]:
        """The body line whose `{{ ... }}` output is largest (summed over loops), by rendering once
        more with every output measured and traced to its template line."""
        added: dict[int, int] = {}
        template: jinja2.Template | None = None

        def measure(value: Any) -> Any:
            frame: FrameType | None = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != (template and template.filename or ""):
                frame = frame.f_back
            if frame is not None and template is not None:
                line = template.get_corresponding_lineno(frame.f_lineno)
                added[line] = added.get(line, 0) + len(str(value))
            return value

        measuring = self.env.overlay(finalize=measure, cache_size=0)  # compiled afresh, with the hook
        template = measuring.get_template(name)
        template.render(context)
        if not added:
            return None, 0
        line = max(added, key=lambda n: added[n])
        return line, added[line]

    def _load(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {exc.name!r} not found in {self.where()}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"template syntax error: {exc.message}", file=exc.filename or exc.name, line=exc.lineno
            ) from None

    def _render_value(self, source: str, context: Mapping[str, Any], file: str, line: int) -> str:
        template = self._values.get(source)
        if template is None:  # front matter values recur in every render: compile each once
            try:
                template = self._values[source] = self.env.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"template syntax error: {exc.message}", file=file, line=line) from None
        try:
            return template.render(context).strip()
        except Exception as exc:  # noqa: BLE001 - every template failure becomes one message
            raise TemplateError(_explain(exc), file=file, line=line) from None

    def _run(self, render: Callable[[], str], filename: str) -> str:
        try:
            return render()
        except TemplateError:
            raise
        except Exception as exc:  # noqa: BLE001 - every template failure becomes one message
            where, line = _template_frame(exc, filename)
            raise TemplateError(_explain(exc), file=where, line=line) from None


def _explain(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined variable: {exc.message} (check spelling, or guard it with `is defined`)"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    return f"{exc.__class__.__name__}: {exc}"


def _template_frame(exc: Exception, filename: str) -> tuple[str, int | None]:
    """The deepest traceback frame that is template code: Jinja maps those to template lines."""
    found: tuple[str, int | None] = (filename, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".md", ".j2", ".jinja", ".txt", ".html")) or frame.filename == filename:
            found = (frame.filename, frame.lineno)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        found = (exc.filename or found[0], exc.lineno)
    return found
