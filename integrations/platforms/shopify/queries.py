"""The GraphQL documents sent to the Shopify Admin API.

API_VERSION is the one place the Admin API version is set (R47): the client's URLs and the fake's answers use
it. Shopify supports each stable version for at least 12 months and answers a request naming an unsupported
one, without an error, as the oldest supported version (https://shopify.dev/docs/api/usage/versioning); the
client records the version named in each answer's X-Shopify-API-Version and the store health page warns when
it differs. Every field used here exists in that version's schema, kept in fixtures/shopify, and none is
deprecated there: a test validates each document against it with graphql-core, NoDeprecatedCustomRule
included (the deprecated `Customer.email`/`phone` and `ShopPlan.displayName` gave way to
`defaultEmailAddress`, `defaultPhoneNumber` and `publicDisplayName`).

Page sizes keep each query's *requested* cost under Shopify's 1,000-point single-query limit: a connection
costs 2 + first x (cost of one node) (https://shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits).
"""

API_VERSION = "2026-04"
ORDERS_PER_PAGE = 20  # 2 + 20 x 44 = 882 requested points per page
LINES_PER_ORDER = 5  # more lines are fetched with ORDER_LINES_QUERY (a sync never trusts a partial fetch)
LINES_PER_PAGE = 100
ORDER_IDS_PER_PAGE = 250  # Shopify's maximum page size

SHOP_QUERY = """
query Shop {
  shop {
    name
    myshopifyDomain
    currencyCode
    plan { publicDisplayName partnerDevelopment shopifyPlus }
  }
}
"""

LINE_FIELDS = """
fragment MoneyFields on MoneyBag { shopMoney { amount currencyCode } }

fragment LineFields on LineItem {
  id
  name
  title
  variantTitle
  quantity
  sku
  originalUnitPriceSet { ...MoneyFields }
  product { id legacyResourceId productType description }
}
"""

# The order's own fields, shared by the paged documents and the bulk export (platforms/shopify/bulk.py).
ORDER_SCALARS = """\
  id
  legacyResourceId
  name
  createdAt
  updatedAt
  cancelledAt
  currencyCode
  displayFinancialStatus
  displayFulfillmentStatus
  email
  phone
  customer {
    id firstName lastName
    defaultEmailAddress { emailAddress }
    defaultPhoneNumber { phoneNumber }
  }
"""

ORDER_FIELDS = (
    LINE_FIELDS
    + """
fragment AddressFields on MailingAddress {
  firstName lastName phone address1 address2 city province zip country
}

fragment OrderFields on Order {
%(scalars)s  shippingAddress { ...AddressFields }
  billingAddress { ...AddressFields }
  totalPriceSet { ...MoneyFields }
  lineItems(first: %(lines)d) {
    pageInfo { hasNextPage endCursor }
    edges { node { ...LineFields } }
  }
  shippingLines(first: 2) {
    edges { node { title code carrierIdentifier source originalPriceSet { ...MoneyFields } } }
  }
  fulfillments(first: 2) { trackingInfo(first: 2) { company number url } }
}
"""
    % {"lines": LINES_PER_ORDER, "scalars": ORDER_SCALARS}
)

ORDERS_QUERY = (
    """
query Orders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    pageInfo { hasNextPage endCursor }
    edges { node { ...OrderFields } }
  }
}
"""
    + ORDER_FIELDS
)

ORDERS_BY_ID_QUERY = (
    """
query OrdersById($ids: [ID!]!) {
  nodes(ids: $ids) { __typename ...on Order { ...OrderFields } }
}
"""
    + ORDER_FIELDS
)

ORDER_LINES_QUERY = (
    """
query OrderLines($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: %(per_page)d, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { ...LineFields } }
    }
  }
}
"""
    % {"per_page": LINES_PER_PAGE}
    + LINE_FIELDS
)

# Reconciliation (R43): only ids and dates, so a page of 250 stays cheap (2 + 250 x 1 requested points).
ORDER_IDS_QUERY = """
query OrderIds($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    edges { node { legacyResourceId createdAt } }
  }
}
"""

ALL_QUERIES = {
    "Shop": SHOP_QUERY,
    "Orders": ORDERS_QUERY,
    "OrdersById": ORDERS_BY_ID_QUERY,
    "OrderLines": ORDER_LINES_QUERY,
    "OrderIds": ORDER_IDS_QUERY,
}

# --- webhook subscriptions (R48) ------------------------------------------------------------------------------
# `uri` (String), not the deprecated `callbackUrl`, both in the input and in what is read back.
WEBHOOKS_PER_PAGE = 50  # 2 + 50 x 1 requested points
WEBHOOK_TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED")

WEBHOOK_SUBSCRIPTIONS_QUERY = """
query WebhookSubscriptions($first: Int!, $after: String, $uri: String, $topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: $first, after: $after, uri: $uri, topics: $topics) {
    pageInfo { hasNextPage endCursor }
    edges { node { id topic uri } }
  }
}
"""

WEBHOOK_SUBSCRIPTION_CREATE = """
mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTION_DELETE = """
mutation WebhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}
"""

ALL_QUERIES.update(
    {
        "WebhookSubscriptions": WEBHOOK_SUBSCRIPTIONS_QUERY,
        "WebhookSubscriptionCreate": WEBHOOK_SUBSCRIPTION_CREATE,
        "WebhookSubscriptionDelete": WEBHOOK_SUBSCRIPTION_DELETE,
    }
)
