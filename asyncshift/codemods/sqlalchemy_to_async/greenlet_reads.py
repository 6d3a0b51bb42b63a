"""Sync code that lazy-loads, reached from a coroutine, runs in SQLAlchemy's greenlet.

A template reads what the view hands it after the view's last await, in sync code: ``{{ poll.groups.count() }}``,
``{% for g in poll.groups %}`` (a dynamic relationship), ``post.author.name`` (a lazy one). A model's property
reading ``self.groups`` (``lazy="dynamic"``, the model's choice, ``handed_reads``' TODO) is sync code too. Under an
AsyncSession each such load raises ``MissingGreenlet``, unless it runs in SQLAlchemy's greenlet, where a sync load
awaits the AsyncSession's connection: what ``AsyncSession.run_sync`` does, and ``form_validators`` for a form. So,
in a function that is async once converted:

- ``render_template(...)`` (Flask's or flask-to-fastapi's helper's, ``rendered_queries.is_renderer``), in a run
  whose models have a relationship that loads on read -> ``await greenlet_spawn(render_template, ...)``;
- ``owner.rel.count()`` (a chain of query steps) on a dynamic relationship of a plain model -> ``await
  greenlet_spawn(owner.rel.count)``; ``for x in owner.rel`` -> ``for x in await greenlet_spawn(list, owner.rel)``;
  a sync call handed ``owner.rel`` or a lambda reading such a property below -> ``await greenlet_spawn(f, ...)``;
- ``x.prop`` where ``prop`` is a property of a model of the run reading a relationship that loads on each read
  (dynamic, select) -> ``await greenlet_spawn(getattr, x, "prop")``; ``getattr`` gives what ``x.prop`` gave on
  any object, so an ``x`` the codemod cannot type is read so too; in a unittest test method (sync, coroutines run to
  their end there, ``unittest_cases``) -> ``_run_to_end(greenlet_spawn(getattr, x, "prop"))`` (in a class-based view
  held sync, ``sync_views``: ``_on_serving_loop(...)``), and there a relationship's read too (``vote.candidate``:
  no ``selectinload`` reaches a test's reads; an eager one, selectin or joined, loads lazily on an object the test
  made and flushed or one a view's earlier query loaded; a mixin's ``declared_attr`` one as well);
- ``obj.col`` after the function's ``await session.rollback()``, which expired every object (its read is a sync
  refresh), ``obj`` typed as a mapped class of the run -> ``await greenlet_spawn(getattr, obj, "col")``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import (
    coroutine_reads,
    flask_db,
    form_validators,
    handed_reads,
    held_chains,
    library_readers,
    property_reads,
    rendered_queries,
    sqla,
    sync_views,
    unittest_cases,
)
from codemods.sqlalchemy_to_async.exprs import from_cst
from codemods.sqlalchemy_to_async.lazy_loads import RELATIONSHIPS

EAGER = {"selectin", "joined", "subquery", "immediate", "noload", "raise", "raise_on_sql", "write_only", "False"}


def spawned(conv: Any, func: cst.BaseExpression, args: list[cst.Arg], laid_out: cst.Call | None = None) -> cst.Await:
    """``await greenlet_spawn(func, *args)``, laid out as the call it replaces."""
    spawn = cst.Name(conv.use(*form_validators.GREENLET_SPAWN))
    args = [cst.Arg(func), *args]
    if len(args) > 1:
        args[0] = args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    before = laid_out.whitespace_before_args if laid_out is not None else cst.SimpleWhitespace("")
    return cst.Await(cst.Call(spawn, args=args, whitespace_before_args=before))


def call(conv: Any, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """A render, a dynamic relationship's query run, or a sync call handed one, in a coroutine: in the greenlet."""
    if conv.awaitable() and conv.classify(original.func)[:2] == ("io", "rollback"):
        conv.__dict__.setdefault("_rolled_back", set()).add(conv.function_id)  # reads after it: ``attribute_read``
    project = conv.project
    read = library_readers.call(conv, original, updated, spawned, lazy_relationships(project), lazy_properties(project))
    if read is not None:
        return read  # ``marshal(obj, fields)``, in a coroutine or a function held sync
    if id(original) in conv.awaited or not conv.awaitable() or not conv.project.does_io:
        return None
    if conv.type_of(original.func) == f"ref:{'.'.join(form_validators.GREENLET_SPAWN)}":
        return None  # a run before wrote it
    if rendered_queries.is_renderer(conv.project, conv.name, from_cst(original.func)):
        if not loads_on_read(conv.project):
            return None
        what = "rendered in SQLAlchemy's greenlet, where the template's lazy and dynamic relationship loads can run"
    elif rendered_queries.renders(conv, original) and loads_on_read(project):
        what = "renders a template: run in SQLAlchemy's greenlet, where the template's lazy relationship loads can run"
    elif _dynamic_chain(conv, original):
        what = "a lazy='dynamic' relationship's query: run in SQLAlchemy's greenlet, where its sync query can load"
    elif _handed_lazy(conv, original):
        what = "handed a lazy='dynamic' relationship (or a lambda reading a lazy-loading property): run in the greenlet"
    elif _reads_own_lazily(conv, original):
        what = "a sync method reading its object's relationship, which loads on read: run in SQLAlchemy's greenlet"
    else:
        return None
    conv.notes.note(f"{conv.module.code_for_node(original.func)}() in a coroutine: {what}")
    return spawned(conv, updated.func, list(updated.args), updated)


def _dynamic_chain(conv: Any, node: cst.Call) -> bool:
    """``owner.rel[.filter(...)...].count()`` on a dynamic relationship (not a Flask-SQLAlchemy model's:
    ``dynamic_queries`` writes its select())."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in sqla.QUERY_TERMINALS):
        return False
    base = func.value
    while isinstance(base, cst.Call) and isinstance(base.func, cst.Attribute):
        if base.func.attr.value not in sqla.QUERY_BUILDERS:
            return False
        base = base.func.value
    return dynamic_read(conv, base)


def _handed_lazy(conv: Any, node: cst.Call) -> bool:
    """A call of anything but a coroutine function handed ``owner.rel`` (dynamic) or a lambda reading ``x.prop``
    (a property ``lazy_properties`` names): ``sorted(election.candidates, key=lambda c: c.vote_count)``."""
    found = conv.type_of(node.func) or ""
    if found.startswith("func:") and conv.project.is_async(found[5:]):
        return False
    if isinstance(node.func, cst.Attribute) and dynamic_read(conv, node.func.value):
        return False  # ``owner.rel.append(x)``: no load
    for arg in node.args:
        if dynamic_read(conv, arg.value):
            return True
        if isinstance(arg.value, cst.Lambda) and _reads_property(conv, arg.value.body):
            return True
    return False


def _reads_own_lazily(conv: Any, node: cst.Call) -> bool:
    """``self._check()`` (or ``obj._check()``), a sync method of the run reading ``self.rel``, a relationship of its
    class that loads on read (``lazy_relationships``): called from a coroutine, that load raised ``MissingGreenlet``
    (a mixin's status check in an async ``set_status``)."""
    found = conv.type_of(node.func) or ""
    return found.startswith("func:") and not conv.project.is_async(found[5:]) and found[5:] in _own_readers(conv)


def _own_readers(conv: Any) -> set[str]:
    """The ids of the run's sync methods reading a loading relationship of their own class off ``self``."""
    project = conv.project
    found = getattr(project.types, "_greenlet_own_readers", None)
    if found is not None:
        return found
    found = project.types._greenlet_own_readers = set()
    lazy = lazy_relationships(project)
    for module in project.modules.values():
        for qualname, name in getattr(module.flows, "self_reads", ()):
            func = module.functions.get(qualname)
            if func is None or func.cls is None or func.is_async or name not in lazy:
                continue
            if any(c.qualname.rpartition(".")[2] in lazy[name] for c in project.mro(func.module, func.cls)):
                found.add(func.id)
    return found


def _reads_property(conv: Any, node: cst.CSTNode) -> bool:
    names = lazy_properties(conv.project)
    return any(isinstance(n, cst.Attribute) and n.attr.value in names for n in _walk(node))


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)


def iterated(conv: Any, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
    """``for x in owner.rel`` (dynamic) in a coroutine -> ``for x in await greenlet_spawn(list, owner.rel)``."""
    if not conv.awaitable() or not conv.project.does_io or not dynamic_read(conv, original):
        return updated
    conv.notes.note(f"{conv.module.code_for_node(original)} iterated: its rows read in SQLAlchemy's greenlet")
    return spawned(conv, cst.Name("list"), [cst.Arg(updated)])


def dynamic_read(conv: Any, node: cst.BaseExpression) -> bool:
    """``owner.rel`` where ``rel`` is a ``lazy="dynamic"`` relationship (or backref) of a plain model of the run;
    an owner the codemod cannot type counts when no Flask-SQLAlchemy db is in the run."""
    if not isinstance(node, cst.Attribute) or node.attr.value not in dynamic_names(conv.project):
        return False
    found = conv.type_of(node.value) or ""
    if not found.startswith("inst:"):
        return not flask_db.dbs(conv.project)
    module, _, qualname = found[5:].partition(":")
    owners = dynamic_names(conv.project)[node.attr.value]
    return flask_db.model_db(conv.project, module, qualname) is None and any(
        cls.qualname.rpartition(".")[2] in owners for cls in conv.project.mro(module, qualname)
    )


def dynamic_names(project: Any) -> dict[str, set[str]]:
    """Dynamic relationships of the run: name -> the names of the classes having it (declared, or a backref)."""
    found = getattr(project.types, "_greenlet_dynamic", None)
    if found is not None:
        return found
    found = project.types._greenlet_dynamic = {}
    for module in project.modules.values():
        for cls in module.classes.values():
            for name in cls.dynamic:
                found.setdefault(name, set()).add(cls.qualname.rpartition(".")[2])
            for rel, link in cls.links.items():
                if link[0] and link[2] and cls.backref_lazies.get(rel) == "dynamic":
                    found.setdefault(link[2], set()).add(link[0])
    return found


def attribute_read(conv: Any, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression | None:
    """In a coroutine, ``x.prop`` (a property reading a lazily loaded relationship), or ``obj.column`` after the
    function's ``await session.rollback()`` (which expired every object: the read refreshes it, a sync load) ->
    ``await greenlet_spawn(getattr, x, "prop")``."""
    name = original.attr.value
    if id(original) in conv.callees or not conv.project.does_io or _stored(conv, original):
        return None
    # a unittest test, or a class-based view Flask calls without awaiting: run to its end there
    tested = not conv.awaitable() and (unittest_cases.runs_here(conv) or sync_views.is_held_here(conv))
    if not conv.awaitable() and not tested or (conv.type_of(original.value) or "").startswith("class:"):
        return None  # (``Thing.tags``, the class's attribute, in ``selectinload(Thing.tags)``: no load)
    if name in lazy_properties(conv.project) and _may_be_model(conv, original.value, name):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: its property lazy-loads")
    elif property_reads.reads_own(conv, original.value, name, lazy_relationships(conv.project)):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: its property loads")
    elif not tested and conv.function_id in conv.__dict__.get("_rolled_back", ()) and _mapped(conv, original.value):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: expired by the rollback")
    elif tested and name in lazy_relationships(conv.project) and _may_have(conv, original.value, name):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: a lazy load")
    elif not tested and name in lazy_relationships(conv.project) and _own_relationship(conv, original.value, name):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: the object's own")
    elif not tested and coroutine_reads.handed(conv, original.value, name, lazy_relationships(conv.project)):
        conv.notes.note(f"{conv.module.code_for_node(original)} read in SQLAlchemy's greenlet: loaded elsewhere")
    else:
        return None
    attr = cst.Arg(cst.SimpleString(f"{_quote(conv, original)}{name}{_quote(conv, original)}"))
    value = cst.Arg(updated.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    read = spawned(conv, cst.Name("getattr"), [value, attr])  # parenthesised where it is read from (``leave_*``)
    return held_chains.to_end(conv, read) if tested else read


def _quote(conv: Any, original: cst.CSTNode) -> str:
    """The quote of the written ``"prop"``: one its enclosing f-strings do not use (``f"... {x.prop}"`` took a
    double-quoted one: invalid Python before 3.12, the file left unconverted)."""
    if "_fstring_quotes" not in conv.__dict__:
        conv.__dict__["_fstring_quotes"] = found = {}

        class Quotes(cst.CSTVisitor):
            def visit_FormattedString(self, node: cst.FormattedString) -> None:
                for part in node.parts:
                    if isinstance(part, cst.FormattedStringExpression):
                        for inner in _walk(part.expression):
                            found[id(inner)] = found.get(id(inner), "") + node.quote

        conv.module.visit(Quotes())
    return "'" if '"' in conv.__dict__["_fstring_quotes"].get(id(original), "") else '"'


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    return [node, *(inner for child in node.children for inner in _walk(child))]


# a relationship whose read never loads (dynamic: a query, ``lazy_properties``); any other loads on an object no
# query loaded it with: selectin, joined, subquery, immediate fall back to the lazy loader (an object the test made
# and flushed), and ``handed_reads`` writes ``lazy="selectin"`` on relationships that were lazy in the original
NEVER_LOADS = {"dynamic", "noload", "raise", "raise_on_sql", "write_only"}


def lazy_relationships(project: Any) -> dict[str, set[str]]:
    """Relationships (and backrefs) of the run a read may load, one row or list (all but ``NEVER_LOADS``): name ->
    the names of the classes having it."""
    found = getattr(project.types, "_greenlet_lazy", None)
    if found is not None:
        return found
    found = project.types._greenlet_lazy = {}
    for module in project.modules.values():
        for cls in module.classes.values():
            for name, callee in cls.relationships.items():
                if project.types.type_of(cls.module, None, callee) not in RELATIONSHIPS or name in cls.unloadable:
                    continue
                if str(cls.lazies.get(name)) not in NEVER_LOADS:
                    found.setdefault(name, set()).add(cls.qualname.rpartition(".")[2])
                link = cls.links.get(name)
                if link and link[0] and link[2] and str(cls.backref_lazies.get(name)) not in NEVER_LOADS:
                    found.setdefault(link[2], set()).add(link[0])
        for func in module.functions.values():  # a mixin's ``@declared_attr def labels(cls): return relationship(...)``
            if func.cls and _declares_relationship(project, module.name, func):
                found.setdefault(func.qualname.rpartition(".")[2], set()).add(func.cls.rpartition(".")[2])
    return found


def _declares_relationship(project: Any, module: str, func: Any) -> bool:
    """A ``declared_attr`` method returning ``relationship(...)`` (its ``lazy=`` unread: a read may load)."""
    if not any(d.rpartition(".")[2] == "declared_attr" for d in func.decorators):
        return False
    calls = [v[1] for v in func.return_values if v and v[0] == "call"]
    return any(project.types.type_of(module, func.qualname, callee) in RELATIONSHIPS for callee in calls)


def _classes_of(conv: Any, value: cst.BaseExpression) -> list | None:
    """The run's classes (the mro) of what ``value`` is typed as an instance of; None when that is not known."""
    found = conv.type_of(value) or ""
    if not found.startswith("inst:"):
        return None
    module, _, qualname = found[5:].partition(":")
    return conv.project.mro(module, qualname)


def _may_have(conv: Any, value: cst.BaseExpression, name: str) -> bool:
    """Unless ``value`` is typed as an instance of a class of the run whose subclasses (it too) lack that
    relationship: ``cls(**kwargs)`` in a base's classmethod is typed as the base, called on ``User`` it is a User."""
    classes = _classes_of(conv, value)
    if classes is None:
        return True
    owners = lazy_relationships(conv.project)[name]
    if any(cls.qualname.rpartition(".")[2] in owners for cls in classes):
        return True
    project, first = conv.project, classes[0]
    return any(
        c.qualname.rpartition(".")[2] in owners
        for sub in project.built_on(first.module, first.qualname)
        for c in project.mro(sub.module, sub.qualname)
    )


def _own_relationship(conv: Any, value: cst.BaseExpression, name: str) -> bool:
    """``self.rel`` in a model's method (or a mixin's) that became async: whatever loaded ``self`` is not known
    here (no ``selectinload`` to add to it), and an object made and flushed loads an unloaded relationship on read,
    eager or not. Read as ``awaitable_attrs`` reads (SQLAlchemy 2.0.13+; it is ``greenlet_spawn(getattr, ...)``),
    which SQLAlchemy 1.4 and a base without ``AsyncAttrs`` do too."""
    func = conv.project.by_id(conv.function_id) if conv.function_id else None
    if func is None or not func.cls or not isinstance(value, cst.Name) or value.value != func.first_param:
        return False
    return _classes_of(conv, value) is not None and _may_have(conv, value, name)


def _stored(conv: Any, node: cst.Attribute) -> bool:
    """Whether ``node`` is stored into or deleted (``x.n += 1``, ``del x.n``, ``for x.n in ...``): not a read."""
    found = conv.__dict__.get("_greenlet_stored")
    if found is None:
        found = conv.__dict__["_greenlet_stored"] = set()
        for each in _walk(conv.module):
            targets = [getattr(each, "target", None)] if not isinstance(each, (cst.Assign, cst.Del)) else []
            targets += [t.target for t in each.targets] if isinstance(each, cst.Assign) else []
            targets += [each.target] if isinstance(each, cst.Del) else []
            targets += [each.name] if isinstance(each, cst.AsName) else []
            while targets:
                target = targets.pop()
                if isinstance(target, (cst.Tuple, cst.List)):
                    targets += [e.value for e in target.elements]
                elif isinstance(target, cst.StarredElement):
                    targets.append(target.value)
                elif isinstance(target, cst.Attribute):
                    found.add(id(target))
    return id(node) in found


def _mapped(conv: Any, value: cst.BaseExpression) -> bool:
    """A name typed as an instance of a mapped class of the run (a table, or relationships)."""
    classes = _classes_of(conv, value) if isinstance(value, cst.Name) else None
    return classes is not None and any("__tablename__" in c.attrs or c.relationships for c in classes)


def _may_be_model(conv: Any, value: cst.BaseExpression, name: str) -> bool:
    """Unless ``value`` is typed as an instance of a class of the run with no such property."""
    classes = _classes_of(conv, value)
    if classes is None:
        return True
    owners = lazy_properties(conv.project)[name]
    return any(cls.qualname in owners for cls in classes)


def lazy_properties(project: Any) -> dict[str, set[str]]:
    """The run's model properties reading a relationship that loads on each read (dynamic, select): name -> the
    qualnames of the classes defining it."""
    found = getattr(project.types, "_greenlet_properties", None)
    if found is not None:
        return found
    found = project.types._greenlet_properties = {}
    for (module, qualname, rel, side), where in handed_reads.sync_reads(project).items():
        cls = project.modules[module].classes[qualname]
        lazy = (cls.backref_lazies if side else cls.lazies).get(rel)
        lazy = "dynamic" if not side and lazy is None and rel in cls.unloadable else lazy
        if lazy not in handed_reads.LAZY:
            continue  # loaded with its object (``lazy="selectin"``, ``handed_reads``)
        for method in where:
            owner, _, getter = method.rpartition(".")
            if not getter.startswith("__"):
                found.setdefault(getter, set()).add(owner)
    return found


def loads_on_read(project: Any) -> bool:
    """Whether a model of the run has a relationship (or a backref) loading when it is read, not with its object."""
    found = getattr(project.types, "_loads_on_read", None)
    if found is None:
        found = project.types._loads_on_read = any(
            _lazy_relationship(project, cls) for module in project.modules.values() for cls in module.classes.values()
        )
    return found


def _lazy_relationship(project: Any, cls: Any) -> bool:
    for name, callee in cls.relationships.items():
        if project.types.type_of(cls.module, None, callee) not in RELATIONSHIPS:
            continue
        if str(cls.lazies.get(name)) not in EAGER:
            return True
        link = cls.links.get(name)
        if link and link[2] and str(cls.backref_lazies.get(name)) not in EAGER:
            return True
    return False
