"""Issuing and revoking API tokens. Only the digest is stored (django-rest-knox), so a key is seen once."""

from datetime import timedelta

from knox.models import get_digest_token
from knox.settings import CONSTANTS

from apitokens.models import ApiToken


def token_fill(token: ApiToken) -> str:
    """Give an unsaved token a fresh key's digest; return the key, which nothing keeps."""
    token.digest, key = get_digest_token()
    token.token_key = key[: CONSTANTS.TOKEN_KEY_LENGTH]
    return key


def token_issue(*, user, expires_in: timedelta | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` (never expiring unless `expires_in`); return it with its key."""
    return ApiToken.objects.create(user=user, expiry=expires_in)


def tokens_revoke(*, user) -> int:
    """Delete every token of `user`; return how many there were."""
    count, _by_model = ApiToken.objects.filter(user=user).delete()
    return count
