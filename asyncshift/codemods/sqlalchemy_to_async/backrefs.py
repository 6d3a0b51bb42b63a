"""Objects saved only by the backref cascade of SQLAlchemy 1.x: ``Comment(post=post)`` never added to a session.

On 1.x, setting ``comment.post = post`` (a keyword of the constructor too) where ``Comment.post`` has a backref
(``backref=``, ``back_populates=``) appends the comment to ``post.comments``, and ``save-update`` cascades along
that backref: the comment joins the session ``post`` is in, and the next commit inserts it. SQLAlchemy 2.0 removed
that cascade (``cascade_backrefs``), and ``AsyncSession`` never had it (its sessions are 1.4's ``future`` ones): the
comment stays out of the session, is never inserted, and the flush only warns ("Object of type <Comment> not in
session, add operation along 'Post.comments' will not proceed"). The converted code runs on one or both, so such an
object (built here, its relationship with a backref set, and then never handed anywhere: not added, returned,
passed on, nor a method of it called) gets a TODO at the statement that set it, unless what it was set to is built
here and added further on (``user = User(); Item(author=user); add(user)``: that add cascades along ``User.items``,
on 2.0 too), or is built with such an object set (``photo = Photo(author=user)``). One added further on in the same
block (``db.session.add(comment)`` after a query) is added where it is built too, when the value its backref was
set to is a row this function read from a session: 1.x had it in that session from there, and a query in between
autoflushed it (2.0 skips it there, with that warning, and inserts it later). Only where provable: a class of the
run with no ``__init__`` of its own, a relationship whose back side cascades ``save-update`` (the default); never in a
project its pins put on SQLAlchemy 2.0 already (no such cascade there before the conversion either).
"""

from __future__ import annotations

import libcst as cst

from codemods.cst_walk import children, walk
from codemods.sqlalchemy_to_async import pinned
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.relations import saves


def _class_named(conv: Conversion, name: str | None):
    found = [
        cls
        for module in conv.project.modules.values()
        for cls in module.classes.values()
        if name and cls.qualname.rpartition(".")[2] == name
    ]
    return found[0] if len(found) == 1 else None


def along(conv: Conversion, kind: str, attribute: str) -> str | None:
    """``Post.comments``: the relationship whose save-update cascade 1.x followed from an object of ``kind``
    (``class:module:Comment``) set ``.attribute`` (``post``) into its value's session, else None."""
    key = (kind, attribute)
    if key not in conv.backref_paths:
        conv.backref_paths[key] = _along(conv, kind, attribute)
    return conv.backref_paths[key]


def cascading(conv: Conversion, kind: str) -> bool:
    """Whether setting some relationship of an object of ``kind`` cascaded it along a backref on 1.x."""
    if kind not in conv.backref_classes:
        conv.backref_classes[kind] = _cascading(conv, kind)
    return conv.backref_classes[kind]


def _cascading(conv: Conversion, kind: str) -> bool:
    module, _, qualname = kind[6:].partition(":")
    lineage = conv.project.mro(module, qualname)
    names = {cls.qualname.rpartition(".")[2] for cls in lineage}
    attributes = {name for cls in lineage for name in cls.links}
    attributes |= {
        found[2]
        for module_facts in conv.project.modules.values()
        for cls in module_facts.classes.values()
        for found in cls.links.values()
        if found[2] and found[0] in names
    }
    return any(along(conv, kind, attribute) for attribute in attributes)


def _along(conv: Conversion, kind: str, attribute: str) -> str | None:
    module, _, qualname = kind[6:].partition(":")
    lineage = conv.project.mro(module, qualname)
    if not lineage or any("__init__" in cls.methods for cls in lineage):
        return None  # an ``__init__`` of its own may add the object itself
    for cls in lineage:
        found = cls.links.get(attribute)
        if found is None:
            continue
        target, back_populates, backref, _, backref_cascade, _, backref_flag = found
        if backref:
            return f"{target}.{backref}" if saves(backref_cascade, backref_flag) else None
        other = _class_named(conv, target) if back_populates else None
        side = other.links.get(back_populates) if other else None
        if side is not None:
            return f"{target}.{back_populates}" if saves(side[3], side[5]) else None
        return None
    names = {cls.qualname.rpartition(".")[2] for cls in lineage}
    for module_facts in conv.project.modules.values():  # ``Post.comments = relationship(Comment, backref="post")``
        for cls in module_facts.classes.values():
            for name, found in cls.links.items():
                if found[2] == attribute and found[0] in names:
                    owner = cls.qualname.rpartition(".")[2]
                    return f"{owner}.{name}" if saves(found[3], found[5]) else None
    return None


def scan(conv: Conversion, function: cst.FunctionDef) -> None:
    """The statements of ``function`` setting a backref on an object built here and never handed on: a TODO each
    (``conv.backref_todos``, read as the walk enters each statement); an object added further on in its block
    (``session.add(x)``), with the backref set to a row this function loaded: added where it is built
    (``conv.backref_adds``), as 1.x had it in the session from there (a query in between autoflushed it; on 2.0 that
    autoflush skipped it, warning "Object of type <Comment> not in session, add operation along 'Post.comments'
    will not proceed", and ran in another order)."""
    if pinned.from_2(conv.notes.source):
        return  # already on 2.0: no cascade along a backref to lose
    statements = []
    for statement in walk(function.body, (cst.BaseExpression, cst.FunctionDef, cst.ClassDef)):
        if isinstance(statement, cst.IndentedBlock) and conv.awaitable():
            _added_later(conv, list(statement.body))
        if isinstance(statement, cst.SimpleStatementLine):
            statements.append(statement)
    for statement in statements:
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):  # ``Comment(post=post)``
                _built(conv, statements, statement, small.value, None)
            elif (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
            ):
                _built(conv, statements, statement, small.value, (function, small.targets[0].target))


def _built(conv: Conversion, statements: list, statement: cst.SimpleStatementLine, call: cst.Call, named) -> None:
    kind = conv.type_of(call.func) or ""
    if not kind.startswith("class:") or not cascading(conv, kind):
        return
    sets = [(a.keyword.value, a.value, statement) for a in call.args if a.keyword is not None]
    name = f"{conv.module.code_for_node(call.func)}(...)"
    if named is not None:
        function, target = named
        later = _only_stored(function, target.value)
        if later is None:
            return  # handed on (added, returned, passed, a method called): not provably left out
        sets, name = sets + later, target.value
    if any(isinstance(value, cst.Name) and _reached(conv, statements, at, value.value) for _, value, at in sets):
        return  # saved along a relationship of an object added further on
    for attribute, value, at in sets:
        path = along(conv, kind, attribute)
        if path and not (isinstance(value, cst.Name) and value.value == "None"):
            given = conv.module.code_for_node(value)
            conv.backref_todos.setdefault(id(at), []).append(
                f"{name} was saved only by SQLAlchemy 1.x's backref cascade (along {path}, into the session of "
                f"{given}); 2.0 and AsyncSession have none and nothing adds it here: add it to the session "
                "(session.add(...)) or it is not saved"
            )


def _reached(conv: Conversion, statements: list, at: cst.SimpleStatementLine, name: str, depth: int = 0) -> bool:
    """``name`` is an object built here (``user = User(...)``) that a statement after ``at`` adds to a session
    (``add(user)``, ``add_all([user, ...])``), or one built with such an object set (``photo = Photo(author=user)``):
    that add cascades along the relationships set, on 2.0 too (``Item(author=user); session.add(user)`` saves the
    item)."""
    built = [s for s in statements if (_assigned_call(s) or ("",))[0] == name]
    call = _assigned_call(built[0])[1] if len(built) == 1 else None
    if call is None or depth > 4 or not (conv.type_of(call.func) or "").startswith("class:"):
        return False
    later = statements[next((i for i, s in enumerate(statements) if s is at), len(statements)) + 1 :]
    if any(
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in ("add", "add_all")
        and any(isinstance(n, cst.Name) and n.value == name for a in node.args for n in walk(a.value))
        for statement in later
        for node in walk(statement)
    ):
        return True
    values = [a.value.value for a in call.args if a.keyword is not None and isinstance(a.value, cst.Name)]
    return any(_reached(conv, statements, at, value, depth + 1) for value in values)


def _only_stored(function: cst.FunctionDef, name: str) -> list | None:
    """``x.attr = value`` statements of ``function`` when ``x`` is bound once and otherwise only has attributes
    read or set (nothing hands it on, no method of it is called), else None."""
    bound, stored, escaped = 0, [], False

    def visit(node: cst.CSTNode, parents: list[cst.CSTNode]) -> None:
        nonlocal bound, escaped
        if escaped:
            return
        if isinstance(node, cst.Name) and node.value == name:
            parent = parents[-1] if parents else None
            grand = parents[-2] if len(parents) > 1 else None
            if isinstance(parent, cst.AssignTarget) and isinstance(grand, cst.Assign) and len(grand.targets) == 1:
                bound += 1
            elif isinstance(parent, cst.Attribute) and parent.value is node:
                caller = grand if isinstance(grand, cst.Call) and grand.func is parent else None
                if caller is not None:
                    escaped = True  # ``x.save()``: a method may add it
                elif isinstance(grand, cst.AssignTarget) and len(parents) > 3:
                    stored.append((parent.attr.value, parents[-3].value, parents[-4]))
            elif not (isinstance(parent, cst.Attribute) and parent.attr is node) and not isinstance(parent, cst.Arg):
                escaped = True
            elif isinstance(parent, cst.Arg) and parent.keyword is not node:
                escaped = True
            return
        if isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef)) and parents:
            escaped = escaped or _mentions(node, name)
            return
        parents.append(node)
        for child in children(node):
            visit(child, parents)
        parents.pop()

    visit(function.body, [])
    if escaped or bound != 1:
        return None
    return [(attr, value, at) for attr, value, at in stored if isinstance(at, cst.SimpleStatementLine)]


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk(node))


ROW_READS = {"get", "get_one", "first", "one", "one_or_none", "get_or_404", "first_or_404", "one_or_404"}


def _added_later(conv: Conversion, block: list[cst.BaseStatement]) -> None:
    for index, statement in enumerate(block):
        built = _assigned_call(statement)
        kind = conv.type_of(built[1].func) or "" if built else ""
        if not kind.startswith("class:") or not cascading(conv, kind):
            continue
        name, call = built
        paths = [
            along(conv, kind, a.keyword.value)
            for a in call.args
            if a.keyword is not None and isinstance(a.value, cst.Name) and _loaded(conv, a.value.value)
        ]
        path = next((p for p in paths if p), None)
        adds = [(i, _added(s, name)) for i, s in enumerate(block[index + 1 :], index + 1) if _added(s, name)]
        if path and adds and adds[0][0] > index + 1:
            session = conv.module.code_for_node(adds[0][1])
            conv.backref_adds[id(statement)] = (
                f"{session}.add({name})  # in the session from here, as 1.x's backref cascade along {path} had it"
            )


def _assigned_call(statement: cst.BaseStatement) -> tuple[str, cst.Call] | None:
    """``x = Cls(...)``: (x, the call)."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return (small.targets[0].target.value, small.value) if isinstance(small.value, cst.Call) else None
    return None


def _added(statement: cst.BaseStatement, name: str) -> cst.BaseExpression | None:
    """The session of ``session.add(name)``, when ``statement`` is that call alone."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    call = small.value if isinstance(small, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "add"):
        return None
    args = call.args
    single = len(args) == 1 and not args[0].keyword and not args[0].star
    return call.func.value if single and isinstance(args[0].value, cst.Name) and args[0].value.value == name else None


def _loaded(conv: Conversion, name: str) -> bool:
    """``name`` is bound in this function only to rows a session read gives (``Post.query.get(k)``,
    ``db.get_or_404(Post, k)``, ``session.get(Post, k)``...): in that session."""
    func = conv.project.function(conv.name, conv.function)
    bindings = func.locals.get(name, []) if func else []
    return bool(bindings) and all(
        how == "value"
        and value
        and value[0] == "call"
        and value[1]
        and value[1][0] == "attr"
        and value[1][2] in ROW_READS
        and (conv.project.types.type_of(conv.name, conv.function, value) or "").startswith("inst:")
        for how, value in bindings
    )
