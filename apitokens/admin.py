"""API tokens in the admin: issue (the key is shown on the next page, once), list, revoke (delete).

Replaces django-rest-knox's own admin, which lists digests and hands a new key to the messages framework
(a cookie or the session), where it would outlive the page that shows it.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from apitokens.models import ApiToken
from apitokens.services import token_fill

admin.site.unregister(AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "starts_with", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    ordering = ["-created"]

    @admin.display(description=_("key starts with"))
    def starts_with(self, token):
        return token.starts_with

    def get_fields(self, request, obj=None):
        return ["user", "expiry"] if obj is None else ["user", "starts_with", "created", "expiry"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # a token is issued or revoked, never edited

    def get_queryset(self, request):
        # A token acts as its user: staff see and revoke their own; only superusers manage everyone's.
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.issued_key = token_fill(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("API token issued"),
            "token": obj,
            "key": obj.issued_key,
        }
        return TemplateResponse(request, "admin/apitokens/issued.html", context)
