"""The store: every SQL statement of aidewatch lives in this package."""
from .articles import ClaimedArticle
from .commit import CommitPolicy, CommitResult, Fingerprint
from .errors import StoreError, StoreUnavailable
from .info import sqlite_file
from .store import Store

__all__ = ["ClaimedArticle", "CommitPolicy", "CommitResult", "Fingerprint", "Store", "StoreError",
           "StoreUnavailable", "sqlite_file"]
