"""`manage.py api_token USERNAME`: issue an API token and print its key, the only time it is shown."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apitokens.services import token_issue, tokens_revoke


class Command(BaseCommand):
    help = "Issue an API token for a user and print its key once (only its digest is stored), or revoke them all."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days (default: never).")
        parser.add_argument("--revoke", action="store_true", help="Delete every token of the user instead.")

    def handle(self, *args, username, days, revoke, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if revoke:
            self.stdout.write(f"Revoked {tokens_revoke(user=user)} token(s) of {username}.")
            return
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        token, key = token_issue(user=user, expires_in=timedelta(days=days) if days else None)
        expiry = f"expires {token.expiry:%Y-%m-%d %H:%M %Z}" if token.expiry else "does not expire"
        self.stderr.write(
            f"API token for {username} ({expiry}). Copy the key now: it is not stored and is not "
            "shown again. Use it as the header  Authorization: Token <key>"
        )
        self.stdout.write(key)
