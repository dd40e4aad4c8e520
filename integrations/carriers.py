"""The registry of carriers whose waybills the back-office keeps: an explicit dict, no auto-discovery, like
the platforms' (integrations/platforms/__init__.py). The interface is integrations/carrier_base.py.

A carrier is one class and one line here; a platform carries its waybills by naming its key in
`Platform.waybill_carriers`. The keys are stored in `Waybill.carrier` and are never renamed.
"""

from integrations.carrier_base import Carrier
from integrations.novaposhta.carrier import NovaPoshta

CARRIERS: dict[str, Carrier] = {
    "novaposhta": NovaPoshta(),
}


def carrier_for(waybill) -> Carrier:
    return CARRIERS[waybill.carrier]
