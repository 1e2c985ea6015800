"""``aidewatch serve``: run the web view with uvicorn, loopback only unless a token (or --public)."""
from __future__ import annotations

import logging

from ..commands import UserError
from .security import is_loopback

log = logging.getLogger(__name__)


def check_bind(host: str, *, token: str, public: bool) -> None:
    """Refuse to serve the store to other machines without a token, unless told to (--public)."""
    if not is_loopback(host) and not token and not public:
        raise UserError(f"refusing to serve on {host} without AIDEWATCH_WEB_TOKEN: anyone who can reach "
                        f"it could read the store. Set the token, bind to 127.0.0.1, or pass --public.")


def open_store(url: str):
    """The store, read-only, migrated first when reachable; served even when not (pages then
    answer 503 until it is)."""
    from storage import Store
    from storage.db import create, migrate
    try:
        engine = create(url)
        try:
            migrate(engine)
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - /healthz says 503 until the store answers
        log.warning("store not reachable at start-up (%s); serving 503 until it is", exc.__class__.__name__)
    return Store(url, migrate_schema=False, read_only=True)


def serve(args, s) -> int:
    check_bind(args.host, token=s.web_token, public=args.public)
    if not (1 <= args.port <= 65535):
        raise UserError("--port must be between 1 and 65535")
    import uvicorn

    from .app import create_app
    store = open_store(s.database_url)
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
