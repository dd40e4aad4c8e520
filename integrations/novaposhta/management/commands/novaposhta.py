"""Nova Poshta from the command line: `configure` the integration, or `track` waybills once, now."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.novaposhta.models import NovaPoshtaSettings
from integrations.novaposhta.services import settings_configure
from integrations.novaposhta.tracking import track_waybills


class Command(BaseCommand):
    help = "Nova Poshta integration: configure it, or run one waybill tracking pass now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{configure,track}")
        configure = sub.add_parser(
            "configure",
            help="Set the API key, switch the integration on or off, and set status rules.",
            description="Change the given settings and print them (the key masked). Without options: print them.",
        )
        configure.add_argument("--api-key", help='Nova Poshta API key, stored encrypted ("" removes it)')
        switch = configure.add_mutually_exclusive_group()
        switch.add_argument("--enabled", dest="enabled", action="store_const", const=True, help="Track statuses")
        switch.add_argument("--disabled", dest="enabled", action="store_const", const=False, help="Stop tracking")
        configure.add_argument(
            "--rule",
            action="append",
            default=[],
            metavar="CODE=STATUS",
            help='A waybill status code -> order status name, e.g. 9=Completed; "9=" removes the rule. Repeatable.',
        )
        sub.add_parser(
            "track",
            help="Run one tracking pass now, in this process, and print what changed.",
            description="Ask Nova Poshta for every active waybill's status now and apply the status rules.",
        )

    def handle(self, *args, action, **opts):
        if action == "configure":
            self.configure(opts)
        else:
            self.track()

    def configure(self, opts):
        rules = {}
        for text in opts["rule"]:
            code, sep, status = text.partition("=")
            if not sep or not code.strip():
                raise CommandError(f"--rule {text!r}: expected CODE=STATUS, e.g. 9=Completed")
            rules[code.strip()] = status.strip()
        try:
            conf = settings_configure(api_key=opts["api_key"], enabled=opts["enabled"], rules=rules)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Nova Poshta: {'enabled' if conf.enabled else 'disabled'}")
        self.stdout.write(f"API key: {conf.api_key_masked}")
        current = sorted(conf.rules().items(), key=lambda item: int(item[0]))
        self.stdout.write("Rules: " + (", ".join(f"{code} -> {status.name}" for code, status in current) or "none"))

    def track(self):
        if not NovaPoshtaSettings.load().enabled:
            self.stdout.write("Nova Poshta integration is disabled: nothing tracked.")
            return
        result = track_waybills()
        for change in result.changes:
            self.stdout.write(change.as_text())
        for error in result.errors:
            self.stderr.write(f"Nova Poshta error: {error}")
        if result.errors and not result.asked:
            raise CommandError(f"tracking failed: {result.errors[0]}")
        self.stdout.write(f"Tracked: {result.as_text()}")
