"""Imports after the rewrite: the async names the rules used are imported, sync ones no longer used dropped.

New ``from X import a`` names join an existing top-level ``from X import ...`` when there is one; else a
statement is added after the module's last top-level import (after the docstring when there is none). A new
``import X`` of the standard library goes where isort puts it among the plain ones that open the imports.
"""

from __future__ import annotations

import sys

import libcst as cst

from codemods import cst_walk
from codemods.sqlalchemy_to_async import sqla

REPLACED = set(sqla.ASYNC_TWINS)


def _names(node: cst.CSTNode, used: set[str]) -> set[str]:
    """Every name used in ``node`` outside import statements (a walk that builds no nodes: ``cst_walk``)."""
    cls = type(node)
    if cls is cst.Name:
        used.add(node.value)
    elif cls is cst.Attribute:
        _names(node.value, used)  # ``requests.Session`` does not use a name ``Session``
    elif cls is not cst.Import and cls is not cst.ImportFrom:
        for child in cst_walk.children(node):
            _names(child, used)
    return used


def _module_name(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_module_name(node.value)}.{node.attr.value}"
    return ""


def _local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return alias.asname.name.value
    return _module_name(alias.name).split(".")[0]


def rewrite(
    module: cst.Module, wanted: dict[tuple[str, str | None], str], replaced: set[str] = frozenset()
) -> cst.Module:
    """``replaced``: modules (``time``, ``requests``) and ``module.name`` imports some uses of which the rules
    rewrote away."""
    used: set[str] = set()
    if any(_may_drop(statement, replaced) for statement in module.body):
        _names(module, used)  # the names used: only an import that may be dropped asks (a walk of every node)
    kept = [_drop_unused(statement, used, replaced) for statement in module.body]
    body = [statement for statement in kept if statement is not None]
    # where whole imports went, the new ones take their places (and their blank lines), in order
    freed = [i for i, s in enumerate(kept) if s is None and _is_from(module.body[i])]
    slots = [(i - sum(1 for s in kept[:i] if s is None), module.body[i].leading_lines) for i in freed]
    present = _present(body)
    missing = {key: local for key, local in wanted.items() if (key, local) not in present}
    for (source, name), local in sorted(missing.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        body, slot = _add(body, source, name, local, slots[0] if slots else None)
        if slots and slot is None:  # taken: the later slots move down by the line put in it
            slots = [(at + 1, leading) for at, leading in slots[1:]]
        elif slots:
            slots = [slot, *((at + (slot[0] - slots[0][0]), leading) for at, leading in slots[1:])]
    if body and kept[0] is None:  # the opening imports went: no blank line opens the module (comments kept)
        lines = list(body[0].leading_lines)
        while lines and lines[0].comment is None:
            lines.pop(0)
        body[0] = body[0].with_changes(leading_lines=[*module.body[0].leading_lines, *lines])
    return module.with_changes(body=body)


def _is_from(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.ImportFrom)


def _may_drop(statement: cst.BaseStatement, replaced: set[str]) -> bool:
    """An import ``_drop_unused`` would drop if its name were unused."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    node = statement.body[0]
    if isinstance(node, cst.Import):
        return len(node.names) == 1 and node.names[0].asname is None and _module_name(node.names[0].name) in replaced
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar) or node.relative:
        return False
    source = _module_name(node.module)
    return any(f"{source}.{a.name.value}" in REPLACED | replaced for a in node.names)


def _drop_unused(statement: cst.BaseStatement, used: set[str], replaced: set[str]) -> cst.BaseStatement | None:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return statement
    node = statement.body[0]
    if isinstance(node, cst.Import) and len(node.names) == 1 and node.names[0].asname is None:
        name = _module_name(node.names[0].name)
        return None if name in replaced and name not in used else statement
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar) or node.relative:
        return statement
    source = _module_name(node.module)
    gone = REPLACED | replaced
    kept = [a for a in node.names if f"{source}.{a.name.value}" not in gone or _local(a) in used]
    if len(kept) == len(node.names):
        return statement
    if not kept:
        return None
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    parens = node.lpar if len(kept) > 1 else None
    return statement.with_changes(body=[node.with_changes(names=kept, lpar=parens, rpar=node.rpar if parens else None)])


def _present(body: list[cst.BaseStatement]) -> set[tuple[tuple[str, str | None], str]]:
    found = set()
    for statement in body:
        for node in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(node, cst.Import):
                for alias in node.names:
                    found.add(((_module_name(alias.name), None), _local(alias)))
            elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar) and not node.relative:
                for alias in node.names:
                    found.add(((_module_name(node.module), alias.name.value), _local(alias)))
    return found


def _alias(name: str, local: str) -> cst.ImportAlias:
    target = cst.parse_expression(name)
    return cst.ImportAlias(target, asname=cst.AsName(cst.Name(local)) if local != name.split(".")[0] else None)


def _add(
    body: list[cst.BaseStatement], source: str, name: str | None, local: str, slot: tuple | None
) -> tuple[list[cst.BaseStatement], tuple | None]:
    """``body`` with the import added, and the freed slot if it is still free."""
    last_import = -1
    for index, statement in enumerate(body):
        nodes = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
        if any(isinstance(n, (cst.Import, cst.ImportFrom)) for n in nodes):
            last_import = index
            node = nodes[0]
            if (
                name is not None
                and isinstance(node, cst.ImportFrom)
                and not node.relative
                and not isinstance(node.names, cst.ImportStar)
                and _module_name(node.module) == source
            ):
                names = [*node.names]
                names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                alias = (
                    _alias(name, local)
                    if local == name
                    else cst.ImportAlias(cst.Name(name), cst.AsName(cst.Name(local)))
                )
                body[index] = statement.with_changes(body=[node.with_changes(names=_joined(names, alias, node))])
                return body, slot
    if name is None:
        line = cst.SimpleStatementLine(
            [cst.Import([_alias(source, local) if local != source else cst.ImportAlias(cst.parse_expression(source))])]
        )
    else:
        asname = cst.AsName(cst.Name(local)) if local != name else None
        line = cst.SimpleStatementLine(
            [cst.ImportFrom(cst.parse_expression(source), [cst.ImportAlias(cst.Name(name), asname)])]
        )
    if name is not None and slot is not None:
        at, leading = slot
        return [*body[:at], line.with_changes(leading_lines=leading), *body[at:]], None
    if name is None:
        return _add_plain(body, source, line, slot)
    at = last_import + 1 if last_import >= 0 else _after_docstring(body)
    if slot is not None and at <= slot[0]:
        slot = (slot[0] + 1, slot[1])
    return [*body[:at], line, *body[at:]], slot


def _add_plain(
    body: list[cst.BaseStatement], source: str, line: cst.SimpleStatementLine, slot: tuple | None
) -> tuple[list[cst.BaseStatement], tuple | None]:
    """``import source`` where isort puts it: among the plain standard-library imports that open the imports, in
    order (before the ``from`` ones); where there are none, right after the docstring and ``__future__``."""
    start = at = _after_docstring(body)
    while at < len(body) and _plain_stdlib(body[at]) and _module_name(body[at].body[0].names[0].name) < source:
        at += 1
    if at < len(body) and at == start and _is_import(body[at]):
        # first of the imports: their blank line above, and a blank line below when the next is another section's
        below = [] if _plain_stdlib(body[at]) or _stdlib_from(body[at]) else [cst.EmptyLine()]
        line = line.with_changes(leading_lines=body[at].leading_lines)
        body = [*body[:at], body[at].with_changes(leading_lines=below), *body[at + 1 :]]
    elif at == start and start > 0:
        line = line.with_changes(leading_lines=[cst.EmptyLine()])  # after the docstring or ``__future__``
    if slot is not None and at <= slot[0]:
        slot = (slot[0] + 1, slot[1])
    return [*body[:at], line, *body[at:]], slot


def _is_import(statement: cst.BaseStatement) -> bool:
    nodes = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
    return bool(nodes) and isinstance(nodes[0], cst.Import | cst.ImportFrom)


def _plain_stdlib(statement: cst.BaseStatement) -> bool:
    nodes = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
    return bool(nodes) and isinstance(nodes[0], cst.Import) and _stdlib(_module_name(nodes[0].names[0].name))


def _stdlib_from(statement: cst.BaseStatement) -> bool:
    nodes = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
    return (
        bool(nodes)
        and isinstance(nodes[0], cst.ImportFrom)
        and not nodes[0].relative
        and _stdlib(_module_name(nodes[0].module))
    )


def _stdlib(module: str) -> bool:
    return module.partition(".")[0] in sys.stdlib_module_names and module != "__future__"


def _order(alias: cst.ImportAlias) -> tuple:
    """isort's order (ruff's default, by type): CONSTANTS, then Classes, then the rest, each by name."""
    name = _module_name(alias.name)
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _joined(names: list[cst.ImportAlias], alias: cst.ImportAlias, node: cst.ImportFrom) -> list[cst.ImportAlias]:
    """The names with ``alias`` added: in order when they were in order on one line, else at the end."""
    if node.lpar is not None or [_order(a) for a in names] != sorted(_order(a) for a in names):
        return [*names, alias]
    ordered = sorted([*names, alias], key=_order)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=comma) for a in ordered[:-1]] + [
        ordered[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    ]


def _after_docstring(body: list[cst.BaseStatement]) -> int:
    index = 0
    while index < len(body):
        nodes = body[index].body if isinstance(body[index], cst.SimpleStatementLine) else ()
        if nodes and isinstance(nodes[0], cst.Expr) and isinstance(nodes[0].value, cst.SimpleString) and index == 0:
            index += 1
            continue
        if nodes and isinstance(nodes[0], cst.ImportFrom) and _module_name(nodes[0].module) == "__future__":
            index += 1
            continue
        break
    return index
