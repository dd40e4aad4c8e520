"""A paginator that never counts a huge table to the end: counting stops at a cap.

With a million orders an exact COUNT(*) costs more than the page itself; past the cap the list
shows "10000+" pages' worth and paging still works (the last pages are reached by filtering).
"""

from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self):
        qs = self.object_list
        try:
            capped = qs.order_by()[: COUNT_CAP + 1]
            with connections[qs.db].cursor() as cursor:
                sql, params = capped.values("pk").query.sql_with_params()
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS capped", params)
                return cursor.fetchone()[0]
        except EmptyResultSet:
            return 0  # a filter no row can match (an id past the column's range); the list is empty, not a 500
        except (AttributeError, TypeError):
            return len(qs)
