"""Bulk operations of the fake Shopify, as Shopify runs them (https://shopify.dev/docs/api/usage/bulk-operations/queries).

`bulkOperationRunQuery(query:, groupObjects:)` checks the inner query like Shopify (valid against the schema,
one top-level connection, neither `node` nor `nodes` at the top, at most 5 connections, at most 2 levels of
nested connections) and answers a CREATED operation; a thread exports it (RUNNING, `objectCount` and
`rootObjectCount` growing) into a JSONL file: one line per object, the nodes of nested connections on lines of
their own with `__parentId`, right after their parent with `groupObjects: true`, otherwise after the next
parent (Shopify promises only "after"). COMPLETED gives `url`, an unauthenticated address that expires
(403, status EXPIRED); FAILED gives `errorCode` and `partialDataUrl`. Up to 5 bulk queries run at once per
shop from API version 2026-01 on, one before. An export is not charged to the cost budget.

Test and demo controls: `fail_next(code, after=N)`, `hold(after=N)` / `release()`, `occupy()` (another process
of the app holds every slot), `expire(id)`, and `pace` (objects per second, None: as fast as it goes).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from datetime import UTC, datetime, timedelta
from pathlib import Path

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, SelectionSetNode, get_named_type, parse, validate

from .shopify_orders import connection_nodes
from .shopify_search import SORT_FIELDS, parse_search

RESULTS_PREFIX = "/bulk-results/"
MAX_CONNECTIONS = 5
MAX_NESTING = 2
CONCURRENT_FROM_VERSION = "2026-01"  # up to 5 bulk queries at once per shop from this version, one before
CONCURRENT_QUERIES = 5
URL_LIFETIME = timedelta(days=7)
_VERSION = re.compile(r"^/admin/api/([^/]+)/")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Context:
    def __init__(self, shop):
        self.shop, self.actual_cost = shop, 0


class _Plan:
    """What an inner query asks for: the top connection, the node's own fields, and the nested connections."""

    def __init__(self, schema, executor_for, query: str):
        document = parse(query)
        errors = validate(schema, document)
        if errors:
            raise GraphQLError(errors[0].message)
        executor = executor_for(query)
        self.executor = executor
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1 or operations[0].operation.value != "query":
            raise GraphQLError("Bulk queries must contain exactly one query operation.")
        top = executor._fields(schema.query_type, (operations[0].selection_set,))
        if len(top) != 1:
            raise GraphQLError("Bulk queries must contain exactly one top-level field.")
        [(_key, [field])] = top.items()
        if field.name.value in ("node", "nodes"):
            raise GraphQLError("The top-level `node` and `nodes` fields can't be used in bulk queries.")
        field_type = schema.query_type.fields[field.name.value].type
        if not get_named_type(field_type).name.endswith("Connection"):
            raise GraphQLError("Bulk queries must contain at least one connection.")
        self.field, self.arguments = field.name.value, field.arguments
        self.node_type, node_set = self._node(schema, executor, get_named_type(field_type), field)
        self.connections = 1 + self._count(schema, executor, self.node_type, node_set, depth=1)
        if self.connections > MAX_CONNECTIONS:
            raise GraphQLError(f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections.")
        plain, self.children = [], []
        for nodes in executor._fields(self.node_type, (node_set,)).values():
            child = self.node_type.fields[nodes[0].name.value].type
            if get_named_type(child).name.endswith("Connection"):
                child_type, child_set = self._node(schema, executor, get_named_type(child), nodes[0])
                self.children.append((nodes[0].name.value, child_type, child_set))
            else:
                plain.extend(nodes)
        self.plain = SelectionSetNode(selections=tuple(plain))

    @staticmethod
    def _node(schema, executor, connection, field: FieldNode):
        """The node type of a connection and what is selected on it, through `edges { node }` or `nodes`."""
        for nodes in executor._fields(connection, (field.selection_set,)).values():
            if nodes[0].name.value == "nodes":
                return get_named_type(connection.fields["nodes"].type), nodes[0].selection_set
            if nodes[0].name.value == "edges":
                edge = get_named_type(connection.fields["edges"].type)
                for inner in executor._fields(edge, (nodes[0].selection_set,)).values():
                    if inner[0].name.value == "node":
                        return get_named_type(edge.fields["node"].type), inner[0].selection_set
        raise GraphQLError(f"The connection {field.name.value} selects no nodes.")

    def _count(self, schema, executor, type_, selection_set, depth: int) -> int:
        count = 0
        for nodes in executor._fields(type_, (selection_set,)).values():
            field = type_.fields.get(nodes[0].name.value)
            named = get_named_type(field.type) if field else None
            if named is None or not hasattr(named, "fields"):
                continue
            if named.name.endswith("Connection"):
                if depth + 1 > MAX_NESTING:
                    raise GraphQLError(
                        f"Bulk queries cannot contain connections nested more than {MAX_NESTING} levels deep."
                    )
                child_type, child_set = self._node(schema, executor, named, nodes[0])
                count += 1 + self._count(schema, executor, child_type, child_set, depth + 1)
            else:
                count += self._count(schema, executor, named, nodes[0].selection_set, depth)
        return count


class BulkOperations:
    """The bulk operations of one fake shop (FakeShopify.bulk)."""

    def __init__(self, shop, *, executor_for, schema):
        """`executor_for(query)`: the lean executor of a document (shopify_resolvers), which runs every export."""
        self.shop, self.executor_for, self.schema = shop, executor_for, schema
        self.operations: dict[str, dict] = {}
        self.directory = Path(tempfile.mkdtemp(prefix="fake-shopify-bulk-"))
        weakref.finalize(self, shutil.rmtree, self.directory, ignore_errors=True)  # the result files go with it
        self.pace: float | None = None
        self.occupied = False
        self.request = threading.local()  # the API version the current request names
        self._failures: list[tuple[str, int]] = []
        self._hold_after: int | None = None
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._files: dict[str, Path] = {}  # secret token of a result address -> its file
        self._ended = threading.Condition()

    # -- controls --------------------------------------------------------------------------------------
    def fail_next(self, code: str = "INTERNAL_SERVER_ERROR", *, after: int = 0):
        """The next export fails with `code` after writing `after` objects (its partial data)."""
        self._failures.append((code, after))

    def hold(self, *, after: int = 0):
        """Exports stop after `after` objects (RUNNING) until release()."""
        self._hold_after = after
        self._released.clear()

    def release(self):
        self._hold_after = None
        self._released.set()

    def occupy(self, busy: bool = True):
        """Another process of the app runs as many bulk queries as Shopify allows, until occupy(False)."""
        self.occupied = busy

    def expire(self, operation_id: str):
        """Seven days have passed: the result's address answers 403 and the operation reads EXPIRED."""
        operation = self.operations[operation_id]
        operation.update(status="EXPIRED", url=None, partialDataUrl=None)
        with self._lock:
            for token in operation.pop("_tokens", ()):
                self._files.pop(token, None)

    def wait(self, operation_id: str, timeout: float = 30) -> dict:
        """The operation once it has ended (for tests and the benchmark's own timing)."""
        operation = self.operations[operation_id]
        with self._ended:
            self._ended.wait_for(lambda: operation["status"] not in ("CREATED", "RUNNING"), timeout)
        return operation

    # -- GraphQL ---------------------------------------------------------------------------------------
    def note_request(self, path: str):
        match = _VERSION.match(path)
        self.request.version = match[1] if match else ""

    def limit(self) -> int:
        version = getattr(self.request, "version", "") or ""
        return CONCURRENT_QUERIES if version >= CONCURRENT_FROM_VERSION else 1

    def run_query(self, query: str, group_objects: bool = False) -> dict:
        try:
            plan = _Plan(self.schema, self.executor_for, query)
        except GraphQLError as error:
            return {
                "bulkOperation": None,
                "userErrors": [{"code": "INVALID", "field": ["query"], "message": error.message}],
            }
        with self._lock:
            running = [o for o in self.operations.values() if o["status"] in ("CREATED", "RUNNING")]
            limit = self.limit()
            if self.occupied or len(running) >= limit:
                code = "LIMIT_REACHED" if limit > 1 else "OPERATION_IN_PROGRESS"
                message = (
                    f"A bulk query operation for this app and shop is already in progress"
                    f"{': ' + running[0]['id'] if running and limit == 1 else ''}. "
                    f"Up to {limit} may run at a time."
                )
                return {"bulkOperation": None, "userErrors": [{"code": code, "field": None, "message": message}]}
            number = len(self.operations) + 1
            operation = {
                "id": f"gid://shopify/BulkOperation/{number}",
                "status": "CREATED",
                "errorCode": None,
                "createdAt": _now(),
                "completedAt": None,
                "objectCount": "0",
                "rootObjectCount": "0",
                "fileSize": None,
                "url": None,
                "partialDataUrl": None,
                "query": query,
                "type": "QUERY",
            }
            self.operations[operation["id"]] = operation
        thread = threading.Thread(
            target=self._export, args=(operation, plan, query, group_objects), name="fake-shopify-bulk", daemon=True
        )
        thread.start()
        return {"bulkOperation": operation, "userErrors": []}

    def operation(self, operation_id: str) -> dict | None:
        return self.operations.get(operation_id)

    def current(self) -> dict | None:
        return list(self.operations.values())[-1] if self.operations else None

    def orders_count(self, search: str | None, limit: int | None) -> dict:
        index = self.shop._index("createdAt")
        found, _more, _ = index.page(parse_search(search), len(index.keys), None, False)
        count = len(found) if limit is None else min(len(found), limit)
        return {"count": count, "precision": "AT_LEAST" if limit is not None and len(found) > limit else "EXACT"}

    # -- the export ------------------------------------------------------------------------------------
    def _export(self, operation: dict, plan: _Plan, query: str, group_objects: bool):
        failure = self._failures.pop(0) if self._failures else None
        path = self.directory / f"{operation['id'].rsplit('/', 1)[-1]}.jsonl"
        executor, context = plan.executor, _Context(self.shop)
        arguments = {a.name.value: a.value for a in plan.arguments}
        search = getattr(arguments.get("query"), "value", None)
        sort = getattr(arguments.get("sortKey"), "value", None)
        operation["status"] = "RUNNING"
        objects = roots = 0
        with open(path, "w", encoding="utf-8") as out:
            deferred: list[str] = []
            for node in self._nodes(search, sort):
                if failure and objects >= failure[1]:
                    break
                lines = [json.dumps(executor._object(plan.node_type, (plan.plain,), node, {}, context))]
                children = []
                for name, child_type, child_set in plan.children:
                    for k, item in enumerate(connection_nodes(node.get(name))):
                        if not item.get("id"):  # stored without one: Shopify's objects all have ids
                            kind = child_type.name
                            item = {**item, "id": f"gid://shopify/{kind}/{node['id'].rsplit('/', 1)[-1]}{k:03d}"}
                        row = executor._object(child_type, (child_set,), item, {}, context)
                        children.append(json.dumps({**row, "__parentId": node["id"]}))
                lines += children if group_objects else deferred
                deferred = [] if group_objects else children
                for line in lines:
                    out.write(line + "\n")
                objects += 1 + len(children)
                roots += 1
                operation.update(objectCount=str(objects), rootObjectCount=str(roots))
                self._pause(objects)
            for line in deferred:
                out.write(line + "\n")
        if failure:
            ended = {
                "status": "FAILED",
                "errorCode": failure[0],
                "partialDataUrl": self._address(operation, path) if objects else None,
            }
        else:
            ended = {
                "status": "COMPLETED",
                "fileSize": str(path.stat().st_size),
                "url": self._address(operation, path) if objects else None,
            }
        with self._ended:
            operation.update(completedAt=_now(), **ended)
            self._ended.notify_all()

    def _nodes(self, search, sort):
        index = self.shop._index(SORT_FIELDS.get(sort, "id"))
        found, _more, _ = index.page(parse_search(search), len(index.keys), None, False)
        for _key, node in found:
            yield self.shop._view(node)

    def _pause(self, objects: int):
        if self._hold_after is not None and objects >= self._hold_after:
            self._released.wait()
        if self.pace:
            time.sleep(1 / self.pace)  # Shopify's own export speed, when a benchmark asks for one

    def _address(self, operation: dict, path: Path) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._files[token] = path
        operation.setdefault("_tokens", []).append(token)
        return f"{self.shop.url}{RESULTS_PREFIX}{token}.jsonl"

    # -- downloads -------------------------------------------------------------------------------------
    def serve(self, method: str, path: str):
        token = path[len(RESULTS_PREFIX) :].removesuffix(".jsonl")
        with self._lock:
            file = self._files.get(token)
        if method != "GET" or file is None:
            return 403, {"Content-Type": "application/xml"}, b"<Error><Code>AccessDenied</Code></Error>"
        return 200, {"Content-Type": "application/jsonl"}, file.read_bytes()


def live_answer(document) -> bool:
    """Answers about bulk operations change while no order does: never served from the fake's remembered answers."""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if definition.operation.value != "query":
                return True
            for selection in definition.selection_set.selections:
                if isinstance(selection, FieldNode) and selection.name.value in LIVE_FIELDS:
                    return True
    return False


LIVE_FIELDS = frozenset({"bulkOperation", "bulkOperations", "currentBulkOperation"})
