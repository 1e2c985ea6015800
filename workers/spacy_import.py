"""``import spacy`` without importing its command-line package.

``spacy/__init__.py`` imports ``spacy.cli`` (typer, weasel, rich, jinja2, requests...) only to offer
``spacy.info``: about a third of a CPU-second of every process start, for nothing the pipeline uses.
While spaCy initialises, a stand-in answers for ``spacy.cli.info``; it is removed afterwards, so a
later ``import spacy.cli`` gets the real package, and ``spacy.info`` calls the real function.
"""
from __future__ import annotations

import sys
import types

_STUBS = ("spacy.cli", "spacy.cli.info")


def _info(*args, **kwargs):
    from spacy.cli.info import info
    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """The ``spacy`` package, imported (once) without ``spacy.cli``."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    if any(name in sys.modules for name in _STUBS):
        import spacy
        return spacy
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    info.info, cli.info = _info, info
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        import spacy
    except ImportError:
        # a spaCy release that wants more of ``spacy.cli`` at import: the plain import, slower
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
        return spacy
    finally:
        for name in _STUBS:
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
        parent = sys.modules.get("spacy")
        if parent is not None and parent.__dict__.get("cli") is cli:
            del parent.__dict__["cli"]
    return spacy
