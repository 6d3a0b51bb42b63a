"""A method named by a value, ``getattr(x, name)(...)``, where no ``await`` can go: at module level (or in a class
body), in a lambda, in a generator expression. When a method the call may reach became a coroutine function the call
gives a coroutine nothing awaits; it was left as it was with no TODO (``named_methods`` recorded only the sites in a
function's own body). It keeps a TODO at its statement (a lambda's: the statement holding it), and the function
holding a lambda or generator expression does not become async for it; a call that reaches no coroutine method is
left alone.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

CLASSES = """\
        import sys

        from sqlalchemy.orm import Session


        class Repository:
            def __init__(self, session: Session) -> None:
                self.session = session

            def save(self, row):
                self.session.add(row)
                self.session.commit()


        class Formatter:
            def short(self, row):
                return str(row)

"""

CONVERTED = """\
        import sys

        from sqlalchemy.ext.asyncio import AsyncSession


        class Repository:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def save(self, row):
                self.session.add(row)
                await self.session.commit()


        class Formatter:
            def short(self, row):
                return str(row)

"""


def _todo(text: str, reason: str) -> str:
    return (
        f"# TODO(asyncshift): {text}() may be a coroutine now (Repository.save became async) and nothing awaits "
        f"it: {reason}; call it where it can be awaited"
    )


def test_a_named_method_at_module_level_keeps_a_todo():
    todo = _todo("getattr(repo, sys.argv[1])", "it is not in a function")
    check_transformed(
        CODEMOD,
        CLASSES
        + """
        repo = Repository(Session())
        getattr(repo, sys.argv[1])(None)
        shown = getattr(Formatter(), sys.argv[2])(None)
        """,
        CONVERTED
        + f"""
        repo = Repository(AsyncSession(expire_on_commit=False))
        {todo}
        getattr(repo, sys.argv[1])(None)
        shown = getattr(Formatter(), sys.argv[2])(None)
        """,
    )


def test_a_named_method_in_a_lambda_or_generator_keeps_a_todo_and_its_function_stays_sync():
    lam = _todo("getattr(repo, action)", "a lambda or generator expression cannot await")
    gen = _todo("getattr(repo, a)", "a lambda or generator expression cannot await")
    check_transformed(
        CODEMOD,
        CLASSES
        + """
        def callbacks(repo: Repository, action):
            return {"run": lambda row: getattr(repo, action)(row)}


        def run_all(repo: Repository, actions, row):
            return list(getattr(repo, a)(row) for a in actions)


        def formats(formatter: Formatter, style):
            return lambda row: getattr(formatter, style)(row)
        """,
        CONVERTED
        + f"""
        def callbacks(repo: Repository, action):
            {lam}
            return {{"run": lambda row: getattr(repo, action)(row)}}


        def run_all(repo: Repository, actions, row):
            {gen}
            return list(getattr(repo, a)(row) for a in actions)


        def formats(formatter: Formatter, style):
            return lambda row: getattr(formatter, style)(row)
        """,
    )


def test_named_methods_where_no_await_can_go_in_a_program_with_no_coroutines_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import sys

        handlers = {"show": lambda formatter, style: getattr(formatter, style)()}
        shown = getattr(handlers, sys.argv[1])()
        """,
    )
