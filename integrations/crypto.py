"""Credentials at rest: Fernet-encrypted JSON, with the key from ROAPP_CREDENTIALS_KEY."""

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt_json(value: dict) -> str:
    return _fernet(settings.ROAPP_CREDENTIALS_KEY).encrypt(json.dumps(value).encode()).decode()


def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet(settings.ROAPP_CREDENTIALS_KEY).decrypt(token.encode()))
    except InvalidToken as exc:
        raise ValueError("stored credentials cannot be decrypted with ROAPP_CREDENTIALS_KEY") from exc


def mask(secret: str) -> str:
    """Show a secret the way screens may: its last four characters only (R1)."""
    secret = secret or ""
    return ("•" * 8 + secret[-4:]) if len(secret) > 8 else "•" * len(secret)
