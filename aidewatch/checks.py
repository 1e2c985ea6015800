"""Checks of what a person types: each returns the clean value or raises a one-line ``ValueError``
(argparse turns it into "aidewatch ...: error: ..." and exit 2; the commands into UserError)."""
from __future__ import annotations

import argparse
import math
import unicodedata
from datetime import datetime, timezone
from urllib.parse import urlsplit

MAX_NAME = 200


def _number(text: str, *, minimum: float, above: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if math.isnan(value) or math.isinf(value) or value < minimum or (above and value == minimum):
        raise argparse.ArgumentTypeError(f"{text!r} must be {'above' if above else 'at least'} {minimum:g}")
    return value


def positive_number(text: str) -> float:
    """A number above 0 (minutes between polls, say)."""
    return _number(text, minimum=0, above=True)


def non_negative_number(text: str) -> float:
    """A number of 0 or more (0 often meaning "no limit")."""
    return _number(text, minimum=0, above=False)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def day(text: str) -> datetime:
    """A date (``2024-05-01``) or date and time (``2024-05-01T12:00``, UTC unless it says)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def display_name(text: str, what: str) -> str:
    """A non-empty one-line name of printable characters, whitespace collapsed."""
    name = " ".join(text.split())
    if not name:
        raise ValueError(f"{what} must not be empty")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValueError(f"{what} {text!r} contains control characters")
    if len(name) > MAX_NAME:
        raise ValueError(f"{what} is longer than {MAX_NAME} characters")
    return name


def http_url(text: str) -> str:
    """An absolute http(s) URL with a host name and no spaces."""
    if text != text.strip() or any(c.isspace() for c in text):
        raise ValueError(f"{text!r} is not a URL (it contains spaces; encode them as %20)")
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{text!r} is not an http(s) URL")
    if not host:
        raise ValueError(f"{text!r} has no host name")
    return text
