"""Engine creation (pool, timeouts, discarding interrupted connections), advisory locks and
schema migrations."""
from __future__ import annotations

import logging
import zlib
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from .errors import translate_errors

log = logging.getLogger("aidewatch.storage")
SQLITE_BUSY_SECONDS = 60.0  # default wait for SQLite's write lock when no bound is given

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs; create the folder of a SQLite file."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.drivername.startswith("sqlite") and u.database and u.database != ":memory:":
        Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return u.render_as_string(hide_password=False)


def create(url: str, *, statement_timeout: float | None = None, lock_timeout: float | None = None,
           read_only: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and write-locking transactions.

    ``statement_timeout`` and ``lock_timeout`` (seconds) bound every statement and every lock wait
    of a session (PostgreSQL ``statement_timeout`` / ``lock_timeout``; SQLite's busy timeout is
    the statement bound), so a task whose time limit is above them gives up with an
    ``StoreUnavailable`` it can retry instead of being cut inside a query. A connection that an
    exception or signal interrupted inside a database call is discarded, never pooled again.

    ``read_only`` (the web view): the database refuses writes, and SQLite reads take no write
    lock (plain deferred transactions: under WAL they never wait for, or hold up, the writers).
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        busy = statement_timeout or SQLITE_BUSY_SECONDS
        engine = create_engine(url, connect_args={"timeout": busy, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - driver hook
            dbapi_conn.isolation_level = None  # let us emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - driver hook
            # Take the write lock up front: read-then-write transactions never deadlock. A reader
            # (execution option ``read_only``) takes none: WAL readers never block or wait.
            reader = read_only or conn.get_execution_options().get("read_only")
            conn.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")
    else:
        options = []
        if statement_timeout:
            options.append(f"-c statement_timeout={int(statement_timeout * 1000)}")
        if lock_timeout:
            options.append(f"-c lock_timeout={int(lock_timeout * 1000)}")
        if read_only:
            options.append("-c default_transaction_read_only=on")
        connect_args = {"connect_timeout": 10}
        if options:
            connect_args["options"] = " ".join(options)
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                               connect_args=connect_args)
        event.listen(engine, "checkout", _refuse_busy_connection)
        event.listen(engine, "invalidate", _cancel_running_query)
    event.listen(engine, "handle_error", _discard_interrupted)  # first: it decides what is discarded
    translate_errors(engine)  # then the error is raised as the store's own
    return engine


def _discard_interrupted(ctx) -> None:
    """Invalidate (close, never pool again) a connection whose call was cut by something other
    than the database: a time limit, a signal, any exception raised mid-protocol leaves the driver
    half-way through a command ("another command is already in progress" ever after). A failed
    pre-ping discards the connection too, whatever the error."""
    from_driver = isinstance(ctx.original_exception, ctx.dialect.loaded_dbapi.Error)
    if ctx.is_pre_ping or not from_driver or "command is already in progress" in str(ctx.original_exception):
        ctx.is_disconnect = True
        ctx.invalidate_pool_on_disconnect = False  # only this connection is suspect


def _refuse_busy_connection(dbapi_conn, _record, _proxy) -> None:
    """Checkout check: a pooled PostgreSQL connection must be idle (no command running, no
    transaction open); any other is discarded and a fresh one taken."""
    info = getattr(dbapi_conn, "info", None)
    status = getattr(info, "transaction_status", None)
    if status is not None and int(status) != 0:  # psycopg.pq.TransactionStatus.IDLE
        log.warning("discarding a pooled connection left in state %s", getattr(status, "name", status))
        raise exc.DisconnectionError(f"connection left in state {status}")


def _cancel_running_query(dbapi_conn, _record, _exception) -> None:
    """Before an interrupted connection is closed, ask the server to stop its query (a slow
    statement would otherwise keep running, and keep its locks, until it ends by itself)."""
    info = getattr(dbapi_conn, "info", None)
    if info is None or int(getattr(info, "transaction_status", 0)) != 1:  # 1 = ACTIVE
        return
    try:
        dbapi_conn.cancel_safe(timeout=3)
    except Exception as e:  # noqa: BLE001 - best effort: statement_timeout ends it anyway
        log.info("could not cancel the query of a discarded connection: %s", e)


def is_postgres(conn_or_engine) -> bool:
    return conn_or_engine.dialect.name == "postgresql"


def advisory_lock(conn: Connection, *keys: str) -> None:
    """Serialise writers on the given keys until the transaction ends.

    PostgreSQL takes transaction-level advisory locks (in sorted order, so two
    writers never deadlock); SQLite already holds the database write lock.
    """
    if not is_postgres(conn):
        return
    for key in sorted(set(keys)):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(key.encode()) - 2**31})


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config  # imported only when migrating: a third of a second of start-up
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe when several processes start at once)."""
    from alembic import command
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        if is_postgres(conn):
            # Migrations may wait for another process's migration and may rewrite tables:
            # the session's statement and lock bounds are lifted for this transaction.
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SET LOCAL lock_timeout = 0"))
            conn.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
