"""Swap ``import typer`` for ``import asyncclick as click``, keeping typer only where a TODO still needs it."""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER
from codemods.typer_to_asyncclick.names import TyperNames, dotted

CLICK_IMPORT = "import asyncclick as click"


class _Leftovers(cst.CSTVisitor):
    """Typer names still referenced after the rewrite (outside import statements)."""

    def __init__(self, local_names: set[str]) -> None:
        self.local_names, self.found = local_names, False
        self.skip: set[int] = set()

    def visit_Import(self, node) -> bool:
        return False

    def visit_ImportFrom(self, node) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword:
            self.skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.skip.add(id(node.name))

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self.skip and node.value in self.local_names:
            self.found = True


def _typer_import(small: cst.BaseSmallStatement) -> str | None:
    """'drop', 'testing' or None for a statement that is not a typer import."""
    if isinstance(small, cst.Import):
        names = [dotted(a.name) or "" for a in small.names]
        if all(n == "typer" or n.startswith("typer.") for n in names):
            return "drop"
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        module = dotted(small.module) or ""
        if module == "typer.testing":
            return "testing"
        if module == "typer" or module.startswith("typer."):
            return "drop"
    return None


def rewrite(module: cst.Module, names: TyperNames, needs_testing: bool) -> cst.Module:
    leftovers = _Leftovers(set(names.modules) | {k for k, v in names.members.items() if not v.startswith("testing.")})
    module.visit(leftovers)
    has_click = any(
        isinstance(s, cst.SimpleStatementLine) and module.code_for_node(s).strip() == CLICK_IMPORT for s in module.body
    )
    uses_click = _Leftovers({"click"})
    module.visit(uses_click)
    body: list[cst.BaseStatement] = []
    inserted = has_click or not uses_click.found
    for statement in module.body:
        kinds = [_typer_import(s) for s in statement.body] if isinstance(statement, cst.SimpleStatementLine) else [None]
        if not any(kinds):
            body.append(statement)
            continue
        if not inserted:
            body.append(cst.parse_statement(CLICK_IMPORT).with_changes(leading_lines=statement.leading_lines))
            if needs_testing:
                body.append(cst.parse_statement("import asyncclick.testing"))
            inserted = True
        for small, kind in zip(statement.body, kinds):
            if kind == "testing":
                text = cst.Module([]).code_for_node(small).replace("typer.testing", "asyncclick.testing", 1)
                body.append(cst.parse_statement(text))
            elif kind is None:
                body.append(cst.SimpleStatementLine([small]))
            elif leftovers.found:
                comment = cst.EmptyLine(comment=cst.Comment(f"{TODO_MARKER} drop this import once the TODOs below no longer need typer"))
                body.append(cst.SimpleStatementLine([small], leading_lines=[comment]))
    return module.with_changes(body=body)
