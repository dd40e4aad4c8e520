"""A lean executor for the fake Shopify's GraphQL documents (test infrastructure, not product code).

graphql-core's executor spends ~0.4 ms of bookkeeping per order selected by the importer's query, so the
fake shop, not the importer, set the pace of the backfill benchmark. Documents are still parsed and
validated by graphql-core and priced from the document; this only *executes* a validated query over the
stored dicts, through the same field resolver (so the data and the actual cost come out the same).
Whatever it does not model (mutations, directives, an error while resolving, a null in a non-null field)
raises `Unsupported`, and the caller runs graphql-core instead, so errors keep graphql-core's exact shape.
`test_fake_shopify` runs both executors on every document the product sends and compares the answers.
"""

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Undefined


class Unsupported(Exception):
    """This request needs graphql-core's executor."""


class _Info:
    """The part of graphql-core's ResolveInfo that the fake's resolvers read."""

    __slots__ = ("field_name", "return_type", "context")

    def __init__(self, field_name, return_type, context):
        self.field_name, self.return_type, self.context = field_name, return_type, context


class LeanExecutor:
    """Executes one validated document; built once per document (field collection is cached)."""

    def __init__(self, schema, document, resolve, resolve_type):
        self.schema, self.resolve, self.resolve_type = schema, resolve, resolve_type
        self.operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
        self._collected: dict[tuple, dict[str, list[FieldNode]]] = {}

    def run(self, *, operation_name, variables: dict, root, context) -> dict:
        operation = next((o for o in self.operations if o.name and o.name.value == operation_name), None)
        operation = operation or (self.operations[0] if len(self.operations) == 1 else None)
        if operation is None or operation.operation.value != "query":
            raise Unsupported
        coerced = get_variable_values(self.schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):  # variable errors: graphql-core words them
            raise Unsupported
        return self._object(self.schema.query_type, (operation.selection_set,), root, coerced, context)

    def _object(self, type_, selection_sets, source, variables, context) -> dict:
        out = {}
        for key, nodes in self._fields(type_, selection_sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = type_.name
                continue
            field = type_.fields[name]
            args = get_argument_values(field, nodes[0], variables) if field.args else {}
            try:
                value = self.resolve(source, _Info(name, field.type, context), **args)
            except Exception as exc:  # a resolver's error: graphql-core reports it with path and locations
                raise Unsupported from exc
            out[key] = self._complete(field.type, nodes, value, variables, context)
        return out

    def _complete(self, type_, nodes, value, variables, context):
        if is_non_null_type(type_):
            if value is None:
                raise Unsupported
            type_ = type_.of_type
        if value is None:
            return None
        if is_list_type(type_):
            return [self._complete(type_.of_type, nodes, item, variables, context) for item in value]
        if is_leaf_type(type_):
            serialized = type_.serialize(value)
            if serialized is Undefined or serialized is None:
                raise Unsupported
            return serialized
        if is_abstract_type(type_):
            type_ = self.schema.get_type(self.resolve_type(value, None, type_))
        return self._object(type_, tuple(n.selection_set for n in nodes), value, variables, context)

    def _fields(self, type_, selection_sets) -> dict[str, list[FieldNode]]:
        """Response key -> its field nodes, fragments flattened, as graphql-core collects them."""
        key = (type_.name, *map(id, selection_sets))  # the document outlives this executor's cache
        fields = self._collected.get(key)
        if fields is None:
            fields = {}
            for selection_set in selection_sets:
                self._collect(type_, selection_set, fields)
            self._collected[key] = fields
        return fields

    def _collect(self, type_, selection_set, fields: dict):
        for selection in selection_set.selections if selection_set else ():
            if selection.directives:
                raise Unsupported  # @include/@skip are not modelled
            if isinstance(selection, FieldNode):
                fields.setdefault((selection.alias or selection.name).value, []).append(selection)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
            elif isinstance(selection, InlineFragmentNode):
                fragment = selection
            else:
                raise Unsupported
            condition = fragment.type_condition and self.schema.get_type(fragment.type_condition.name.value)
            if (
                not condition
                or condition is type_
                or (is_abstract_type(condition) and self.schema.is_sub_type(condition, type_))
            ):
                self._collect(type_, fragment.selection_set, fields)
