"""The `people:`, `onboarding:` and `offboarding:` sections of the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from configfiles import ISSUE_EXAMPLE, validate_text

pytestmark = pytest.mark.usefixtures("no_wall_clock")


def test_one_form_label_for_both_kinds_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ISSUE_EXAMPLE + "onboarding:\n  form_label: people\noffboarding:\n  form_label: people\n"
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 2, result.output
    assert "share the form label 'people'" in result.output
    assert "(offboarding.form_label)" in result.output
