"""Webhook signatures shared by platforms (Shopify and WooCommerce sign the same way, R42)."""

import base64
import hashlib
import hmac


def hmac_sha256_base64(*, secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def hmac_sha256_base64_matches(*, secret: str, body: bytes, signature: str | bytes | None) -> bool:
    """Constant-time check of a base64 HMAC-SHA256 of the raw body; no secret or no signature fails.

    The header is compared as bytes: a WSGI server hands headers over as latin-1 text, so a forged one may hold
    any character, and `hmac.compare_digest` raises TypeError on non-ASCII text (a 500 instead of a 401).
    """
    if not secret or not signature:
        return False
    if isinstance(signature, str):
        signature = signature.encode(errors="surrogateescape")  # UTF-8
    expected = hmac_sha256_base64(secret=secret, body=body).encode()
    return hmac.compare_digest(expected, signature.strip())
