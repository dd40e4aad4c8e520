"""Nova Poshta as a carrier of the registry (integrations/carriers.py): recognize.py tells its deliveries
apart, services.py writes its waybills, and a waybill whose delivery method changed keeps `replaced_at` in
its WaybillDetails (R13, R14)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from integrations.carrier_base import Carrier
from integrations.dto import RemoteDelivery
from integrations.novaposhta import services
from integrations.novaposhta.models import CARRIER
from integrations.novaposhta.recognize import recognize
from orders.models import Waybill


class NovaPoshta(Carrier):
    key = CARRIER
    label = gettext_lazy("Nova Poshta")

    def recognize(self, delivery: RemoteDelivery) -> str | None:
        found = recognize(delivery)
        return found.number if found.is_nova_poshta else None

    def current_waybills(self, order_ids) -> list[Waybill]:
        current = Q(np_details__isnull=True) | Q(np_details__replaced_at__isnull=True)
        return list(Waybill.objects.filter(current, order_id__in=order_ids, carrier=self.key).order_by("id"))

    def waybills_build(self, items, now):
        return services.waybills_build(items, now)

    def waybill_update(self, *, waybill, data, currency, now) -> bool:
        return services.waybill_update(waybill=waybill, data=data, currency=currency, now=now)

    def waybill_mark_replaced(self, *, waybill, service, now) -> None:
        services.waybill_mark_replaced(waybill=waybill, service=service, now=now)

    def waybill_summary(self, data, currency) -> str:
        return services.waybill_summary(data, currency)

    def describe_update(self, waybill, data, currency) -> str:
        return services.describe_update(waybill, data, currency)
