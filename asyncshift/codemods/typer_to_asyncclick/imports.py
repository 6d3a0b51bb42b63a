"""Swap ``import typer`` for ``import asyncclick as click``, keeping typer only where a TODO still needs it."""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER
from codemods.cst_walk import walk
from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.names import TyperNames, dotted
from codemods.typer_to_asyncclick.references import HELPER_CLASSES

CLICK_IMPORT = "import asyncclick as click"


# Children that are a libcst Name but no name read or written (a plain string in ``ast``).
_NOT_NAMES = {
    cst.Attribute: ("attr",),
    cst.Arg: ("keyword",),
    cst.FunctionDef: ("name",),
    cst.ClassDef: ("name",),
    cst.Param: ("name",),
    cst.ExceptHandler: ("name",),
    cst.ExceptStarHandler: ("name",),
    cst.NameItem: ("name",),
    cst.MatchAs: ("name",),
    cst.MatchStar: ("name",),
    cst.MatchMapping: ("rest",),
    cst.MatchKeywordElement: ("key",),
}
_CONSTANTS = {"True", "False", "None"}  # Names in libcst, constants in ``ast``


def names_used(module: cst.Module) -> set[str]:
    """Every name read or written outside import statements: the ``ast.Name`` nodes of the module, read
    from the tree (generating the code to parse it with ``ast`` cost as much as the final code generation)."""
    found: set[str] = set()
    not_names: set[int] = set()
    for node in walk(module, skip=(cst.Import, cst.ImportFrom)):
        kind = type(node)
        if kind is cst.Name:
            if id(node) not in not_names and node.value not in _CONSTANTS:
                found.add(node.value)
        elif kind in _NOT_NAMES:
            for name in _NOT_NAMES[kind]:
                child = getattr(node, name)
                not_names.add(id(child.name if isinstance(child, cst.AsName) else child))
    return found


def _typer_import(small: cst.BaseSmallStatement) -> str | None:
    """'drop', 'testing', 'click' or None for a statement that is not a typer import.

    ``import click`` is Typer's (sync) Click: the converted module's ``click`` is asyncclick."""
    if isinstance(small, cst.Import):
        names = [dotted(a.name) or "" for a in small.names]
        if all(n == "typer" or n.startswith("typer.") for n in names):
            return "drop"
        if names == ["click"] and not small.names[0].asname:
            return "click"
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        module = dotted(small.module) or ""
        if module in ("typer.testing", "click.testing"):
            return "testing"
        if module == "typer" or module.startswith("typer."):
            return "drop"
    return None


def rewrite(
    module: cst.Module, names: TyperNames, needs_testing: bool, needs_click: bool = False, used: set[str] | None = None
) -> cst.Module:
    """``used``: ``names_used(module)`` when the caller has it already (it costs a code generation and a parse)."""
    used = (names_used(module) if used is None else used) | ({"click"} if needs_click else set())
    typer_locals = set(names.modules) | {
        k for k, v in names.members.items() if not v.startswith("testing.") and v not in HELPER_CLASSES
    }
    leftover = bool(used & typer_locals)
    body: list[cst.BaseStatement] = []
    inserted = "click" not in used or any(_is_click_import(s) for s in module.body)
    for statement in module.body:
        kinds = [_typer_import(s) for s in statement.body] if isinstance(statement, cst.SimpleStatementLine) else [None]
        if not any(kinds):
            body.append(statement)
            continue
        if not inserted:
            body.append(snippets.statement(CLICK_IMPORT).with_changes(leading_lines=statement.leading_lines))
            if needs_testing:
                body.append(snippets.statement("import asyncclick.testing"))
            inserted = True
        for small, kind in zip(statement.body, kinds, strict=False):
            if kind == "testing":
                text = cst.Module([]).code_for_node(small)
                text = text.replace(dotted(small.module) or "", "asyncclick.testing", 1)
                body.append(snippets.statement(text))
            elif kind is None:
                body.append(cst.SimpleStatementLine([small]))
            elif kind == "click":
                continue
            elif leftover:
                text = f"{TODO_MARKER} drop this import once the TODOs below no longer need typer"
                # a first statement's comments are the module's header: a second run finds its TODO there
                above = [*statement.leading_lines, *(module.header if statement is module.body[0] else ())]
                said = any(line.comment is not None and line.comment.value == text for line in above)
                leading = [] if said else [cst.EmptyLine(comment=cst.Comment(text))]
                body.append(cst.SimpleStatementLine([small], leading_lines=leading))
    if not inserted:  # no typer import to take the place of (an app made by an imported factory)
        at = after_imports(body)
        body.insert(at, snippets.statement(CLICK_IMPORT))
    return module.with_changes(body=body)


def after_imports(body: list[cst.BaseStatement]) -> int:
    """Just after the leading docstring and import lines."""
    at = 0
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0]
        if isinstance(small, (cst.Import, cst.ImportFrom)) or (
            index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
        ):
            at = index + 1
        else:
            break
    return at


def _is_click_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(
        isinstance(small, cst.Import)
        and any(dotted(a.name) == "asyncclick" and a.asname and dotted(a.asname.name) == "click" for a in small.names)
        for small in statement.body
    )
