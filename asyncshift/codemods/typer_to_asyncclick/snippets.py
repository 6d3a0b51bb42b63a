"""Generated code parsed once per process: the decorator lines, imports and names the rules write.

libcst's parser costs about a millisecond for a one-line option decorator (most of it building the
Python nodes), and the rules write the same lines again and again (``click.pass_context``,
``import asyncclick as click``, an ``--verbose`` option on every command). libcst's nodes are
immutable, so one parsed tree can stand wherever the same text is written, in any module of the run.
"""

from __future__ import annotations

import functools

import libcst as cst


@functools.lru_cache(maxsize=4096)
def expression(code: str) -> cst.BaseExpression:
    """``cst.parse_expression(code)``, the same tree for the same text."""
    return cst.parse_expression(code)


@functools.lru_cache(maxsize=1024)
def statement(code: str) -> cst.BaseStatement:
    """``cst.parse_statement(code)``, the same tree for the same text."""
    return cst.parse_statement(code)
