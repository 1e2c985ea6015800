"""The store: every SQL statement of aidewatch lives in this package."""
from .alerts import ClaimedAlert
from .articles import ClaimedArticle
from .commit import CommitPolicy, CommitResult, Fingerprint
from .errors import StoreError, StoreUnavailable
from .feeds import Feed
from .info import sqlite_file
from .store import Store

__all__ = ["ClaimedAlert", "ClaimedArticle", "CommitPolicy", "CommitResult", "Feed", "Fingerprint", "Store",
           "StoreError", "StoreUnavailable", "sqlite_file"]
