"""Writes on the catalog: categories reused by name (R18), products matched by a key (R16)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from catalog.models import Category, Product, StockMovement
from roapp.bulk import insert_many

MATCH_FIELDS = {"name": "name", "sku": "sku", "id": "code"}


@dataclass(frozen=True)
class ProductData:
    """What an order line says about its product."""

    name: str
    description: str = ""
    sku: str = ""
    code: str = ""
    category_path: tuple[str, ...] = ()  # from the top of the tree down to the product's category


def category_get_or_create(*, name: str, parent: Category | None = None) -> Category:
    """Return the category `name` under `parent`, creating it if missing (safe under races)."""
    name = name.strip()[:255]
    category, _ = Category.objects.get_or_create(name=name, parent=parent)
    return category


def category_path_get_or_create(*, path: tuple[str, ...]) -> Category | None:
    """Return the last category of `path`, reusing any existing category of that name (R18)."""
    names = [n.strip() for n in path if n and n.strip()]
    if not names:
        return None
    existing = Category.objects.filter(name=names[-1]).order_by("parent_id", "id").first()
    if existing is not None:
        return existing
    parent = None
    for name in names:
        parent = Category.objects.filter(name=name, parent=parent).first() or category_get_or_create(
            name=name, parent=parent
        )
    return parent


def product_key(data: ProductData, identify_by: str) -> str:
    """The value products are matched on: the name, SKU or platform id, per the store's choice."""
    return (getattr(data, MATCH_FIELDS[identify_by]) or "").strip()


def products_match_or_create(*, items: list[ProductData], identify_by: str) -> list[Product]:
    """Return a product per item: an existing match, untouched (R16), or a new one (R15, R17).

    One lookup per key field for the whole list and one insert for all new products. An item whose
    key is empty (no SKU, say) falls back to the name. Callers that run concurrently must hold a
    lock on the keys (integrations does, per page).
    """
    field = MATCH_FIELDS[identify_by]
    keyed = [(_match_field(d, field), d) for d in items]
    wanted: dict[str, set[str]] = {}
    for f, d in keyed:
        wanted.setdefault(f, set()).add(getattr(d, f).strip())
    found: dict[tuple[str, str], Product] = {}
    for f, values in wanted.items():
        for product in Product.objects.filter(**{f"{f}__in": values}).order_by("id"):
            found.setdefault((f, getattr(product, f)), product)
    new: dict[tuple[str, str], Product] = {}
    categories: dict[tuple[str, ...], Category | None] = {}
    for f, d in keyed:
        key = (f, getattr(d, f).strip())
        if key in found or key in new:
            continue
        if d.category_path not in categories:
            categories[d.category_path] = category_path_get_or_create(path=d.category_path)
        new[key] = Product(
            name=d.name.strip()[:255] or d.sku or d.code,
            description=d.description,
            sku=d.sku.strip()[:255],
            code=d.code.strip()[:255],
            category=categories[d.category_path],
        )
    if new:
        insert_many(list(new.values()))
        found.update(new)
    return [found[(f, getattr(d, f).strip())] for f, d in keyed]


def _match_field(d: ProductData, field: str) -> str:
    return field if getattr(d, field).strip() else "name"


@transaction.atomic
def stock_move(*, product: Product, quantity: Decimal, reason: str = "", order_item=None) -> StockMovement:
    """Record a change of stock; negative quantities take goods out."""
    return StockMovement.objects.create(product=product, quantity=quantity, reason=reason, order_item=order_item)
