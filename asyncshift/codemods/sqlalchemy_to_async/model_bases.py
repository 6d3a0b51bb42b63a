"""Flask-SQLAlchemy's ``db.Model`` as an app spells it: through an alias, and with the ``model_class`` it was made with.

- ``Model = db.Model`` (often in a ``database.py`` the models import it from): a class built on ``Model`` is that
  ``db``'s model as much as one built on ``db.Model``, so its ``Model.query`` runs on that ``db``'s session.
- ``db = SQLAlchemy(model_class=CRUDMixin)``: every ``db.Model`` is a ``CRUDMixin``, so the mixin's methods
  (``save()``, ``delete()`` on ``db.session``) are the models' methods: one that became async is awaited where a
  model calls it (``User(...).save()``), as if the model named the mixin among its bases.

Only names: a base the rules cannot follow to a ``db`` of the run (through module variables and imports) is left
as it was.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async.exprs import Expr, from_ast

KEYWORD = "model_class"
DEPTH = 8


def read(tree: ast.Module, keyword: str = KEYWORD) -> dict[str, Expr]:
    """``db = SQLAlchemy(model_class=CRUDMixin)`` at module level: {"db": the ``model_class`` expression} (or the
    expression of another keyword given: ``query_class``)."""
    found: dict[str, Expr] = {}
    for statement in tree.body:
        value = getattr(statement, "value", None)
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or not isinstance(value, ast.Call):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        model = next((k.value for k in value.keywords if k.arg == keyword), None)
        if model is None or not isinstance(model, (ast.Name, ast.Attribute)):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = from_ast(model)
    return found


def _variable(project, module: str, name: str, depth: int = 0) -> tuple[str, str] | None:
    """(module, name) of the module variable ``name`` is in ``module``, following ``from x import name``."""
    facts = project.modules.get(module)
    if facts is None or depth > DEPTH:
        return None
    if name in facts.variables:
        return (module, name)
    dotted = facts.bindings.get(name)
    source, _, attr = (dotted or "").rpartition(".")
    found = project.resolve(source) if source else None
    return _variable(project, found, attr, depth + 1) if found else None


def db_base(project, module: str, base: Expr, depth: int = 0) -> tuple[str, str] | None:
    """(module, variable) of the Flask-SQLAlchemy ``db`` whose ``db.Model`` the base ``base`` (read in ``module``)
    is: ``db.Model`` itself, or a name bound to it (``Model = db.Model``, here or imported), else None."""
    if not base or depth > DEPTH:
        return None
    if base[0] == "attr" and base[2] == "Model":
        if project.types.type_of(module, None, base[1]) == "sqla:flask_db":
            return _variable(project, module, base[1][1]) if base[1][0] == "name" else None
        owner = project.types.type_of(module, None, base[1])  # ``database.Model``: a module of the run's ``Model``
        if owner and owner.startswith("mod:"):
            return db_base(project, owner[4:], ("name", "Model"), depth + 1)
        return None
    if base[0] != "name":
        return None
    where = _variable(project, module, base[1])
    if where is None:
        return None
    bindings = project.modules[where[0]].variables[where[1]]
    values = [value for how, value in bindings if how == "value"]
    return db_base(project, where[0], values[0], depth + 1) if len(values) == 1 and values[0] != base else None


def model_class(project, module: str, base: Expr) -> tuple[str, str] | None:
    """(module, qualname) of the class of the run given as ``model_class=`` to the ``db`` whose ``db.Model`` the
    base is, else None: a base of every model built on it."""
    where = db_base(project, module, base)
    facts = project.modules.get(where[0]) if where else None
    expr = facts.model_classes.get(where[1]) if facts is not None else None
    kind = project.types.type_of(where[0], None, expr) if expr else None
    if kind and kind.startswith("class:"):
        owner, _, qualname = kind[6:].partition(":")
        return (owner, qualname)
    return None


# -- the logged-in user's proxy ------------------------------------------------------------------------------------

# ``current_user`` of Flask-Login and Flask-JWT-Extended: a proxy to the user loader's object, a model of the run
# (flask-to-fastapi's helper package re-exports Flask-Login's).
PROXIES = ("flask_login", "flask_login.utils", "flask_jwt_extended", "flask_jwt_extended.utils")
PROXY = "current_user"


def _proxied(dotted: str) -> bool:
    """``flask_jwt_extended.current_user`` or an attribute read off it (``current_user.profile``)."""
    head, found, _ = dotted.partition(f".{PROXY}")
    return (
        bool(found)
        and dotted[len(head) + len(found) :][:1] in ("", ".")
        and (head in PROXIES or head.rpartition(".")[2] == "_flask_compat")
    )


def mixins(project) -> list[tuple[str, str]]:
    """(module, qualname) of every ``model_class`` given to a ``db`` of the run."""
    found = []
    for module in project.modules.values():
        for expr in module.model_classes.values():
            kind = project.types.type_of(module.name, None, expr)
            if kind and kind.startswith("class:"):
                found.append(tuple(kind[6:].split(":", 1)))
    return found


def proxied_member(project, base: str, name: str) -> str | None:
    """``current_user.save`` (or ``current_user.profile.save``), ``base`` a ``ref:`` type: the ``model_class``'s
    method when it has one of that name; every model has it, whichever the proxy or a relationship gives."""
    if not base.startswith("ref:") or not _proxied(base[4:]):
        return None
    for module, qualname in mixins(project):
        for cls in project.mro(module, qualname):
            if name in cls.methods:
                return f"func:{cls.module}:{cls.qualname}.{name}"
    return None
