"""Store health: orders must never silently stop arriving (R43 reconciliation, R44 alerts, R45 preview).

- reconcile.py: the platform's ids per day beside ours; "Import missing" fetches exactly the difference.
- alerts.py: stale syncs, failing syncs, silent webhooks -> unhealthy, one email per state change.
- preview.py: what a first backfill would do, read from the platform, writing nothing.
- svg.py and views.py: the health page in the admin.
"""
