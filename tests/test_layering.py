"""The layering of the developer guide, checked on the source: ``workers/`` imports no Celery, Redis
or SQL and none of the other layers; SQL (SQLAlchemy, Alembic, the drivers) only in ``storage/``;
no import cycles between modules."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("aidewatch", "workers", "tasks", "storage", "seeds")
SQL = ("sqlalchemy", "alembic", "psycopg", "psycopg2", "sqlite3")
QUEUE = ("celery", "kombu", "billiard", "redis")


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            if "migrations" in f.parts:
                continue  # Alembic's scripts belong to storage and are not imported by name
            parts = f.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def imports(name: str, path: Path, *, module_level: bool = False) -> set[str]:
    """The modules ``name`` imports, resolved to full names: everywhere (also inside functions), or
    only the imports run when the module is imported (``module_level``)."""
    found = set()
    pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [n for stmt in tree.body for n in ast.walk(stmt)
             if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))] \
        if module_level else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def top(mod: str) -> str:
    return mod.split(".")[0]


def test_workers_import_no_queue_sql_or_other_layer():
    bad = [(m, i) for m, p in modules().items() if top(m) == "workers" for i in imports(m, p)
           if top(i) in SQL + QUEUE + ("tasks", "storage", "aidewatch")]
    assert not bad, bad


def test_sql_only_in_storage():
    bad = [(m, i) for m, p in modules().items() if top(m) != "storage" for i in imports(m, p)
           if top(i) in SQL]
    assert not bad, bad


def test_storage_does_not_import_tasks_or_the_cli():
    bad = [(m, i) for m, p in modules().items() if top(m) == "storage" for i in imports(m, p)
           if top(i) in ("tasks", "aidewatch") or top(i) in QUEUE]
    assert not bad, bad


def test_no_import_cycles():
    """No cycle among the imports that run at import time (a function may import lazily)."""
    mods = modules()
    graph = {m: {i for i in imports(m, p, module_level=True) if i in mods and i != m} for m, p in mods.items()}
    # a package's __init__ imports its own modules: an edge from a module to its package is the
    # normal way of reaching a sibling, not a cycle of meaning
    graph = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    assert not find_cycles(graph), find_cycles(graph)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == "open":
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    return cycles


def test_the_checks_see_the_code():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
    mods = modules()
    assert {"workers.feed_refresh", "tasks.pipeline", "storage.feeds", "aidewatch.cli"} <= set(mods)
    assert "sqlalchemy" in {top(i) for i in imports("storage.feeds", mods["storage.feeds"])}
    assert "celery" in {top(i) for i in imports("tasks.app", mods["tasks.app"])}
