"""Hostile input stops here, once, before any plugin resolver runs.

Every plugin mutation goes through ``CustomerValueMutation.mutate``, which calls
``check_arguments`` on the parsed arguments before ``perform_mutation``. It walks the
mutation's declared argument types (nested inputs and lists included), so a mutation
added later is covered without doing anything:

- every ``Decimal`` must be a plain, finite, canonical number of sane size
  (``ledger.amounts.check_number``): ``NaN``, ``sNaN``, ``Infinity``, ``1e309``,
  ``1E+28``, 400 digits, ``-0`` and digits of other scripts (``١٢``) are an
  ``INVALID_AMOUNT`` error on that field;
- every string (``String``, ``ID``, ...) must be storable text: a NUL byte or a lone
  surrogate is an ``INVALID`` error;
- every ``ID`` must be a well-formed global ID (``Type:pk``, at most
  ``MAX_ID_LENGTH`` characters); ``""`` or garbage is ``INVALID``.

``decode_id`` checks the type and the primary key's form for the model behind the
GraphQL type, so ``User:abc``, ``User:1.5`` or ``User:1e5`` never reach the ORM
(``NOT_FOUND``); ``node_or_none`` is the same for queries, which answer ``null``.
"""
import binascii
from decimal import Decimal

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from ..error_codes import CustomerValueErrorCode as Code
from ..ledger.amounts import NonCanonicalDecimal, check_number
from ..ledger.errors import InvalidAmount

MAX_ID_LENGTH = 256
MAX_INT_PK = 2 ** 63 - 1


def _error(field, message, code: Code):
    return ValidationError({field: ValidationError(message, code=code.value)})


# --- strings -------------------------------------------------------------------------


def bad_text(value: str) -> bool:
    """NUL bytes cannot be stored by PostgreSQL; lone surrogates cannot be encoded."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- global IDs ----------------------------------------------------------------------


def _split(global_id):
    if not isinstance(global_id, str) or not global_id or len(global_id) > MAX_ID_LENGTH:
        return None
    try:
        type_name, pk = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if not type_name or not pk or bad_text(type_name) or bad_text(pk):
        return None
    return type_name, pk


def _model_pk(only_type, pk: str):
    """``pk`` converted for the model behind ``only_type``, or None when it cannot be
    one of its primary keys (``1.5``, ``1e5``, ``abc`` for an integer key)."""
    model = getattr(getattr(only_type, "_meta", None), "model", None)
    if model is None:
        return pk
    field = model._meta.pk
    if field.get_internal_type() in (
        "AutoField", "BigAutoField", "IntegerField", "BigIntegerField",
        "PositiveIntegerField", "SmallIntegerField",
    ):
        if not pk.isascii() or not pk.isdigit():
            return None
        value = int(pk)
        return value if 0 < value <= MAX_INT_PK else None
    try:
        return field.to_python(pk)
    except (ValidationError, ValueError, TypeError):
        return None


def decode_id(global_id, only_type, field="id"):
    """The primary key behind ``global_id`` for ``only_type``, or a typed error."""
    parts = _split(global_id)
    if parts is None:
        raise _error(field, _("%(id)s is not a valid ID.") % {"id": _shorten(global_id)}, Code.INVALID)
    type_name, pk = parts
    if str(type_name) != str(only_type):
        raise _error(field, _("Must receive a %(type)s ID.") % {"type": only_type}, Code.INVALID)
    value = _model_pk(only_type, pk)
    if value is None:
        raise _error(
            field, _("Couldn't resolve to a node: %(id)s") % {"id": _shorten(global_id)}, Code.NOT_FOUND
        )
    return value


def node_or_none(info, global_id, only_type):
    """For queries: the node, or None for an unknown, malformed or foreign ID."""
    try:
        pk = decode_id(global_id, only_type)
    except ValidationError:
        return None
    return only_type.get_node(info, pk)


def _shorten(value, limit=40):
    text = repr(value) if not isinstance(value, str) else value
    if bad_text(text):
        text = text.encode("utf-8", "backslashreplace").decode("ascii", "replace").replace(
            "\x00", "\\x00"
        )
    return text if len(text) <= limit else text[:limit] + "…"


# --- walking the arguments -------------------------------------------------------------


def _type_of(definition):
    if definition is None:
        return None
    if hasattr(definition, "type"):  # Argument, InputField
        return _unwrap(definition.type)
    if hasattr(definition, "get_type"):  # an unmounted ``graphene.String(...)``
        return _unwrap(definition.get_type())
    return None


def _unwrap(graphene_type):
    while isinstance(graphene_type, (graphene.NonNull, graphene.List)):
        graphene_type = graphene_type.of_type
    if isinstance(graphene_type, str):
        return None
    if callable(graphene_type) and not isinstance(graphene_type, type):
        graphene_type = graphene_type()  # lazy type
    return graphene_type


def _is_decimal_type(graphene_type) -> bool:
    return isinstance(graphene_type, type) and issubclass(graphene_type, graphene.Scalar) and (
        graphene_type.__name__ == "Decimal"
    )


def _is_id_type(graphene_type) -> bool:
    return isinstance(graphene_type, type) and issubclass(graphene_type, graphene.ID)


def _check_value(value, graphene_type, field):
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_value(item, graphene_type, field)
        return
    if isinstance(graphene_type, type) and issubclass(graphene_type, graphene.InputObjectType):
        fields = graphene_type._meta.fields
        for name, item in dict(value).items():
            definition = fields.get(name)
            _check_value(item, _type_of(definition), name)
        return
    if isinstance(value, Decimal) or _is_decimal_type(graphene_type):
        try:
            check_number(value, field=field)
        except InvalidAmount as exc:
            raise _error(field, exc.message, Code.INVALID_AMOUNT)
        return
    if isinstance(value, str):
        if bad_text(value):
            raise _error(
                field, _("Text must not contain NUL bytes or invalid characters."), Code.INVALID
            )
        if _is_id_type(graphene_type) and _split(value) is None:
            raise _error(field, _("%(id)s is not a valid ID.") % {"id": _shorten(value)}, Code.INVALID)


def check_arguments(mutation_cls, data: dict):
    """Raise a typed ``ValidationError`` for the first hostile argument in ``data``."""
    arguments = mutation_cls._meta.arguments or {}
    for name, value in data.items():
        definition = arguments.get(name)
        _check_value(value, _type_of(definition), name)


# --- the Decimal scalar --------------------------------------------------------------


def strict_decimal_scalar(schema):
    """Mark ``Decimal`` values written with anything but ASCII digits (``١٢`` parses
    as 12 in Python) so ``check_arguments`` refuses them; the value itself stays the
    same, so Saleor's own mutations in the same schema behave as before."""
    scalar = schema.get_type("Decimal")
    if scalar is None:
        return schema
    parse_value, parse_literal = scalar.parse_value, scalar.parse_literal

    def mark(raw, parsed):
        if isinstance(parsed, Decimal) and isinstance(raw, str) and not raw.isascii():
            return NonCanonicalDecimal(parsed)
        return parsed

    def strict_value(value):
        return mark(value, parse_value(value))

    def strict_literal(node):
        return mark(getattr(node, "value", None), parse_literal(node))

    scalar.parse_value = strict_value
    scalar.parse_literal = strict_literal
    return schema


# --- queries -------------------------------------------------------------------------


def _query_error(code: Code, message):
    from graphql.error import GraphQLError

    return GraphQLError(f"{code.name}: {message}")


def _check_query_value(value):
    if isinstance(value, dict):
        for item in value.values():
            _check_query_value(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_query_value(item)
    elif isinstance(value, Decimal):
        try:
            check_number(value)
        except InvalidAmount as exc:
            raise _query_error(Code.INVALID_AMOUNT, exc.message)
    elif isinstance(value, str) and bad_text(value):
        raise _query_error(Code.INVALID, _("Text must not contain NUL bytes or invalid characters."))


def guard_query(resolver):
    """Wrap a plugin query resolver: hostile arguments and ledger errors become a plain
    ``GraphQLError`` ("CODE: message") instead of an escaped exception."""
    from functools import wraps

    from ..ledger.errors import LedgerError

    @wraps(resolver)
    def guarded(root, info, **kwargs):
        _check_query_value(kwargs)
        try:
            return resolver(root, info, **kwargs)
        except LedgerError as exc:
            from graphql.error import GraphQLError

            raise GraphQLError(f"{exc.code}: {exc.message}")

    return guarded


def guard_queries(queries_class):
    """Apply ``guard_query`` to every ``resolve_*`` of ``queries_class``'s fields (done
    once on the combined plugin queries, so new queries are covered), except queries
    whose answer carries its own ``customerValueErrors``."""
    for name, field in queries_class._meta.fields.items():
        answer = _unwrap(field.type)
        if "customer_value_errors" in getattr(getattr(answer, "_meta", None), "fields", {}):
            continue  # answers typed errors itself (posCustomerLookup)
        resolver = getattr(queries_class, f"resolve_{name}", None)
        if resolver is not None and not getattr(resolver, "_cv_guarded", False):
            guarded = guard_query(resolver)
            guarded._cv_guarded = True
            setattr(queries_class, f"resolve_{name}", guarded)
    return queries_class
