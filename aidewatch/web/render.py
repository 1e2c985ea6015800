"""The Jinja2 environment of the pages: autoescape always on, links only for http(s) URLs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
from starlette.responses import HTMLResponse

from workers.redact import mask_url

from .security import http_url

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
env.filters["http_url"] = http_url
env.filters["path"] = lambda v: quote(str(v), safe="")  # one path segment: /people/{{ name|path }}
env.filters["when"] = lambda v: v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else (v or "")
env.filters["masked"] = mask_url  # a URL without its password
env.filters["scheme"] = lambda v: (v or "").split("://", 1)[0]  # alert channels: never show their secrets
env.globals["query"] = lambda args, **more: urlencode({**args, **{k: v for k, v in more.items() if v}})


def page(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(template).render(**context), status_code=status)
