"""The store: every SQL statement of aidewatch lives in this package."""
from .commit import CommitPolicy, CommitResult, Fingerprint
from .store import Store

__all__ = ["CommitPolicy", "CommitResult", "Fingerprint", "Store"]
