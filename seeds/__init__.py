"""The user's example articles, their local feed, and the default feeds and watchlist.

Shipped inside the installed package, so a store created from any working directory (or in the
Docker image) gets the same defaults: see ``aidewatch.startup``.
"""
