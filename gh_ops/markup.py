"""Hidden markers that identify what gh-ops wrote, and text from GitHub made inert before it is embedded."""

from __future__ import annotations

import re

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
