"""A model class a method builds with ``type(name, bases, namespace)`` and keeps on its class: what it is.

A mixin's ``declared_attr`` often makes a model per class it is mixed into, at mapping time::

    @declared_attr
    def entries(cls):
        cls.Entry = type(f"{cls.__name__}Entry", (Entry, BaseModel), {...})
        return relationship(cls.Entry)

``self.Entry`` then has no class statement the types could follow, so ``self.Entry.query.filter_by(...)`` was no
query (no ``select()``, nothing awaited, its caller kept sync) on a ``query_property()`` that is ``None`` after the
conversion. Such an attribute is typed here as the base of the run its ``query`` comes from (the first base, in the
order given, with a query property of a scoped session or a Flask-SQLAlchemy ``db``): its ``query`` is that base's,
and its other members are at least that base's. The chains through it are written as the others are, with the
class as it is read (``select(self.Entry)``), whatever class it is at run time.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async import flask_db, query_properties
from codemods.sqlalchemy_to_async.exprs import Expr, from_ast


def read(tree: ast.Module) -> dict[str, tuple[str, tuple[Expr, ...]]]:
    """{``Cls.attr``: (the method's qualname, the bases' expressions)} for ``first_param.attr = type(name, (bases),
    namespace)`` in a method of a module-level class."""
    found: dict[str, tuple[str, tuple[Expr, ...]]] = {}
    for cls in tree.body:
        for method in cls.body if isinstance(cls, ast.ClassDef) else ():
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                continue
            first = method.args.args[0].arg
            for node in ast.walk(method):
                bases = _bases(node.value) if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
                target = node.targets[0] if bases else None
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == first
                ):
                    found[f"{cls.name}.{target.attr}"] = (f"{cls.name}.{method.name}", bases)
    return found


def _bases(value: ast.AST) -> tuple[Expr, ...] | None:
    """The bases of ``type(name, (A, B), namespace)``, each a name or an attribute."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "type"):
        return None
    if len(value.args) != 3 or value.keywords or not isinstance(value.args[1], ast.Tuple):
        return None
    bases = tuple(from_ast(base) for base in value.args[1].elts)
    return bases if bases and all(bases) else None


def typed(types, owner, name: str) -> str | None:
    """``class:module:qualname`` of the base whose ``query`` the class built for ``owner.name`` has, if any."""
    facts = types.project.modules.get(owner.module)
    built = facts.built_classes.get(f"{owner.qualname}.{name}") if facts else None
    if built is None or types.type_of(owner.module, built[0], ("name", "type")) != "ref:builtins.type":
        return None
    for base in built[1]:
        found = types.type_of(owner.module, built[0], base)
        if not (found and found.startswith("class:")):
            continue
        module, qualname = found[6:].split(":", 1)
        if query_properties.scoped_of(types.project, module, qualname) or flask_db.model_db(
            types.project, module, qualname
        ):
            return found
    return None
