"""The shared webhook signature check (R42) on header text a server may hand over undecodable."""

from integrations.platforms.signatures import hmac_sha256_base64, hmac_sha256_base64_matches


def test_R42_a_signature_header_with_undecodable_bytes_is_refused_never_raises():
    """A CGI-style server passes header bytes that are not UTF-8 as lone surrogates (surrogateescape)."""
    forged = "\udcff" + "A" * 43
    assert hmac_sha256_base64_matches(secret="whsec_test", body=b"{}", signature=forged) is False
    genuine = hmac_sha256_base64(secret="whsec_test", body=b"{}")
    assert hmac_sha256_base64_matches(secret="whsec_test", body=b"{}", signature=genuine) is True
