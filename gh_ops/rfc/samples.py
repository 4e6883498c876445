"""The RFC template checked by `gh-ops validate`: rendered for a sample decision, with and without a
decision maker, it must hold a heading for every required section."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from gh_ops.errors import Problem

if TYPE_CHECKING:
    from gh_ops.preview import TemplateCheck


def check_templates(check: TemplateCheck) -> None:
    from gh_ops import dates  # the calendar, settings and rules load only when validate runs
    from gh_ops.preview import LONGEST_LOGIN, long_text
    from gh_ops.rfc.document import parse_sections
    from gh_ops.rfc.rules import REQUIRED_SECTIONS, longest_title, new_context
    from gh_ops.rfc.settings import RfcSettings

    config = check.config
    settings = config.section(RfcSettings)
    today = dates.local_date(check.now, config.timezone)
    template = settings.template
    by = today + timedelta(days=settings.max_decision_days)
    rendered = None
    # Without and with a decision maker, then with the longest title `rfc new` takes.
    longest = long_text(longest_title(config), "a long decision")
    for title, decider in (
        ("Sample decision", None),
        ("Sample decision", "sample-decider"),
        (longest, LONGEST_LOGIN),
    ):
        context = new_context(config, title=title, decider=decider, decide_by=by, today=today)
        rendered = check.render(template, context, key="rfc.template")
        if rendered is None:
            check.report.append(f"rfc: template {template} has problems")
            return
    assert rendered is not None
    found = parse_sections(rendered.body, config)
    missing = [settings.sections[s][0] for s in REQUIRED_SECTIONS if s not in found]
    if missing:
        check.add(
            Problem(
                f"the RFC template {template} has no heading for: {', '.join(missing)} "
                "(every RFC written from it would be reported as incomplete)",
                config.path,
                config.line_of("rfc.template"),
                "rfc.template",
            )
        )
        check.report.append(f"rfc: template {template} has problems")
        return
    check.report.append(f"rfc: template {template} rendered")
