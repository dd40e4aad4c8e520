"""django-q2 task functions of the Nova Poshta integration: thin, the work is in tracking.py.

The schedule that runs `track_waybills` every 30 minutes is created by migration 0002_schedule.
"""

from integrations.novaposhta import tracking


def track_waybills() -> str:
    """One tracking pass (R13); does nothing while the integration is disabled."""
    return tracking.track_waybills().as_text()
