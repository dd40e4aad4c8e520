from django.contrib import admin

from contacts.models import Client
from contacts.phones import normalize_phone_or_blank


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "phone", "email", "created_at"]
    search_fields = ["=phone", "email", "last_name", "first_name"]
    fields = ["first_name", "last_name", "phone", "email", "address"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # A phone typed in any notation ("067 123 45 67") finds the E.164-stored number.
        qs, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = normalize_phone_or_blank(search_term)
        if phone:
            qs |= queryset.filter(phone=phone)
        return qs, may_have_duplicates
