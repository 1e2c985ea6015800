"""Passwords out of URLs before they reach a message, a log line or ``status``."""
from __future__ import annotations

import re

_USERINFO_PASSWORD = re.compile(r"(?<=://)([^/@:\s]*):[^/@\s]*@")


def mask_url(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***`` (``user:***@host``)."""
    return _USERINFO_PASSWORD.sub(r"\1:***@", text)
