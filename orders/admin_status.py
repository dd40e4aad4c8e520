"""The Status and Order type screens, and the Status list's "Merge" action: near-duplicate statuses become one,
with their orders and mappings."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.status_meaning import statuses_merge


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=None, label=_("Keep this status"), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = statuses


@admin.action(description=_("Merge the selected statuses into one"), permissions=["delete"])
def merge_statuses(modeladmin, request, queryset):
    """First the choice of the status to keep; then the others' orders, order types and store mappings move to
    it and the others are deleted."""
    statuses = queryset.order_by("position", "id")
    if statuses.count() < 2:
        modeladmin.message_user(request, _("Select at least two statuses to merge."), messages.WARNING)
        return None
    form = MergeForm(request.POST if "apply" in request.POST else None, statuses=statuses)
    if form.is_valid():
        target = form.cleaned_data["target"]
        merged = statuses_merge(target=target, others=list(statuses))
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d status merged into %(target)s; its orders and mappings now use %(target)s.",
                "%(n)d statuses merged into %(target)s; their orders and mappings now use %(target)s.",
                merged,
            )
            % {"n": merged, "target": target},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Merge statuses"),
        "opts": modeladmin.model._meta,
        "form": form,
        "statuses": statuses,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/orders/status/merge.html", context)


class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "is_completed", "position"]
    list_editable = ["is_completed", "position"]
    search_fields = ["name"]
    actions = [merge_statuses]


class OrderTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "initial_status"]
    list_select_related = ["initial_status"]
