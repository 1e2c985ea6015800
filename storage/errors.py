"""The store's own exceptions: callers never import SQLAlchemy to handle database trouble."""
from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc

from workers.redact import mask_url


class StoreError(Exception):
    """A database statement failed (the original SQLAlchemy error is the ``__cause__``)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or is busy (connection refused or lost, locked, timed out):
    worth retrying later."""


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return mask_url(lines[0] if lines else type(orig).__name__)


def translate_errors(engine: Engine) -> None:
    """Raise StoreError / StoreUnavailable instead of SQLAlchemy's DBAPI errors on ``engine``
    (statements, transactions and connecting alike)."""
    @event.listens_for(engine, "handle_error")
    def _translate(ctx):  # pragma: no cover - driver hook
        err = ctx.sqlalchemy_exception
        if not isinstance(err, sa_exc.DBAPIError):
            return None
        unavailable = ctx.is_disconnect or isinstance(err, (sa_exc.OperationalError, sa_exc.InterfaceError))
        cls = StoreUnavailable if unavailable else StoreError
        raise cls(_first_line(err)) from err
