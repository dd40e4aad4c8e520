"""Shared benchmark plumbing: a throwaway database, a fake shop in its own process, figures out."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def scratch_database():
    """Point DATABASE_URL at a fresh database on the same server (or a temp SQLite file), then drop it."""
    import environ

    base = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    config = environ.Env.db_url_config(base)
    name = f"roapp_bench_{uuid.uuid4().hex[:8]}"
    if config["ENGINE"].endswith("sqlite3"):
        path = Path("/tmp") / f"{name}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        try:
            yield "sqlite"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield "postgresql"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roapp.settings")
    os.environ.setdefault("ROAPP_ALLOW_INSECURE_PLATFORM_URLS", "true")
    os.environ.setdefault("ROAPP_TASKS_SYNC", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def background(args: list[str], port: int):
    """Run a server command in its own process until the block ends (bounded wait for its port)."""
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{args} did not start: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.1)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def report(name: str, rows: dict, title: str):
    """Print a two-column table and write bench/results/<name>.json."""
    width = max(len(k) for k in rows)
    print(f"\n{title}")
    print("-" * (width + 16))
    for key, value in rows.items():
        print(f"{key.ljust(width)}  {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(rows, indent=2, default=str) + "\n")
    print(f"written {RESULTS / (name + '.json')}")


def median_run(module: str, args: list[str], repeat: int, *, key: str) -> dict:
    """Run `python -m module --json *args` `repeat` times (fresh process and database each) and return
    the median run by `key`, with every run's figure: this machine's speed varies by a third between runs."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-m", module, "--json", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    runs.sort(key=lambda r: r[key])
    return {**runs[len(runs) // 2], "runs": len(runs), f"runs_{key}": [r[key] for r in runs]}
