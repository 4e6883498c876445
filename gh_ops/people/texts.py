"""The issue forms `gh-ops init` writes for people: a joiner's and a leaver's request. Their question
labels are the ones the request reader looks up (rules.JOINER_QUESTIONS, rules.LEAVER_QUESTIONS) and
their labels are the default form labels, so a request filed through them is read as it is."""

from __future__ import annotations

from gh_ops.people.rules import LEAVE_KINDS, ROLES
from gh_ops.people.settings import PeopleSettings

ONBOARDING_FORM_PATH = ".github/ISSUE_TEMPLATE/onboarding.yml"
OFFBOARDING_FORM_PATH = ".github/ISSUE_TEMPLATE/offboarding.yml"

_DEFAULTS = PeopleSettings()


def _options(values: tuple[str, ...]) -> str:
    return "".join(f"        - {value}\n" for value in values)


ONBOARDING_FORM = f"""\
# Issue form for asking gh-ops to start someone's onboarding (written by `gh-ops init`). The question
# labels below are read by gh-ops: keep them exactly as they are (descriptions and placeholders may
# change). The label must be onboarding.form_label in .github/gh-ops.yml.
name: New joiner
description: Someone is joining. gh-ops turns this into their onboarding checklist.
title: "New joiner: "
labels: [{_DEFAULTS.onboarding.form_label}]
body:
  - type: markdown
    attributes:
      value: |
        Fill this in once the offer is accepted. gh-ops turns the request into an onboarding
        checklist issue in the private people repository, with every step dated from the start
        date, and then closes this request. To change the start date later, edit this request:
        the checklist is updated and ticked boxes are kept.

        Anyone who can read this repository can read this request, so put nothing here beyond
        what the form asks for.
  - type: input
    id: login
    attributes:
      label: GitHub username
      description: The joiner's GitHub account, with or without the @.
      placeholder: "@login"
    validations:
      required: true
  - type: input
    id: name
    attributes:
      label: Full name
      placeholder: Ada Lovelace
    validations:
      required: true
  - type: input
    id: team
    attributes:
      label: Team
      description: The team's id or name in .github/gh-ops.yml, for example web.
      placeholder: web
    validations:
      required: true
  - type: dropdown
    id: role
    attributes:
      label: Role
      description: Adds the checklist section for this kind of role.
      options:
{_options(ROLES)}    validations:
      required: false
  - type: input
    id: start
    attributes:
      label: Start date
      description: The first working day, as YYYY-MM-DD.
      placeholder: YYYY-MM-DD
    validations:
      required: true
  - type: input
    id: buddy
    attributes:
      label: Buddy
      description: >-
        Optional. A teammate, ideally the team lead, with no leave booked from a week before the
        start until two weeks after it. Leave empty if not chosen yet.
      placeholder: "@login"
    validations:
      required: false
  - type: input
    id: manager
    attributes:
      label: Manager
      description: Optional. Leave empty if not decided yet.
      placeholder: "@login"
    validations:
      required: false
"""

OFFBOARDING_FORM = f"""\
# Issue form for asking gh-ops to start someone's offboarding (written by `gh-ops init`). The
# question labels below are read by gh-ops: keep them exactly as they are (descriptions and
# placeholders may change). The label must be offboarding.form_label in .github/gh-ops.yml.
name: Leaver
description: Someone is leaving. gh-ops turns this into their offboarding checklist.
title: "Leaver: "
labels: [{_DEFAULTS.offboarding.form_label}]
body:
  - type: markdown
    attributes:
      value: |
        gh-ops turns the request into an offboarding checklist issue in the private people
        repository, with every step dated from the last day, and then closes this request. To
        change the last day later, edit this request: the checklist is updated and ticked boxes
        are kept.

        Anyone who can read this repository can read this request: do not write the reasons for
        the departure here, or anything else beyond what the form asks for.
  - type: input
    id: login
    attributes:
      label: GitHub username
      description: The leaver's GitHub account, with or without the @.
      placeholder: "@login"
    validations:
      required: true
  - type: input
    id: name
    attributes:
      label: Full name
      placeholder: Ada Lovelace
    validations:
      required: true
  - type: input
    id: last-day
    attributes:
      label: Last day
      description: The last working day, as YYYY-MM-DD.
      placeholder: YYYY-MM-DD
    validations:
      required: true
  - type: dropdown
    id: kind
    attributes:
      label: Kind
      description: Voluntary means the person resigned; involuntary means the company ended the employment.
      options:
{_options(LEAVE_KINDS)}    validations:
      required: true
  - type: input
    id: manager
    attributes:
      label: Manager
      description: Optional.
      placeholder: "@login"
    validations:
      required: false
"""

ISSUE_FORMS = ((ONBOARDING_FORM_PATH, ONBOARDING_FORM), (OFFBOARDING_FORM_PATH, OFFBOARDING_FORM))
