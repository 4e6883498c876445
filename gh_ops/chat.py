"""Notices to a chat incoming webhook (Slack-compatible: a JSON body with `text`).

The URL is a secret: it is never printed, not even in errors (they name the variable instead).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from gh_ops.errors import UsageError

SLEEP: Callable[[float], None] = time.sleep
ATTEMPTS = 3


def webhook_url(env_name: str) -> str | None:
    """The webhook URL from the environment variable the config names, or None when it is unset."""
    url = (os.environ.get(env_name) or "").strip()
    if not url:
        return None
    refused = UsageError(f"${env_name} is not an https:// URL (its value is not shown: it is a secret)")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise refused from None
    if parts.scheme != "https" or not parts.hostname or any(ch.isspace() for ch in url):
        raise refused
    return url


def post(url: str, text: str, *, env_name: str) -> str | None:
    """Send one message; retries 5xx, 429 and network errors. Returns None when sent, else why not."""
    import requests

    why = "no answer"
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = requests.post(url, json={"text": text}, timeout=10)
        except (requests.RequestException, ValueError) as exc:  # never the message: it holds the URL
            why = exc.__class__.__name__
            if not isinstance(exc, (requests.ConnectionError, requests.Timeout)):
                break
        else:
            if response.status_code < 300:
                return None
            why = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
        if attempt < ATTEMPTS:
            SLEEP(2 ** (attempt - 1))
    return f"the chat webhook (${env_name}) refused or did not answer: {why}"
