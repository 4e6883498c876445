"""The one reader of GitHub issue forms: the answers in an issue body, by question."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

NO_RESPONSE = "_No response_"  # what GitHub renders for an unanswered optional question

_HEADING = re.compile(r"^###\s+(.+?)\s*$")


class FormAnswers(Mapping[str, "str | None"]):
    """An issue form's answers as GitHub renders them (`### Question`, a blank line, the answer).

    Questions are looked up in any case. A question that is there without an answer (left empty, or
    GitHub's `_No response_`) is present with the answer None. GitHub renders each question once, in
    the form's order, so a heading that appears twice was typed into an answer: the first counts,
    and `repeated` says which questions a reader may prefer to refuse.
    """

    def __init__(self, body: str | None) -> None:
        self._answers: dict[str, str | None] = {}
        self._questions: dict[str, str] = {}  # folded -> as written
        self._repeated: set[str] = set()  # folded
        question: str | None = None
        lines: list[str] = []
        for line in (body or "").splitlines():
            heading = _HEADING.match(line)
            if heading:
                if question is not None:
                    self._add(question, lines)
                question, lines = heading.group(1), []
            elif question is not None:
                lines.append(line)
        if question is not None:
            self._add(question, lines)

    def _add(self, question: str, lines: list[str]) -> None:
        key = question.casefold()
        if key in self._answers:
            self._repeated.add(key)
            return
        text = "\n".join(lines).strip()
        self._answers[key] = None if not text or text == NO_RESPONSE else text
        self._questions[key] = question

    def repeated(self, question: str) -> bool:
        """The question's heading appears more than once in the body."""
        return question.strip().casefold() in self._repeated

    def __getitem__(self, question: str) -> str | None:
        return self._answers[question.strip().casefold()]

    def __contains__(self, question: object) -> bool:
        return isinstance(question, str) and question.strip().casefold() in self._answers

    def __iter__(self) -> Iterator[str]:
        return iter(self._questions.values())

    def __len__(self) -> int:
        return len(self._answers)


def parse_form(body: str | None) -> FormAnswers:
    return FormAnswers(body)
