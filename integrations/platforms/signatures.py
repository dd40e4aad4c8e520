"""Webhook signatures shared by platforms (Shopify and WooCommerce sign the same way, R42)."""

import base64
import hashlib
import hmac


def hmac_sha256_base64(*, secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def hmac_sha256_base64_matches(*, secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time check of a base64 HMAC-SHA256 of the raw body; no secret or no signature fails."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(hmac_sha256_base64(secret=secret, body=body), signature.strip())
