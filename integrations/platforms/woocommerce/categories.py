"""Which one of a WooCommerce product's categories the back-office files it under (R18). Pure.

WooCommerce lets a product sit in any number of categories (`categories: [{id, name, slug}]` on the
product; the tree comes from `parent` ids on /products/categories, 0 meaning top level). The back-office
wants one, chosen by the help article's three rules:

1. one hierarchy with several levels (Clothing > T-shirts) -> the deepest (T-shirts);
2. several categories on the same level (Hoodies, T-shirts) -> the first alphabetically (Hoodies);
3. categories on different levels in different branches -> the more general one (the highest).

Shops commonly tick a parent together with its child, so every chosen category that is an ancestor of
another chosen one is dropped first (rule 1 collapses each chain to its deepest member); rules 2 and 3
then decide between what is left: the highest level wins, ties go to the first name alphabetically.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import unescape


@dataclass(frozen=True)
class Node:
    name: str
    parent: int = 0  # 0: top level (WooCommerce's own convention)


def tree_from_api(categories: Iterable[dict]) -> dict[int, Node]:
    """{id: Node} from /products/categories items; names come HTML-escaped (`Tops &amp; Tees`)."""
    tree = {}
    for item in categories:
        if isinstance(item, dict) and isinstance(item.get("id"), int):
            parent = item.get("parent")
            tree[item["id"]] = Node(
                unescape(str(item.get("name") or "")).strip(), parent if isinstance(parent, int) else 0
            )
    return tree


def path_of(category_id: int, tree: Mapping[int, Node]) -> tuple[str, ...]:
    """Names from the top of the tree down to this category (a broken or cyclic tree just stops)."""
    names, seen, current = [], set(), category_id
    while current in tree and current not in seen:
        seen.add(current)
        names.append(tree[current].name)
        current = tree[current].parent
    return tuple(reversed(names))


def _ancestors(category_id: int, tree: Mapping[int, Node]) -> set[int]:
    found, current = set(), tree[category_id].parent if category_id in tree else 0
    while current in tree and current not in found:
        found.add(current)
        current = tree[current].parent
    return found


def choose(product_categories: Iterable[dict], tree: Mapping[int, Node]) -> tuple[str, ...]:
    """The path of the one category to use for a product, or () when it has none."""
    tree = dict(tree)
    ids = []
    for item in product_categories or ():
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        if item["id"] not in tree:  # created after we read the tree: known by name only, as a top-level one
            tree[item["id"]] = Node(unescape(str(item.get("name") or "")).strip())
        if tree[item["id"]].name and item["id"] not in ids:
            ids.append(item["id"])
    if not ids:
        return ()
    covered = set().union(*(_ancestors(i, tree) for i in ids))
    candidates = [i for i in ids if i not in covered]  # rule 1: each chain keeps its deepest member
    paths = [path_of(i, tree) for i in candidates]
    # Rules 2 and 3: the highest level first, then the first name alphabetically (case-insensitive).
    return min(paths, key=lambda p: (len(p), p[-1].casefold(), p[-1]))
