"""Shared helpers for codemod tests: a toy codemod for the runner, and fixture checks in pyupgrade style."""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.base import Codemod, Notes


class _Rename(cst.CSTTransformer):
    """Renames ``old_name`` to ``new_name``; ``breakme`` becomes invalid Python, ``crashme`` raises."""

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if updated.value == "old_name":
            return updated.with_changes(value="new_name")
        if updated.value == "breakme":
            return cst.Await(cst.Name("x"))  # at module level: parses, but does not compile
        if updated.value == "crashme":
            raise RuntimeError("boom")
        return updated


def _toy(module: cst.Module, notes: Notes) -> cst.Module:
    if "# note-me" in module.code:
        notes.note("saw a note")
    return module.visit(_Rename())


TOY = Codemod(name="toy", summary="Renames old_name to new_name.", needles=("old_name", "breakme", "crashme"), transform=_toy)


def check_noop(codemod: Codemod, source: str) -> None:
    source = textwrap.dedent(source)
    after, _ = codemod.apply(source)
    assert after == source


def check_transformed(codemod: Codemod, source: str, expected: str) -> str:
    source, expected = textwrap.dedent(source), textwrap.dedent(expected)
    after, _ = codemod.apply(source)
    assert after == expected
    compile(after, "<fixture>", "exec", dont_inherit=True)
    again, _ = codemod.apply(after)
    assert again == after, "a second run must change nothing"
    return after
