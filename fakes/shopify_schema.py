"""The fake Shopify's GraphQL schema and documents, shared by every FakeShopify in the process.

The schema is Shopify's own published Admin API schema (fixtures/shopify/admin-schema-2026-04.graphql), so a client
query that Shopify would reject is rejected here too.
"""

import functools

from graphql import GraphQLError, build_schema, parse, validate

from .fixtures import FIXTURES_DIR

SCHEMA_PATH = FIXTURES_DIR / "shopify/admin-schema-2026-04.graphql"


@functools.cache
def get_schema():
    # assume_valid: Shopify's SDL does not pass graphql-core's own schema validation, and building it is slow
    # (~0.5 s), hence the cache.
    return build_schema(SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid=True)


@functools.lru_cache(maxsize=128)
def prepare(query: str):
    """Parse and validate once per distinct query text: a client sends the same few documents again and again."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, [error]
    return document, validate(get_schema(), document)
