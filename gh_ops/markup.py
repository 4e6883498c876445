"""Hidden markers that identify what gh-ops wrote, text from GitHub made inert before it is embedded,
and a body read as GitHub shows it (code whole, HTML comments hidden)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\A\s*<!-- gh-ops:(?P<kind>[a-z-]+)(?P<fields>(?: [a-z_]+=[^\s>]+)*) -->")
_SAFE_VALUE = re.compile(r"^[^\s<>]+$")


def marker(kind: str, **fields: str) -> str:
    """The hidden comment that identifies what gh-ops opened, e.g. `<!-- gh-ops:sprint team=web ... -->`."""
    for key, value in fields.items():
        if not _SAFE_VALUE.match(value):
            raise ValueError(f"marker field {key}={value!r} must be one word")
    parts = "".join(f" {k}={v}" for k, v in fields.items())
    return f"<!-- gh-ops:{kind}{parts} -->"


def read_marker(body: str | None) -> tuple[str, dict[str, str]] | None:
    """The marker at the very start of a body, or None. Markers elsewhere in a body are ignored."""
    match = _MARKER.match(body or "")
    if not match:
        return None
    fields = dict(pair.split("=", 1) for pair in match.group("fields").split())
    return match.group("kind"), fields


_MARKER_ANYWHERE = re.compile(r"<!-- gh-ops:(?P<kind>[a-z-]+)(?P<fields>(?: [a-z_]+=[^\s>]+)*) -->")


def find_marker(body: str | None) -> tuple[str, dict[str, str]] | None:
    """The first marker anywhere in a body: for issues whose author is already trusted, where
    people may have added a line above it. Never use this for deciding whom to trust."""
    match = _MARKER_ANYWHERE.search(body or "")
    if not match:
        return None
    return match.group("kind"), dict(pair.split("=", 1) for pair in match.group("fields").split())


SHOWN_CHARACTERS = 200  # how much of a user's text a message repeats


def quoted(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """User text quoted in a message (log, comment, output): whole when short, else its first
    `limit` characters and how long it was, so a 300 KB answer is not echoed whole."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def shortened(text: str, limit: int) -> str:
    """Text cut to at most about `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


_MENTION_START = re.compile(r"@(?=[A-Za-z0-9])")


def no_mentions(text: str) -> str:
    """Text from a form or an option, shown as written but unable to mention anyone (`@leaver`,
    `@everyone`, `@org/team`): a zero-width joiner after each @ keeps GitHub from linking it."""
    return _MENTION_START.sub("@\u200d", text)


def chat_escape(text: str) -> str:
    """Text from GitHub made inert for a chat webhook's markup: no links, tags or Slack mentions
    (<!channel>), and no Mattermost-style mentions either (@channel, @here, @all, @everyone or a
    login, which such webhooks ping as plain text)."""
    return no_mentions(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def chat_link(url: str, text: str) -> str:
    """A link in a chat message, its text from GitHub made inert."""
    return f"<{url}|{chat_escape(text).replace('|', '¦')}>"


def defuse_markup(text: str) -> str:
    """Make text from GitHub safe to embed: it can no longer open an HTML comment (and so fake a marker)."""
    return text.replace("<!--", "<\u200b!--").replace("-->", "--\u200b>")


# --- a body as GitHub shows it ------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_COMMENT_BLOCK = re.compile(r"^ {0,3}<!--")  # an HTML block: it runs to the line holding `-->`
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")  # a block of one line: code spans end with it
_CODE_OR_COMMENT = re.compile(r"`+|<!--")
_INLINE_COMMENT = re.compile(r"<!--(?:-?>|(?:[^-]|-[^-]|--[^>])*-->)")  # as GitHub's cmark-gfm reads one


@dataclass(frozen=True)
class VisibleLine:
    """One line of a body as a reader sees it: without HTML comments, except in code."""

    text: str
    kind: str = "text"  # text, or of a fenced code block: open, code (inside it) or close
    info: str = ""  # a code block's opening line: what follows the backticks or tildes


def _without_comments(html: str) -> tuple[str, bool]:
    """Raw HTML as a browser shows it, without its comments, and whether the last one is left open."""
    kept: list[str] = []
    while (start := html.find("<!--")) >= 0:
        kept.append(html[:start])
        end = html.find("-->", start + 2)  # `<!-->` is a whole (empty) comment
        if end < 0:
            return "".join(kept), True
        html = html[end + 3 :]
    return "".join(kept) + html, False


def _inline(paragraph: str) -> str:
    """A paragraph as a browser shows it: without its HTML comments, but with its code spans whole
    (`` `<!--` `` is code). Read from the left as GitHub does, whichever starts first wins. A comment
    must close within the paragraph (GitHub shows an unclosed `<!--` there as text), and a backtick run
    that no run of the same length closes is text. Line breaks in a comment stay, and so line numbers."""
    kept: list[str] = []
    position = 0
    closable = True  # once a comment found no end, a later one will not either (and is not sought)
    while match := _CODE_OR_COMMENT.search(paragraph, position):
        end = match.end()
        if match.group(0) == "<!--":
            comment = _INLINE_COMMENT.match(paragraph, match.start()) if closable else None
            if comment:
                visible, _ = _without_comments(comment.group(0))
                hidden_lines = comment.group(0).count("\n") - visible.count("\n")
                kept += [paragraph[position : match.start()], "\n" * hidden_lines, visible]
                position = comment.end()
                continue
            closable = False
        elif code := re.compile(f"(?<!`){match.group(0)}(?!`)").search(paragraph, end):
            end = code.end()
        kept.append(paragraph[position:end])
        position = end
    return "".join(kept) + paragraph[position:]


def visible_lines(text: str) -> list[VisibleLine]:
    """A body line by line as GitHub shows it. Code is code whatever it holds: a fenced block (opened
    by ``` or ~~~, closed by a run of the same kind at least as long; one never closed runs to the
    end) and inline code. Outside code, HTML comments are hidden, and one that starts a line and is
    never closed hides the rest of the body."""
    lines: list[VisibleLine] = []
    paragraph: list[str] = []
    fence = ""  # the opening run of the code block we are in
    # In a comment: one that started a line and runs to the first line holding `-->` (Markdown's HTML
    # block), or one left open in such a block's last line, which runs to a `-->` in a later one.
    hidden = ""  # "", "block" or "raw"

    def end_paragraph() -> None:
        if paragraph:
            lines.extend(VisibleLine(line) for line in _inline("\n".join(paragraph)).split("\n"))
            paragraph.clear()

    def end_block(rest: str) -> None:
        nonlocal hidden
        visible, left_open = _without_comments(rest)
        hidden = "raw" if left_open else ""
        lines.append(VisibleLine(visible))

    for line in text.split("\n"):
        fence_line = _FENCE.match(line)
        closes = bool(fence and fence_line and fence_line[1].startswith(fence) and not fence_line[2].strip())
        # Backticks with another backtick after them on the line are inline code, not a fence.
        inline_code = bool(fence_line and fence_line[1][0] == "`" and "`" in fence_line[2])
        opening = None if fence or inline_code else fence_line
        if hidden == "raw":  # Markdown still reads the blocks; only a comment's `-->` is HTML again
            if fence:
                fence = "" if closes else fence
            elif opening:
                fence = opening[1]
            elif _COMMENT_BLOCK.match(line):
                hidden = "block"
            if hidden == "raw":
                lines.append(VisibleLine(""))
                continue
        if hidden:
            end = line.find("-->")
            if end >= 0:
                end_block(line[end + 3 :])
            else:
                lines.append(VisibleLine(""))
        elif fence:
            fence = "" if closes else fence
            lines.append(VisibleLine(line, "code" if fence else "close"))
        elif opening:
            end_paragraph()
            fence = opening[1]
            lines.append(VisibleLine(line, "open", opening[2]))
        elif _COMMENT_BLOCK.match(line):
            end_paragraph()
            start = line.index("<!--")
            if (end := line.find("-->", start + 2)) >= 0:
                end_block(line[end + 3 :])
            else:
                hidden = "block"
                lines.append(VisibleLine(""))
        elif not line.strip() or _HEADING.match(line):
            end_paragraph()
            lines.append(VisibleLine(_inline(line)))
        else:
            paragraph.append(line)
    end_paragraph()
    return lines


def without_comments(text: str) -> str:
    """A body as GitHub shows it, without its HTML comments (a template's prompts) but with code
    whole, `<!--` in it included; line for line, so line numbers stay (see visible_lines)."""
    return "\n".join(line.text for line in visible_lines(text))
