"""API tokens under the back-office's name, and the plain-text tokens of before turned into digests.

Until 2026-12-02 the API used rest_framework.authtoken, which stores each key as it is. Those keys keep
working: each becomes a knox token holding only the key's digest, and the plain keys are erased.
"""

from django.db import migrations
from knox.crypto import hash_token
from knox.settings import CONSTANTS

PLAIN_TOKENS_TABLE = "authtoken_token"  # rest_framework.authtoken's Token


def import_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TOKENS_TABLE not in connection.introspection.table_names():
        return  # a database that never had them
    AuthToken = apps.get_model("knox", "AuthToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {PLAIN_TOKENS_TABLE}")  # noqa: S608 -- a constant name
        tokens = [
            AuthToken(digest=hash_token(key), token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id)
            for key, user_id in cursor.fetchall()
        ]
        AuthToken.objects.using(connection.alias).bulk_create(tokens, ignore_conflicts=True)
        cursor.execute(f"DELETE FROM {PLAIN_TOKENS_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("knox.authtoken",),
        ),
        migrations.RunPython(import_plain_tokens, migrations.RunPython.noop),
    ]
