"""The read-only web view of the store: HTML pages, a JSON API, Atom feeds, metrics and health.

A thin shell: every query is in ``storage/views.py``; this package parses requests, renders
templates (Jinja2, autoescaped) and guards access (``security.py``). ``aidewatch serve`` runs it.
"""
from .app import create_app

__all__ = ["create_app"]
