"""Webhook intake under load: signed Shopify webhooks against the product as operators serve it.

    python -m bench.webhooks [--seconds 10] [--workers 2] [--threads 8] [--clients 8] [--server granian]
                             [--repeat 3]

The product runs the way docs/operations.md tells operators to run it: granian serving roapp.wsgi (or, for
comparison, gunicorn with gthread workers), PostgreSQL, and the store's webhook queue absorbing the work
(each accepted webhook is one row; one drain task is queued for the burst). `wrk` (Debian's package,
`make bench-deps`) posts signed `orders/create` webhooks, each with its own X-Shopify-Webhook-Id, over
keep-alive connections for S seconds and reports the latency to a 2xx. Each run gets a fresh process and
database; the median run (by requests/s) is reported and written to bench/results/webhooks.json.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile

from bench.common import background, django_setup, free_port, median_run, report, scratch_database

WRK_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local bodies, signatures = {}, {}
function init(args)
  for line in io.lines("%(bodies)s") do
    local tab = line:find("\\t")
    bodies[#bodies + 1] = line:sub(1, tab - 1)
    signatures[#signatures + 1] = line:sub(tab + 1)
  end
end
counter = 0
request = function()
  counter = counter + 1
  local i = ((tid - 1) * %(per_thread)d + counter - 1) %% #bodies + 1
  wrk.headers["X-Shopify-Webhook-Id"] = tid .. "-" .. counter
  wrk.headers["X-Shopify-Hmac-Sha256"] = signatures[i]
  return wrk.format("POST", "%(path)s", nil, bodies[i])
end
"""
# Every request is a new delivery (its own order id, so its own body): the product answers the same signed body
# again as a replay without recording it, which is not the intake being measured.
THREADS = 2
PER_THREAD = 100_000


def server_command(server: str, port: int, workers: int, threads: int) -> list[str]:
    """The web process as docs/operations.md gives it (granian), or gunicorn to compare."""
    if server == "granian":
        return [
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--log-level",
            "warning",
            "roapp.wsgi:application",
        ]
    return [
        "-m",
        "gunicorn",
        "roapp.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "-k",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]


def load(port: int, store_id: int, secret: str, seconds: float, clients: int) -> dict:
    from integrations.platforms.signatures import hmac_sha256_base64

    with (
        tempfile.NamedTemporaryFile("w", suffix=".tsv") as bodies,
        tempfile.NamedTemporaryFile("w", suffix=".lua") as script,
    ):
        for n in range(THREADS * PER_THREAD):
            body = json.dumps({"id": 5000000000001 + n, "name": f"#{1001 + n}"})
            bodies.write(f"{body}\t{hmac_sha256_base64(secret=secret, body=body.encode())}\n")
        bodies.flush()
        script.write('wrk.headers["Content-Type"] = "application/json"\n')
        script.write(WRK_SCRIPT % {"path": f"/hooks/{store_id}/", "bodies": bodies.name, "per_thread": PER_THREAD})
        script.flush()
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(THREADS),
                "-c",
                str(clients),
                "-d",
                f"{int(seconds)}s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def ms(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": requests,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, errors.groups())) if errors else 0),
        "requests_per_s": round(requests / seconds, 1),
        "p50_ms": ms("50%"),
        "p90_ms": ms("90%"),
        "p99_ms": ms("99%"),
    }


def run(seconds: float, workers: int, threads: int, clients: int, server: str) -> dict:
    os.environ["ROAPP_TASKS_SYNC"] = "false"  # the served product queues tasks; nothing runs them inline
    django_setup()
    from django.db import connection

    from integrations.models import WebhookDelivery
    from integrations.tests.factories import StoreFactory
    from orders.models import OrderType

    store = StoreFactory(name="bench", order_type=OrderType.objects.get(name="Online order"))
    store.webhook_secret = "bench-secret"
    store.save()
    port = free_port()
    with background(server_command(server, port, workers, threads), port):
        measured = load(port, store.pk, "bench-secret", seconds, clients)
    connection.close()
    return {
        "database": connection.vendor,
        "server": server,
        "workers": workers,
        "threads": threads,
        "client_connections": clients,
        "seconds": seconds,
        **measured,
        "deliveries_queued": WebhookDelivery.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server", default="granian", choices=["granian", "gunicorn"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one run, its figures as JSON on the last line")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        parser.error("this benchmark needs wrk: `make bench-deps` (Debian's wrk package)")
    if args.json:
        with scratch_database():
            print(json.dumps(run(args.seconds, args.workers, args.threads, args.clients, args.server)))
        return
    one = [
        "--seconds",
        str(args.seconds),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--clients",
        str(args.clients),
        "--server",
        args.server,
    ]
    rows = median_run("bench.webhooks", one, args.repeat, key="requests_per_s")
    name = "webhooks" if args.server == "granian" else f"webhooks_{args.server}"
    report(name, rows, f"Webhook intake for {args.seconds:g} s ({args.server})")


if __name__ == "__main__":
    main()
