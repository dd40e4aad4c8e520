"""django-q2 clusters in their own OS processes on the Redis broker, as on separate machines.

Used by the scale-out test (test_scale_out.py) and its benchmark (bench/scaleout.py). Every run gets a
cluster name of its own: django-q2's Redis broker keeps its queue under `django_q:<name>:q`, so runs never
take each other's tasks on a Redis server that other projects share.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ROAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_unreachable(url: str = REDIS_URL) -> str:
    """Why Redis at `url` cannot be used, or "" when it answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:  # any failure to talk to it means the same to the caller: skip
        return f"needs Redis at {url}: {exc}"
    return ""


def unique_cluster_name(purpose: str) -> str:
    return f"roapp-{purpose}-{uuid.uuid4().hex[:10]}"


def database_url(settings_dict: dict) -> str:
    """The URL of a Django database (the test database, a benchmark's scratch one) for another process."""
    s = settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def cluster_environment(*, database: str, redis_url: str, name: str, **extra: str) -> dict:
    """The environment of a worker machine: the shared database, the shared Redis queue, nothing inline."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "Q_REDIS_URL": redis_url,
        "Q_CLUSTER_NAME": name,
        "ROAPP_TASKS_SYNC": "false",
        "ROAPP_ALLOW_INSECURE_PLATFORM_URLS": "true",  # the fake platforms listen on 127.0.0.1
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def running_clusters(redis_url: str, name: str) -> int:
    """How many clusters of this name are up: each refreshes its statistics key every half second (3 s TTL)."""
    import redis

    return len(redis.Redis.from_url(redis_url).keys(f"django_q:{name}:cluster:*"))


def queued_tasks(redis_url: str, name: str) -> int:
    import redis

    return redis.Redis.from_url(redis_url).llen(f"django_q:{name}:q")


def forget_cluster(redis_url: str, name: str) -> None:
    """Delete what the clusters of this name left in Redis (queue, statistics)."""
    import redis

    r = redis.Redis.from_url(redis_url)
    keys = list(r.scan_iter(match=f"django_q:{name}:*"))
    if keys:
        r.delete(*keys)


def log_tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


@contextmanager
def _one_cluster(env: dict, log: Path):
    with log.open("wb") as out:
        # A session of its own, so that its worker processes can be ended with it (by its process group).
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            proc.terminate()  # django-q2 stops its pusher, lets the workers finish their task, then exits
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # a worker the cluster left behind
            except ProcessLookupError:
                pass


@contextmanager
def qclusters(count: int, *, env: dict, logs: Path, start_seconds: float = 120):
    """`count` `manage.py qcluster` processes, each like a separate machine; yields once all are up, stops
    them all when the block ends, however it ends. Yields a check() that fails if a cluster has died."""
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        stack.callback(forget_cluster, env["Q_REDIS_URL"], env["Q_CLUSTER_NAME"])  # last, once all have stopped
        procs = [
            (stack.enter_context(_one_cluster(env, logs / f"qcluster-{i}.log")), logs / f"qcluster-{i}.log")
            for i in range(count)
        ]

        def check():
            for proc, log in procs:
                if proc.poll() is not None:
                    raise AssertionError(f"a qcluster exited with {proc.returncode}:\n{log_tail(log)}")

        wait_until(
            lambda: running_clusters(env["Q_REDIS_URL"], env["Q_CLUSTER_NAME"]) >= count,
            seconds=start_seconds,
            what=f"{count} clusters running",
            check=check,
        )
        yield check


def wait_until(condition, *, seconds: float, what: str, check=None, every: float = 0.2) -> float:
    """Poll `condition` until it holds (returns the seconds it took) or `seconds` pass (AssertionError)."""
    start = time.monotonic()
    while not condition():
        if check:
            check()
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not reached within {seconds:g} s: {what}")
        time.sleep(every)
    return time.monotonic() - start
