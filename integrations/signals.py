"""What the import engine tells whoever listens, so that it never imports them (integrations/receivers.py).

`store_synced`: a poll, a backfill slice, a fetch by id or a webhook drain has talked to the platform, whether it
succeeded or failed. Arguments: `store`, `client` (the platform client that talked to it), and after a poll
`poll_created` and `poll_started`. The store's health listens (R44).
"""

from django.dispatch import Signal

store_synced = Signal()
