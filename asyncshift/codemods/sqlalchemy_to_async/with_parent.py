"""``Query.with_parent(obj)`` on the legacy Query to a 2.0 criterion: ``.where(_with_parent(obj, Item))``.

A ``select()`` has no ``with_parent`` step; ``sqlalchemy.orm.with_parent(obj, User.items)`` wants the
relationship, which the Query found by itself at run time (the one from ``obj``'s class to the query's entity,
or the one named). So a small helper written into the module (SQLAlchemy's own API, nothing of the toolkit's)
finds it the same way and gives the criterion.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import urls
from codemods.sqlalchemy_to_async.conversion import Conversion

HELPER = "_with_parent"
CODE = '''

def {name}(instance, entity, prop=None):
    """Query.with_parent() as a select() criterion: the relationship from instance's class to entity, or the one
    named (written by asyncshift)."""
    import sqlalchemy
    from sqlalchemy.orm import with_parent

    state = sqlalchemy.inspect(instance)  # through a proxy too (Flask-Login's current_user)
    instance, cls = state.obj(), state.mapper.class_
    if isinstance(prop, str):
        prop = getattr(cls, prop)
    elif prop is None:
        target = sqlalchemy.inspect(entity).mapper
        found = [r for r in state.mapper.relationships if r.mapper is target]
        if not found:
            raise sqlalchemy.exc.InvalidRequestError(f"no relationship from {{cls.__name__}} to {{entity}}")
        prop = getattr(cls, found[0].key)
    return with_parent(instance, prop)

'''


def unsupported(args: list[cst.Arg]) -> str | None:
    """What this rewrite does not take: ``from_entity=``, stars, more than (instance, property)."""
    if (
        not args
        or len(args) > 2
        or any(a.star or (a.keyword is not None and a.keyword.value != "property") for a in args)
    ):
        return ".with_parent() beyond (instance, property)"
    return None


def criterion(conv: Conversion, entity: str, args: list[cst.Arg]) -> str:
    """``_with_parent(instance, Entity[, property])``, the helper written into the module once."""
    if "with_parent" not in conv.helpers:
        name = urls.helper_name(conv, HELPER)
        conv.helpers["with_parent"] = (name, CODE.format(name=name))
    values = [conv.module.code_for_node(a.value) for a in args]
    return f"{conv.helpers['with_parent'][0]}({', '.join([values[0], entity, *values[1:]])})"
