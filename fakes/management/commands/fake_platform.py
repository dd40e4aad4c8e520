"""Serve a fake platform (real protocol, local data) on 127.0.0.1 for the demo, manual testing and benchmarks."""

import inspect

from django.core.management.base import BaseCommand, CommandError

from fakes.registry import FAKES
from fakes.server import FAULT_KINDS, Faults


def port_number(text: str) -> int:
    """--port: a TCP port, refused by argparse in one line rather than by bind() with a traceback."""
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(text)
    return port


class Command(BaseCommand):
    requires_system_checks = []  # a fake server needs neither the database nor the project checks
    help = "Serve a local fake of a platform's API with orders from JSON files or generated sample data."

    def add_arguments(self, parser):
        parser.add_argument("platform", choices=sorted(FAKES))
        parser.add_argument("--port", type=port_number, default=0, help="Port on 127.0.0.1 (0 = any free port)")
        parser.add_argument("--orders-dir", help="Directory of *.json order files in the platform's own format")
        parser.add_argument("--orders", type=int, default=300, help="Generate this many orders (without --orders-dir)")
        parser.add_argument("--seed", type=int, default=0, help="Seed for generated data and injected faults")
        parser.add_argument("--token", help="Access token clients must send (Shopify: X-Shopify-Access-Token)")
        parser.add_argument("--client-id", help="Shopify: the Dev Dashboard app's client ID (default fake-client-id)")
        parser.add_argument("--client-secret", help="Shopify: its client secret (default fake-client-secret)")
        parser.add_argument("--token-lifetime", type=float, help="Shopify: seconds an app's access token lasts")
        parser.add_argument("--currency", default="UAH")
        parser.add_argument("--plan", help='Shopify plan display name; "Basic" redacts customer data')
        parser.add_argument("--restore-rate", type=float, help="Shopify cost points restored per second")
        for kind in FAULT_KINDS:
            parser.add_argument(f"--rate-{kind}", type=float, default=0.0, help=f"Share of requests answered {kind}")

    def handle(self, *args, **opts):
        fake_class = FAKES[opts["platform"]]
        if opts["orders_dir"]:
            try:
                orders = fake_class.load_orders(opts["orders_dir"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"--orders-dir: {exc}") from exc
            if not orders:
                raise CommandError(f"--orders-dir: no {opts['platform']} orders in {opts['orders_dir']}")
        else:
            orders = fake_class.generate(opts["orders"], seed=opts["seed"], currency=opts["currency"])
        faults = Faults(**{f"rate_{kind}": opts[f"rate_{kind}"] for kind in FAULT_KINDS})
        wanted = {
            "port": opts["port"],
            "orders": orders,
            "faults": faults,
            "seed": opts["seed"],
            "token": opts["token"],
            "client_id": opts["client_id"],
            "client_secret": opts["client_secret"],
            "token_lifetime": opts["token_lifetime"],
            "currency": opts["currency"],
            "plan": opts["plan"],
            "restore_rate": opts["restore_rate"],
        }
        # Each fake takes the options that make sense for its platform; unset ones keep the fake's defaults.
        accepted = inspect.signature(fake_class).parameters
        try:
            server = fake_class(**{k: v for k, v in wanted.items() if k in accepted and v is not None})
        except OSError as exc:
            raise CommandError(f"cannot listen on port {opts['port']}: {exc}") from exc
        server.verbose = opts["verbosity"] >= 2
        self.stdout.write(f"Fake {opts['platform']} listening on {server.url}")
        if getattr(server, "token", None):
            self.stdout.write(f"Token: {server.token}")
        elif getattr(server, "credentials", None):
            self.stdout.write("Credentials: " + ", ".join(f"{k}={v}" for k, v in server.credentials.items()))
        app = getattr(server, "app", None)
        if app is not None and app.client_id:
            self.stdout.write(f"Dev Dashboard app: client ID {app.client_id}, client secret {app.client_secret}")
        self.stdout.write(f"Orders: {len(orders)}")
        self.stdout.write("Press Ctrl-C to stop.")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
