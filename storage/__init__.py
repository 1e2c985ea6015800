"""The store: every SQL statement of aidewatch lives in this package."""
from .articles import ClaimedArticle
from .commit import CommitPolicy, CommitResult, Fingerprint
from .store import Store

__all__ = ["ClaimedArticle", "CommitPolicy", "CommitResult", "Fingerprint", "Store"]
