"""Webhook intake under load: signed Shopify webhooks against the product served by gunicorn.

    python -m bench.webhooks [--seconds 10] [--workers 3] [--threads 8] [--clients 8]

The product runs the way the README tells operators to run it (gunicorn, sync workers, PostgreSQL,
django-q2's ORM broker absorbing the work: each accepted webhook is one queued task). A second
process posts signed `orders/create` webhooks, each with its own X-Shopify-Webhook-Id, over
keep-alive connections for S seconds (wrk, from Debian's `wrk` package, when installed — it leaves the
two cores to the server; a Python load generator otherwise) and records the latency to a 2xx. Writes
bench/results/webhooks.json with requests_per_s and p99_ms.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from bench.common import ROOT, background, django_setup, free_port, report, scratch_database


def _client_process(port, store_id, secret, seconds, threads, out):
    sys.path.insert(0, str(ROOT))
    from integrations.platforms.signatures import hmac_sha256_base64

    body = json.dumps({"id": 5000000000001, "name": "#1001"}).encode()
    signature = hmac_sha256_base64(secret=secret, body=body)
    latencies, errors = [], [0]
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < deadline:
            headers = {"Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
                       "X-Shopify-Hmac-Sha256": signature, "X-Shopify-Webhook-Id": uuid.uuid4().hex}  # fmt: skip
            start = time.perf_counter()
            try:
                conn.request("POST", f"/hooks/{store_id}/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            if ok:
                mine.append((time.perf_counter() - start) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((latencies, errors[0]))


WRK_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
request = function()
  counter = counter + 1
  wrk.headers["X-Shopify-Webhook-Id"] = tid .. "-" .. counter
  return wrk.format("POST", "%(path)s", nil, wrk.body)
end
"""


def _wrk(port, store_id, secret, seconds, clients) -> dict | None:
    """Load from wrk (C, Debian package `wrk`) when present: it leaves the CPU to the server under test."""
    if not shutil.which("wrk"):
        return None
    sys.path.insert(0, str(ROOT))
    from integrations.platforms.signatures import hmac_sha256_base64

    body = json.dumps({"id": 5000000000001, "name": "#1001"})
    signature = hmac_sha256_base64(secret=secret, body=body.encode())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f"wrk.body = {json.dumps(body)}\n")
        script.write('wrk.headers["Content-Type"] = "application/json"\n')
        script.write(f'wrk.headers["X-Shopify-Hmac-Sha256"] = "{signature}"\n')
        script.write(WRK_SCRIPT % {"path": f"/hooks/{store_id}/"})
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(clients), "-d", f"{int(seconds)}s", "--latency", "-s", script.name,
         f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)

    def ms(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"load_generator": "wrk", "requests": requests, "errors": int(non_2xx.group(1)) if non_2xx else 0,
            "requests_per_s": round(requests / seconds, 1), "p50_ms": ms("50%"), "p99_ms": ms("99%")}  # fmt: skip


def run(seconds: float, workers: int, threads: int, clients: int, worker_class: str = "gthread") -> dict:
    django_setup()
    from django.db import connection
    from django_q.models import OrmQ

    from integrations.tests.factories import StoreFactory
    from orders.models import OrderType

    store = StoreFactory(name="bench", order_type=OrderType.objects.get(name="Online order"))
    store.webhook_secret = "bench-secret"
    store.save()
    port = free_port()
    env_db = os.environ["DATABASE_URL"]
    os.environ["ROAPP_TASKS_SYNC"] = "false"  # the served product queues tasks; nothing runs them inline
    # As the README tells operators: gthread workers keep connections alive (sync workers close each one).
    args = ["-m", "gunicorn", "roapp.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", worker_class,
            "--threads", str(threads), "--keep-alive", "5", "--log-level", "warning"]  # fmt: skip
    with background(args, port):
        measured = _wrk(port, store.pk, "bench-secret", seconds, clients)
        if measured is not None:
            connection.close()
            return {"database": env_db.split("://")[0], "gunicorn_workers": workers, "gunicorn_threads": threads,
                    "worker_class": worker_class, "client_connections": clients, "seconds": seconds, **measured,
                    "tasks_queued": OrmQ.objects.count()}  # fmt: skip
        queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_client_process, args=(port, store.pk, "bench-secret", seconds,
                 clients // 2, queue)) for _ in range(2)]  # fmt: skip
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
    latencies = [x for lat, _ in results for x in lat]
    errors = sum(e for _, e in results)
    connection.close()
    return {
        "database": env_db.split("://")[0],
        "gunicorn_workers": workers,
        "gunicorn_threads": threads,
        "client_connections": clients,
        "seconds": seconds,
        "load_generator": "python",
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[-1], 2),
        "tasks_queued": OrmQ.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    args = parser.parse_args()
    with scratch_database():
        rows = run(args.seconds, args.workers, args.threads, args.clients, args.worker_class)
    report("webhooks", rows, f"Webhook intake for {args.seconds:g} s")


if __name__ == "__main__":
    main()
