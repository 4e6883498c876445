"""A checklist opened for a request whose run stopped before answering it (GitHub failed on the
comment) is found again when the requester then corrects the username: neither the new login's
label nor a link finds it, so an edited, unanswered request looks among the issues changed since it
was opened. A write budget cannot split the checklist from the answer: they are one group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakegithub import FakeGitHub
from people_data import checklists, onboard

pytestmark = pytest.mark.usefixtures("no_wall_clock")


def test_a_corrected_username_after_a_run_stopped_before_the_answer_opens_no_second_checklist(
    fake: FakeGitHub,
    event: Callable[..., dict[str, Any]],
) -> None:
    request = event()["issue"]
    # The checklist is opened, then GitHub refuses the answer on the request.
    fake.fail_next("POST", rf"/issues/{request['number']}/comments$", 403, json={"message": "Forbidden"})
    first = onboard()
    assert first.exit_code == 3, first.output
    (issue,) = checklists(fake, "onboarding")
    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=request["number"])

    result = onboard()

    assert result.exit_code == 0, result.output
    found = checklists(fake, "onboarding")
    assert [i["number"] for i in found] == [issue["number"]], "a second checklist for the same request"


def test_a_budget_that_cannot_hold_the_checklist_and_the_answer_is_refused(
    fake: FakeGitHub,
    event: Callable[..., dict[str, Any]],
) -> None:
    """The checklist and the request's answer are made in one run or not at all, so a budget stop
    never leaves a checklist that only the old username finds."""
    event()
    result = onboard("--max-writes", "2")
    assert result.exit_code == 2, result.output
    assert "takes 3 writes that must be made in the same run" in result.output
    assert checklists(fake, "onboarding") == []
