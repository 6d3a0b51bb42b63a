"""Typer to AsyncClick: the same command line, on ``import asyncclick as click``, with async commands.

One read (imports, apps and what is registered on them), then one rewriting pass over the tree.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Codemod, Notes
from codemods.typer_to_asyncclick import helpshim, imports, names
from codemods.typer_to_asyncclick.analysis import analyse
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick


def transform(module: cst.Module, notes: Notes) -> cst.Module:
    typer_names = names.collect(module)
    if not typer_names.found:
        return module
    analysis = analyse(module, typer_names)
    transformer = TyperToAsyncClick(module, typer_names, analysis, notes)
    rewritten = module.visit(transformer)
    shim = helpshim.needed(imports.names_used(rewritten))
    rewritten = imports.rewrite(rewritten, typer_names, transformer.needs_testing_import, needs_click=bool(shim))
    return helpshim.add(rewritten, shim)


CODEMOD = Codemod(
    name="typer-to-asyncclick",
    summary="Typer apps, commands, options and helpers to AsyncClick, with async def commands.",
    needles=("typer",),
    transform=transform,
)
