"""``session.query(model).all()`` where ``model`` is a value (a parameter, ``self.model``) and not a class by name:
read back as objects when it holds a mapped class, as rows when it holds a column, decided at run time.

The legacy Query gives a mapped class's objects and a column's rows; a 2.0 ``Result`` gives rows unless
``.scalars()`` is asked for. ``query_api`` tells the two apart by the name (``User`` a class, ``User.id`` a
column); a generic repository's ``self.session.query(self.model).all()`` was read as rows, so it gave ``Row``
objects where the original gave models, silently. A small helper written into the module (SQLAlchemy's own
``inspect``) asks the value itself.
"""

from __future__ import annotations

import builtins

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion

HELPER = "_entity_result"
CODE = '''

def {name}(result, entity):
    """A query's result as the legacy Query read it (written by asyncshift): a mapped class's (or an alias's)
    objects, any other entity's rows."""
    import sqlalchemy

    found = sqlalchemy.inspect(entity, raiseerr=False)
    mapped = getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False)
    return result.scalars() if mapped else result

'''


def unnamed(entities: list[cst.Arg]) -> cst.BaseExpression | None:
    """The one entity when its kind is not in its name: a lower-case name (``model``) or an attribute of something
    other than a class named in capitals (``self.model``, not ``User.id``); None otherwise."""
    if len(entities) != 1 or entities[0].keyword or entities[0].star:
        return None
    node = entities[0].value
    if isinstance(node, cst.Name):
        plain = node.value[:1].islower() and node.value != "cls" and not hasattr(builtins, node.value)
        return node if plain else None  # ``int``, ``str``: never a mapped class
    if isinstance(node, cst.Attribute) and node.attr.value[:1].islower():
        owner = node.value
        return None if isinstance(owner, cst.Name) and (owner.value[:1].isupper() or owner.value == "cls") else node
    return None


def wrap(conv: Conversion, executed: str, entities: list[cst.Arg]) -> str:
    """``executed`` (an awaited ``session.execute(...)``) through the helper when the entity's kind is a value's."""
    entity = unnamed(entities)
    if entity is None:
        return executed
    known = conv.type_of(entity) or ""
    if known.startswith("class:"):
        return f"{executed}.scalars()"
    helper = conv.module_helper("entity_result", HELPER, lambda n: CODE.format(name=n))
    return f"{helper}({executed}, {conv.module.code_for_node(entity)})"
