"""``aidewatch serve``: run the web view with uvicorn, loopback only unless a token (or --public)."""
from __future__ import annotations

import logging

from ..commands import UserError
from .security import is_loopback

log = logging.getLogger(__name__)
STATEMENT_SECONDS = 10.0  # longest query a page may run (PostgreSQL statement timeout, SQLite busy wait)


def check_bind(host: str, *, token: str, public: bool) -> None:
    """Refuse to serve the store to other machines without a token, unless told to (--public)."""
    if not is_loopback(host) and not token and not public:
        raise UserError(f"refusing to serve on {host} without AIDEWATCH_WEB_TOKEN: anyone who can reach "
                        f"it could read the store. Set the token, bind to 127.0.0.1, or pass --public.")


def open_store(s):
    """The store, opened read-only after it was opened as every entry point opens it (migrated,
    defaults loaded once) when reachable; served even when not (pages answer 503 until it is)."""
    from storage import Store

    from ..startup import StoreOpenError, open_store as open_initialised
    try:
        open_initialised(s).close()
    except StoreOpenError as exc:  # /healthz says 503 until the store answers
        log.warning("%s; serving 503 until it answers", exc)
    return Store(s.database_url, migrate_schema=False, read_only=True, statement_timeout=STATEMENT_SECONDS)


def serve(args, s) -> int:
    check_bind(args.host, token=s.web_token, public=args.public)
    if not (1 <= args.port <= 65535):
        raise UserError("--port must be between 1 and 65535")
    import uvicorn

    from .app import create_app
    store = open_store(s)
    app = create_app(store, token=s.web_token)
    if not is_loopback(args.host) and not s.web_token:
        log.warning("serving on %s with no token (--public): anyone who can reach it can read the store",
                    args.host)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=s.log_level.lower(),
                            access_log=False, proxy_headers=False, server_header=False,
                            limit_concurrency=100, timeout_keep_alive=5, h11_max_incomplete_event_size=16384)
    try:
        uvicorn.Server(config).run()
    finally:
        store.close()
    return 0
