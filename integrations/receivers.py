"""Receivers of the domain's signals: what integrations must push back to the platforms."""
