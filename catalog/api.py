from rest_framework import serializers, viewsets

from catalog.models import Category, Product


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "parent"]


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
