from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from contacts.models import Client
from contacts.phones import normalize_email, normalize_phone


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "first_name", "last_name", "phone", "email", "address", "is_placeholder", "created_at"]
        read_only_fields = ["is_placeholder", "created_at"]

    def validate_phone(self, value):
        try:
            value = normalize_phone(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        if value and Client.objects.filter(phone=value).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError("A client with this phone already exists.")
        return value

    def validate_email(self, value):
        value = normalize_email(value)
        if value and Client.objects.filter(email=value).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError("A client with this email already exists.")
        return value


class PhoneFormField(forms.CharField):
    """A phone in any notation ("067 123 45 67"), cleaned to E.164; not a phone -> the filter answers 400 (R52)."""

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class PhoneFilter(filters.CharFilter):
    field_class = PhoneFormField


class ClientFilter(filters.FilterSet):
    phone = PhoneFilter()

    class Meta:
        model = Client
        fields = {"email": ["exact"], "last_name": ["exact", "istartswith"], "is_placeholder": ["exact"]}


class ClientViewSet(viewsets.ModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    search_fields = ["last_name", "first_name", "email"]
