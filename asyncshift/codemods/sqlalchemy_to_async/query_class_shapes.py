"""A model's ``query_class`` of the run shaping its queries itself, where ``Model.query`` chains become ``select()``.

Flask-SQLAlchemy builds ``Model.query`` as ``query_class(Model, session=...)``. A class overriding ``__new__`` or
``__init__`` adds to every query there (the soft-delete recipe: ``return inst.filter(entity.hidden != True)``);
``select(Model)`` had none of it, so a converted ``Post.query.filter(...).first()`` found hidden posts, silently.
Such a chain now starts from the app's own query, as a statement: ``Post.query.statement.where(...)`` (a Query only
builds there; the statement runs awaited on the AsyncSession, with the class's criteria in it).

A method of the class returning a new query of it (``def with_hidden(self): return self.__class__(..., _with_hidden=
True)``) cannot be written out as steps: the chain keeps it, in the Query it builds, up to its last such method
(``Post.query.with_hidden().statement.where(...)``). Before, the chain kept a TODO and ran sync on whatever session
the method handed the class: ``db.session()``, an ``AsyncSession`` now ('no attribute _get_impl'). In the class's
own methods that session is the query's own (``session=self.session``): Flask-SQLAlchemy's ``db.session()`` was the
one ``Model.query`` was built on, and the helper builds it on a sync one.

A class overriding how the query runs (``__iter__``) adds what no statement carries: the chain stays a sync Query,
with a TODO (``problem``).
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.sqlalchemy_to_async import query_classes, sqla

BUILT = ("__new__", "__init__")  # what the class adds when the query is built: carried by ``.statement``
RUN = ("__iter__", "_iter", "_execute_and_instances", "_compile_context")  # ... when it runs: not carried


def read(tree: ast.Module) -> list[str]:
    """``Cls.method`` for the methods of module-level classes that return a new query of their class
    (``self.__class__(...)``, ``type(self)(...)``, ``Cls(...)``), maybe with builder steps after it."""
    found = []
    for statement in tree.body:
        for item in statement.body if isinstance(statement, ast.ClassDef) else ():
            if isinstance(item, ast.FunctionDef) and not item.decorator_list and _builds(item, statement.name):
                found.append(f"{statement.name}.{item.name}")
    return found


def _builds(function: ast.FunctionDef, cls: str) -> bool:
    if not function.args.args:
        return False
    me = function.args.args[0].arg
    returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
    if not returns or any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(function)):
        return False
    for node in (r.value for r in returns):
        while (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in sqla.QUERY_BUILDERS
        ):
            node = node.func.value
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        own = isinstance(func, ast.Attribute) and func.attr == "__class__" and _named(func.value, me)
        own = own or (isinstance(func, ast.Call) and _named(func.func, "type") and _named_args(func.args, me))
        if not (own or _named(func, cls)):
            return False
    return True


def _named(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _named_args(args: list, name: str) -> bool:
    return len(args) == 1 and _named(args[0], name)


def query_class(conv, model: str) -> tuple[str, str] | None:
    """(module, qualname) of the Flask-SQLAlchemy ``query_class`` of the run behind ``model`` ("module:qualname")."""
    return query_classes.query_class(conv.project.types, *model.split(":", 1))


def _defines(project, found: tuple[str, str] | None, names: tuple[str, ...]) -> str | None:
    """``Cls.name`` of the first of ``names`` the query class (or a base of the run) defines."""
    for owner in project.mro(*found) if found else ():
        for name in names:
            if name in owner.methods:
                return f"{owner.qualname}.{name}"
    return None


def builder(project, found: tuple[str, str] | None, method: str) -> bool:
    """``method`` is the query class's own and returns a new query of the class (``read``)."""
    for owner in project.mro(*found) if found else ():
        if method in owner.methods:
            return f"{owner.qualname}.{method}" in project.modules[owner.module].query_builders
    return False


def base(conv, model: str, query: cst.Attribute, calls: list[cst.Call]) -> tuple[str | None, int]:
    """The Query code a chain on ``query`` (``Model.query``) starts from, and how many of its ``calls`` (inner
    first) that code holds; (None, 0) where ``select(Model)`` is the same query."""
    found = query_class(conv, model)
    if found is None:
        return None, 0
    held = 0
    for index, call in enumerate(calls):
        if builder(conv.project, found, call.func.attr.value):
            held = index + 1
    if held:
        node = calls[held - 1]
    elif _defines(conv.project, found, BUILT):
        node = query
    else:
        return None, 0
    return conv.module.code_for_node(node.with_changes(lpar=[], rpar=[])), held


def problem(conv, model: str | None, terminal: str | None) -> str | None:
    """Why a chain on the model's query class cannot become a statement run on the AsyncSession, if it cannot."""
    found = query_class(conv, model) if model else None
    ran = _defines(conv.project, found, RUN)
    if ran:
        return f"on {found[1]}, which runs its queries through its own {ran} (a select() would not)"
    own = _defines(conv.project, found, ("get",)) if terminal == "get_or_404" else None
    if own:
        return f".get_or_404() (Flask-SQLAlchemy's calls the query class's own {own}; db.get_or_404() would not)"
    return None


def own_session(conv, original: cst.Call, updated: cst.Call) -> cst.Call | None:
    """``self.__class__(..., session=db.session())`` in a method of a model's query class of the run: the query's
    own session (``self.session``), which the helper's ``Model.query`` is on; ``db.session()`` is an AsyncSession."""
    facts = conv.project.function(conv.name, conv.function) if conv.function else None
    if not (facts and facts.cls and facts.first_param) or not any(
        isinstance(a.value, (cst.Call, cst.Attribute)) and _db_session(conv, a.value) for a in original.args
    ):
        return None
    if (conv.name, facts.cls) not in _flask_query_classes(conv.project):
        return None
    me = facts.first_param
    func = original.func
    own = isinstance(func, cst.Attribute) and func.attr.value == "__class__" and _is(func.value, me)
    own = own or (isinstance(func, cst.Call) and _is(func.func, "type"))
    own = own or _is(func, facts.cls.rpartition(".")[2])
    if not own:
        return None
    args = []
    for position, (before, after) in enumerate(zip(original.args, updated.args, strict=True)):
        handed = (before.keyword is not None and before.keyword.value == "session") or (
            before.keyword is None and position == 1
        )
        if handed and _db_session(conv, before.value):
            after = after.with_changes(value=cst.parse_expression(f"{me}.session"))
        args.append(after)
    return updated.with_changes(args=args)


def _is(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _db_session(conv, node: cst.BaseExpression) -> bool:
    """``db.session()`` or ``db.session`` of Flask-SQLAlchemy's ``db``."""
    node = node.func if isinstance(node, cst.Call) and not node.args else node
    return (
        isinstance(node, cst.Attribute) and node.attr.value == "session" and conv.type_of(node.value) == "sqla:flask_db"
    )


def _flask_query_classes(project) -> set[tuple[str, str]]:
    """(module, qualname) of every class of the run some model's Flask-SQLAlchemy ``query_class`` is (once)."""
    return query_classes.run_classes(project, "_flask_query_classes", _flask_query_class)


def _flask_query_class(project, module: str, cls) -> tuple[str, str] | None:
    return query_classes.query_class(project.types, module, cls)
