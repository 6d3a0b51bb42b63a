"""``names_used`` reads the tree, and must find exactly the names ``ast`` finds (``ast.Name``)."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from codemods.typer_to_asyncclick.imports import names_used

SOURCE = textwrap.dedent(
    """
    import typer
    from click import echo as say


    class Thing(Base, metaclass=Meta):
        def method(self, arg=default, *rest, key: Kind = None, **options) -> Result:
            global counter
            value = helper(arg, keyword=argument).attribute.deeper
            try:
                with opened(path) as handle, other() as (left, right):
                    pass
            except Problem as caught:
                del dropped
            squares = [square for square in numbers if square is not False]
            call = lambda parameter: parameter + outer
            match command:
                case Point(x=0, y=ycoord) | [first, *others] | {"k": _, **remaining}:
                    pass
                case Wrapped() as whole if guard:
                    pass
            return f"{formatted!r:{width}}" if True else typer.echo(say)
    """
)


def test_names_used_are_the_names_ast_finds():
    expected = {node.id for node in ast.walk(ast.parse(SOURCE)) if isinstance(node, ast.Name)}
    assert names_used(cst.parse_module(SOURCE)) == expected
