"""The store-health banner on every admin page (R44), for staff who may view stores (R1).

It names stores and the platform's last error, which is no business of staff who cannot open the stores.
"""

from django import template

from integrations.health.alerts import stores_needing_attention

register = template.Library()


@register.inclusion_tag("admin/integrations/health_banner.html", takes_context=True)
def store_health_banner(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff or context.get("is_popup"):
        return {"stores": []}
    if not user.has_perm("integrations.view_store"):
        return {"stores": []}
    return {"stores": stores_needing_attention()}
