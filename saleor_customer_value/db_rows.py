"""Model instances from rows read with plain SQL, built as the ORM builds them.

Some statements on paths where people wait (the checkout calculation, the till) are
written out in SQL because Django building them cost more than PostgreSQL running them;
their rows become the same instances a queryset would give.
"""
from functools import lru_cache
from typing import Optional, Sequence


@lru_cache(maxsize=None)
def _layout(model, alias):
    from django.db import connections

    connection = connections[alias]
    fields = model._meta.concrete_fields
    pk_index = [f.attname for f in fields].index(model._meta.pk.attname)
    converters = [
        (index, field, field.get_db_converters(connection))
        for index, field in enumerate(fields)
        if field.get_db_converters(connection)
    ]
    return [f.attname for f in fields], pk_index, converters


def instance(model, values: Sequence, connection) -> Optional[object]:
    """``model`` from ``values`` in the order of its concrete fields, converted as the
    ORM converts query results (``from_db_value``: e.g. a product type's weight); None
    when the primary key is NULL (a LEFT JOIN's or a NULL composite's empty side)."""
    attnames, pk_index, converters = _layout(model, connection.alias)
    if values[pk_index] is None:
        return None
    values = list(values)
    for index, field, functions in converters:
        for function in functions:
            values[index] = function(values[index], field, connection)
    return model.from_db(connection.alias, attnames, values)
