"""The type rules: what an expression is, inside a given function of a given module, across the run.

Types are short strings: ``sqla:session`` (engine, factory, scoped, connection, transaction),
``inst:mod:Cls``, ``class:mod:Cls``, ``func:mod:qualname``, ``mod:pkg.mod`` and ``ref:dotted.name`` for
anything imported from outside the run. Unknown is None: the rules never guess.
"""

from __future__ import annotations

import builtins
from typing import Any

from codemods.sqlalchemy_to_async import (
    attribute_sets,
    built_classes,
    declared_globals,
    factories,
    fixtures,
    flask_db,
    handed_params,
    login_users,
    manager_aliases,
    mixin_queries,
    outside_names,
    package_names,
    query_classes,
    query_properties,
    relation_types,
    self_annotations,
    self_types,
    sqla,
    tentative_answers,
    view_decorators,
)
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import Binding, ClassFacts, FunctionFacts

_OPTIONAL = {"typing.Optional", "typing.Union", "typing_extensions.Optional"}
_ITERATORS = {"typing.Iterator", "typing.Generator", "collections.abc.Iterator", "collections.abc.Generator"}
_WRAPPERS = {"typing.ClassVar", "typing.Final", "typing.Annotated", "typing_extensions.Annotated"}
_BUILTINS = set(dir(builtins))
_CALLABLES = {"typing.Callable", "collections.abc.Callable"}
_PROPERTIES = {"property", "cached_property"}
# A model's query: the terminals giving one row of it, and the builders that keep selecting it.
_ROW_TERMINALS = {"get", "get_one", "first", "one", "one_or_none", "get_or_404", "first_or_404", "one_or_404"}
_ROW_KEEPERS = {"filter", "filter_by", "where", "order_by", "limit", "offset", "distinct", "options", "join"}
_ROW_KEEPERS |= {"outerjoin", "execution_options", "with_parent"}
_ROW_OWNERS = {"sqla:session", "sqla:scoped", "sqla:flask_db"}  # ``session.get(Model, k)``, ``db.get_or_404(...)``
_MANAGERS = {"typing.ContextManager", "contextlib.AbstractContextManager", "typing.AsyncContextManager"}


class Types:
    """Answers ``type_of(module, function, expr)``; results are cached per question."""

    def __init__(self, project: Any) -> None:  # a ``project.Project`` (not imported: it imports this)
        self.project = project
        self._busy: set[tuple] = set()
        self._cache: dict[tuple, str | None] = tentative_answers.Answers()

    def tentative(self, questions: list[tuple[str, str | None, Expr]]) -> list[str | None]:
        """``type_of`` for each question, unknowns found meanwhile not kept (a question busy higher up: None)."""
        with self._cache.tentative():
            return [self.type_of(*question) for question in questions]

    def forget(self) -> None:
        """Drop the answers: an alias's colour changed (``manager_aliases``)."""
        self._cache.clear()

    def type_of(self, module: str, function: str | None, expr: Expr) -> str | None:
        key = (module, function, expr)
        if key in self._cache:
            return self._cache[key]
        if key in self._busy or expr is None:
            return None
        self._busy.add(key)
        try:
            found = self._type_of(module, function, expr)
        finally:
            self._busy.discard(key)
        self._cache[key] = found
        return found

    def _type_of(self, module: str, function: str | None, expr: Expr) -> str | None:
        kind = expr[0]
        if kind == "name":
            return self._name(module, function, expr[1])
        if kind == "attr":
            base = self.type_of(module, function, expr[1])
            found = query_classes.method(self, base, module, function, expr)  # ``Model.query.by_name``: the app's
            return found or (self.member(base, expr[2]) if base else None)
        if kind == "call":
            found = self_types.bound(self, module, function, expr) or self._model_row(module, function, expr)
            return found or query_properties.wrapped(self, module, function, expr)  # its query_cls's own step
        if kind == "each":  # ``for f in category.forums``: a row of the relationship
            return relation_types.element(self, module, function, expr[1])
        if kind == "either":  # ``session or SessionLocal()``: the one whose type is known
            return next((t for t in (self.type_of(module, function, e) for e in expr[1]) if t), None)
        if kind == "in":  # a module global set in a function: typed there (``declared_globals``)
            return self.type_of(module, expr[1], expr[2])
        if kind == "super":
            func = self.project.function(module, function)
            return f"super:{module}:{func.cls}" if func and func.cls else None
        if kind == "typeof" and self._name(module, function, "type") == "ref:builtins.type":
            return self.class_of(self.type_of(module, function, expr[1]))
        return None

    @staticmethod
    def class_of(value: str | None) -> str | None:
        """``type(self)``, ``self.__class__``: the class of an instance of the run's (a subclass's is built on it)."""
        return "class:" + value[5:] if value and value.startswith("inst:") else None

    def _name(self, module: str, function: str | None, name: str) -> str | None:
        func = self.project.function(module, function)
        while func is not None:
            if name in func.params:
                if annotated := self_annotations.typed(self, func, name):  # ``cls: t.Self``: as unannotated
                    return annotated
                if func.params[name] is None and name != func.first_param:
                    return (
                        self.used_as(func, name)
                        or fixtures.injected(self, func, name)
                        or handed_params.typed(self, func, name)
                        or view_decorators.decorated_returns(self, func, name)
                    )
                if func.cls and name == func.first_param and "staticmethod" not in func.decorators:
                    found = flask_db.own_self(self, module, func)  # ``self`` of a ``SQLAlchemy`` subclass: a db
                    return found or f"{'class' if 'classmethod' in func.decorators else 'inst'}:{module}:{func.cls}"
                return None
            if name in func.locals:
                return self._bindings(module, func.qualname, func.locals[name])
            if f"{func.qualname}.{name}" in self.project.modules[module].classes:  # a class made in the function
                return f"class:{module}:{func.qualname}.{name}"
            func = self.project.enclosing(func)
        return self.global_name(module, name)

    def used_as(self, func: FunctionFacts, name: str) -> str | None:
        """An unannotated parameter handed on to a parameter typed ``Session``: a session (by its use)."""
        key = ("used_as", func.id, name)
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return self._used_as(func, name)
        finally:
            self._busy.discard(key)

    def _used_as(self, func: FunctionFacts, name: str) -> str | None:
        for callee, positional, keywords in func.arguments:
            for index, keyword, value in [(i, None, v) for i, v in enumerate(positional)] + [
                (None, k, v) for k, v in keywords
            ]:
                if value == ("name", name):
                    found = self.parameter(func.module, func.qualname, callee, index, keyword)
                    if found and found.startswith("sqla:"):
                        return found
        return None

    def landing(self, module: str, function: str | None, callee: Expr, index, keyword) -> tuple | None:
        """(function of the run called, name of the parameter an argument lands in) or None; a class: its __init__."""
        target = self.type_of(module, function, callee)
        if target and target.startswith("class:"):
            _, owner, cls = target.split(":", 2)
            init = self.project.init_owner(owner, cls)
            target = f"func:{init.module}:{init.qualname}.__init__" if init else None
        func = self.project.by_id(target[5:]) if target and target.startswith("func:") else None
        if func is None:
            return None
        names = list(func.params)[1 if func.cls and "staticmethod" not in func.decorators else 0 :]
        name = keyword if keyword is not None else (names[index] if index is not None and index < len(names) else None)
        return (func, name) if name in func.params else None

    def parameter(self, module: str, function: str | None, callee: Expr, index, keyword) -> str | None:
        """The annotated type of the parameter an argument lands in, for a call of a function of the run."""
        landing = self.landing(module, function, callee, index, keyword)
        if landing is None:
            return None
        func, name = landing
        return self.annotation(func.module, func.qualname, func.params[name]) or (
            (self.used_as(func, name) or self.stored_as(func, name)) if func.params[name] is None else None
        )

    def stored_as(self, func: FunctionFacts, name: str) -> str | None:
        """``self.session = session or SessionLocal()``: the parameter is what that attribute is (a session,
        or an instance of a class of the run: ``self.repository = repository or Repository()``)."""
        cls = self.project.modules[func.module].classes.get(func.cls) if func.cls else None
        for attribute, bindings in cls.attrs.items() if cls else ():
            for method, (how, value) in bindings:
                values = value[1] if value and value[0] == "either" else (value,)
                if method == func.qualname and how == "value" and ("name", name) in values:
                    found = self.member(f"inst:{cls.module}:{cls.qualname}", attribute)
                    if found and found.startswith(("sqla:", "inst:")):
                        return found
        return None

    def global_name(self, module: str, name: str, depth: int = 0) -> str | None:
        facts = self.project.modules.get(module)
        if facts is None or depth > 8:
            return None
        if name in facts.classes:
            return f"class:{module}:{name}"
        if name in facts.functions:
            return f"func:{module}:{name}"
        if name in facts.variables:
            return declared_globals.typed(self, module, facts.variables[name])
        if name in facts.bindings:
            return self.dotted(facts.bindings[name], depth + 1)
        for source in facts.star_imports:  # ``from .user import *``: a name of that module of the run
            found = self.project.resolve(source)
            if found is not None and found != module and not name.startswith("_"):
                kind = self.global_name(found, name, depth + 1)
                if kind is not None and not kind.startswith("ref:builtins."):
                    return kind
        return f"ref:builtins.{name}" if name in _BUILTINS else None

    def dotted(self, dotted: str, depth: int = 0) -> str | None:
        """An imported dotted name: a module of the run, a name in one, or ``ref:`` outside the run."""
        dotted = flask_db.canonical(dotted)
        module, _, attr = dotted.rpartition(".")
        own = self.project.modules.get(self.project.resolve(module) or "") if module else None  # the package
        if own is not None and package_names.hides_submodule(own, attr, dotted):  # ``manager = Manager()`` hides
            return self.global_name(own.name, attr, depth)  # submodule ``manager``, as ``from .db import db`` does
        if (found := self.project.resolve(dotted)) is not None:
            return f"mod:{found}"
        return self.global_name(own.name, attr, depth) if own is not None else outside_names.kind(self, dotted, depth)

    def _bindings(self, module: str, function: str | None, bindings: list[Binding]) -> str | None:
        for how, value in bindings:
            if how == "import":
                found = self.dotted(value[1])
            elif how == "def":
                found = f"func:{module}:{value[1]}"
            elif how == "ann":
                found = self.annotation(module, function, value)
            elif how == "with":
                found = self.entered(self.type_of(module, function, value))
            else:
                found = self.type_of(module, function, value)
            if found:
                return found
        return None

    def annotation(self, module: str, function: str | None, expr: Expr) -> str | None:
        """An annotation as the type of a value: ``Session`` -> ``sqla:session``, ``Cls`` -> ``inst:...``,
        a class from outside the run -> ``extern:dotted`` (known, and none of ours)."""
        if expr is None:
            return None
        if expr[0] == "union":
            found = [t for t in (self.annotation(module, function, e) for e in expr[1]) if t]
            return next((t for t in found if not t.startswith("extern:")), found[0] if found else None)
        if expr[0] == "generic":
            generic = self.type_of(module, function, expr[1])
            if generic in {f"ref:{name}" for name in _OPTIONAL | _ITERATORS | _WRAPPERS}:
                inner = expr[2][:1] if generic in {f"ref:{name}" for name in _WRAPPERS} else expr[2]
                return next((t for t in (self.annotation(module, function, e) for e in inner) if t), None)
            if generic in {f"ref:{name}" for name in _CALLABLES} and len(expr[2]) == 2:
                returned = self.annotation(module, function, expr[2][1])
                return f"call:{returned}" if returned else None  # Callable[[], Session]: calling gives a session
            if generic in {f"ref:{name}" for name in _MANAGERS} and expr[2]:
                entered = self.annotation(module, function, expr[2][0])
                return f"cm:{entered}" if entered else None  # AbstractContextManager[X]: entering gives X
            return self.annotation(module, function, expr[1])
        alias = self._alias(module, expr)
        if alias is not None:
            owner, name, value = alias
            found = self.annotation(owner, None, value)
            if found and (owner, name) in self.project.async_aliases:  # its factory became async
                return found.replace("cm:", "acm:", 1) if found.startswith(("cm:", "call:cm:")) else found
            return found
        found = self.type_of(module, function, expr)
        if found and found.startswith("ref:") and found[4:] in sqla.ANNOTATIONS:
            return f"sqla:{sqla.ANNOTATIONS[found[4:]]}"
        if found and found.startswith("class:"):
            return flask_db.subclass_db(self, found) or "inst:" + found[6:]
        if found and found.startswith("ref:"):
            return "extern:" + found[4:]
        return None

    def _alias(self, module: str, expr: Expr) -> tuple[str, str, Expr] | None:
        """``Units`` where a module of the run says ``Units = Callable[[], AbstractContextManager[X]]``, this one or
        the one it is imported from (FastAPI's ``from app.deps import SessionDep``): (that module, name, expression)."""
        found = manager_aliases.declared(self.project, module, expr) if expr[0] == "name" else None
        bindings = self.project.modules[found[0]].variables[found[1]] if found else ()
        if len(bindings) != 1:
            return None
        how, value = bindings[0]
        return (*found, value) if how == "value" and value and value[0] in ("generic", "union") else None

    # -- members and calls -----------------------------------------------------------------------

    def member(self, base: str, name: str) -> str | None:
        if base.startswith("mod:"):  # a name of the module, else its submodule (``import pkg.mod``: ``pkg.mod.f``)
            return self.global_name(base[4:], name) or package_names.submodule(self.project, base[4:], name)
        if base.startswith("extern:") or attribute_sets.is_globals(base):  # ``g.project``, ``request.state``
            return attribute_sets.request_global(self, base, name)
        if base.startswith("ref:"):  # ``current_user.save``: the ``model_class``'s or the user class's method
            return login_users.proxied_member(self, base, name) or f"ref:{base[4:]}.{name}"
        if base.startswith("sqla:"):
            attribute = sqla.ATTRIBUTES.get((base[5:], name))
            own = flask_db.own_member(self, name) if base == "sqla:flask_db" and not attribute else None
            return f"sqla:{attribute}" if attribute else own or f"sqlmethod:{base[5:]}:{name}"
        if name == "__class__" and base.startswith("inst:"):
            return self.class_of(base)
        if base.startswith(("inst:", "class:", "super:")):
            _, module, cls = base.split(":", 2)
            if name == "query" and base[:5] in ("class", "inst:") and mixin_queries.scoped(self.project, module, cls):
                return "sqla:query"  # ``Base.query = db_session.query_property()``: a Query on that scoped session
            for owner in self.project.mro(module, cls)[1 if base.startswith("super:") else 0 :]:
                if name in owner.methods:
                    method = self.project.function(owner.module, f"{owner.qualname}.{name}")
                    if method is not None and any(d.rpartition(".")[2] in _PROPERTIES for d in method.decorators):
                        return self.returned(f"func:{method.id}")  # ``self.repository``: what the property gives
                    return f"func:{owner.module}:{owner.qualname}.{name}"
                if name in owner.attrs and self._attribute(owner, name, base):  # else ``session = None``: the base's
                    return self._attribute(owner, name, base)
            if base[:5] in ("class", "inst:") and (found := flask_db.model_member(self.project, module, cls, name)):
                return found  # Flask-SQLAlchemy's ``Model.query`` (``self.query`` too), ``cls.__fsa__`` (the db)
            if base.startswith("inst:"):  # ``post.topic``: another class's ``backref="topic"``, or set from outside
                return relation_types.backref(self, base, name) or attribute_sets.set_from_outside(self, base, name)
        return None

    def _attribute(self, owner: ClassFacts, name: str, base: str) -> str | None:
        found = (self._bindings(owner.module, method, [binding]) for method, binding in owner.attrs[name])
        found = relation_types.declared(self, owner, name, base) or next((kind for kind in found if kind), None)
        return found or built_classes.typed(self, owner, name)  # ``cls.Entry = type(name, (Base,), ns)``

    def called(self, callee: str | None) -> str | None:
        """The type of what calling ``callee`` gives."""
        if callee is None:
            return None
        if callee.startswith("class:"):
            return factories.model_of(self, callee) or flask_db.subclass_db(self, callee) or "inst:" + callee[6:]
        if callee.startswith("call:"):
            return callee[5:]
        if callee.startswith("ref:") and callee[4:] in sqla.CONSTRUCTORS:
            return f"sqla:{sqla.CONSTRUCTORS[callee[4:]]}"
        if callee.startswith("sqla:"):
            result = sqla.METHOD_RESULTS.get((callee[5:], "__call__"))
            return f"sqla:{result}" if result else None
        if callee.startswith("sqlmethod:"):
            _, kind, method = callee.split(":")
            result = sqla.METHOD_RESULTS.get((kind, method))
            return f"sqla:{result}" if result else None
        if callee.startswith("func:"):
            return self.returned(callee)
        return None

    def _model_row(self, module: str, function: str | None, call: Expr) -> str | None:
        """``Model.query.filter_by(...).first()``, ``Model.query.get_or_404(k)``: a ``Model`` (a Flask-SQLAlchemy
        model's query selects that model, its filters and orderings keep it, as ``session.query(Model)`` does);
        ``session.get(Model, k)``, ``db.get_or_404(Model, k)``: a ``Model`` too. So ``row.method()`` is known."""
        callee = call[1]
        if not callee or callee[0] != "attr" or callee[2] not in _ROW_TERMINALS:
            return None
        if len(call) > 2 and self.type_of(module, function, callee[1]) in _ROW_OWNERS:
            model = self.type_of(module, function, call[2])  # the class asked for (``exprs.ROW_GETTERS``)
            return "inst:" + model[6:] if model and model.startswith("class:") else None
        chain = callee[1]
        while chain and chain[0] == "call" and chain[1] and chain[1][0] == "attr" and chain[1][2] in _ROW_KEEPERS:
            chain = chain[1][1]
        if chain and chain[0] == "call" and len(chain) > 2 and chain[1][0] == "attr" and chain[1][2] == "query":
            owner = self.type_of(module, function, chain[1][1])  # ``session.query(Model).filter(...).first()``
            model = self.type_of(module, function, chain[2]) if owner in _ROW_OWNERS else None
            return "inst:" + model[6:] if model and model.startswith("class:") else None
        if not (chain and chain[0] == "attr" and chain[2] == "query"):
            return None
        model = self.type_of(module, function, chain[1])
        if model and model.startswith("class:") and self.type_of(module, function, chain) == "sqla:query":
            return "inst:" + model[6:]
        return None

    def returned(self, callee: str) -> str | None:
        _, module, qualname = callee.split(":", 2)
        func = self.project.function(module, qualname)
        if func is None:
            return None
        if func.returns is not None:
            return self.annotation(module, func.qualname, func.returns)
        types = {self.type_of(module, func.qualname, value) for value in func.return_values}
        return attribute_sets.agree(self.project, types) if types else None

    def entered(self, manager: str | None) -> str | None:
        """What ``with manager as x`` binds: the session itself for a session, a yielded value for ours."""
        entering = manager is not None and manager.startswith(("cm:", "acm:"))
        return manager.partition(":")[2] if entering else manager  # ours: typed by what they yield (``returned``)

    def is_context_manager(self, func: FunctionFacts) -> bool:
        return any(self.dotted_decorator(func, d) == "contextlib.contextmanager" for d in func.decorators)

    def dotted_decorator(self, func: FunctionFacts, decorator: str) -> str | None:
        head, _, rest = decorator.partition(".")
        found = self.global_name(func.module, head) if head else None
        if found and found.startswith("ref:"):
            return found[4:] + (f".{rest}" if rest else "")
        return decorator
