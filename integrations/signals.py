"""What the import engine tells whoever listens, so that it never imports them (integrations/receivers.py).
The store's health listens to both (R44): the engine depends on nothing of health, health on the engine.

`store_synced`: a poll, a backfill slice, a fetch by id or a webhook drain has talked to the platform, whether it
succeeded or failed. Arguments: `store`, `client` (the platform client that talked to it), and after a poll
`poll_created` and `poll_started`.

`store_webhooks_checked`: the outcome of a check of the store's webhook subscriptions is kept on the store
(integrations.webhook_subscriptions, R48). Argument: `store`.
"""

from django.dispatch import Signal

store_synced = Signal()
store_webhooks_checked = Signal()
