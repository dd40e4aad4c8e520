from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets

from catalog.models import Category, Product


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "parent"]

    def validate(self, attrs):
        # The database refuses a second category of one name under one parent (top level included); say so
        # here, per field, instead of leaving it to the constraint (R52).
        name = attrs.get("name", getattr(self.instance, "name", None))
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        siblings = Category.objects.filter(name=name, parent=parent).exclude(pk=getattr(self.instance, "pk", None))
        if siblings.exists():
            where = _("at the top level") if parent is None else _("in %(parent)s") % {"parent": parent}
            raise serializers.ValidationError(
                {"name": _("A category named %(name)s already exists %(where)s.") % {"name": name, "where": where}}
            )
        return attrs


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description", "sku", "code", "unit", "category", "created_at"]
        read_only_fields = ["unit", "created_at"]


class CategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_fields = {"name": ["exact", "istartswith"], "parent": ["exact", "isnull"]}
    search_fields = ["name"]


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.select_related("category")
    serializer_class = ProductSerializer
    filterset_fields = {"sku": ["exact"], "code": ["exact"], "category": ["exact"], "name": ["exact", "icontains"]}
    search_fields = ["name", "sku", "code"]
