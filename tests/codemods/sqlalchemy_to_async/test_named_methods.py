"""A method named by a value: ``getattr(repo, query_func)(oid)`` where ``repo`` comes out of a table
(``repos[cls]["repo"]``) and the method the string names became a coroutine function. The call was left as it was,
with no TODO: a coroutine nothing awaited (``object of type 'coroutine' has no len()``), the request answered wrongly
and silently.

The receiver is followed back as a handler table is (``dispatch``); when a class it may be has a coroutine method,
the caller becomes async and awaits the call through ``_awaited`` (the method may be a sync one of the same class:
its value is given as it is). A literal name is that method (awaited as it is when it is a coroutine function
wherever the receiver may be). A receiver nothing follows may be any class of the run: awaited through the helper
where the code awaits, a TODO where it cannot.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

AWAITED = """

        async def _awaited(value):
            \"\"\"What a wrapped function gave, awaited when it is a coroutine (written by asyncshift).\"\"\"
            import inspect

            return await value if inspect.isawaitable(value) else value
"""

REPOSITORIES = """\
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Project


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, oid):
        return self.session.get(Project, oid)

    def filter_by(self, limit=None, **filters):
        return self.session.scalars(select(Project).filter_by(**filters).limit(limit)).all()

    def label(self, oid):
        return f"project {oid}"


class Formatter:
    def short(self, oid):
        return str(oid)
"""

CORE = """\
project_repo = None
formatter = None


def setup_repositories(session):
    from app.repositories import Formatter, ProjectRepository

    global project_repo, formatter
    project_repo = ProjectRepository(session)
    formatter = Formatter()
"""

API = """\
from app.core import formatter, project_repo

repos = {
    "ProjectAPI": {"repo": project_repo, "get": "get", "filter": "filter_by", "name": "label"},
}
formats = {"FormatAPI": {"repo": formatter, "get": "short"}}


class APIBase:
    def _db_query(self, oid):
        repo_info = repos[self.__class__.__name__]
        if oid is None:
            return self._filter_query(repo_info, 10)
        repo = repo_info["repo"]
        query_func = repo_info["get"]
        return [getattr(repo, query_func)(oid)]

    def _filter_query(self, repo_info, limit, **filters):
        repo = repo_info["repo"]
        return getattr(repo, repo_info["filter"])(limit=limit, **filters)

    def get(self, oid):
        return len(self._db_query(oid))


class ProjectAPI(APIBase):
    pass


def formatted(oid, name):
    return getattr(formats["FormatAPI"]["repo"], name)(oid)
"""


def _converted(root, api: str = API) -> dict[str, str]:
    files = {"app/__init__.py": "", "app/models.py": "class Project:\n    pass\n"}
    files |= {"app/repositories.py": REPOSITORIES, "app/core.py": CORE, "app/api.py": api}
    write_tree(root, files)
    result = run("sqlalchemy-to-async", [root], write=True)
    assert result.count("failed") == 0
    converted = {name: (root / name).read_text() for name in files}
    for name, text in converted.items():
        compile(text, name, "exec", dont_inherit=True)
    return converted


def test_a_method_named_by_a_string_from_a_table_of_repositories_is_awaited(tmp_path):
    api = _converted(tmp_path)["app/api.py"]
    assert "    async def _db_query(self, oid):\n" in api
    assert "            return await self._filter_query(repo_info, 10)\n" in api
    assert "        return [await _awaited(getattr(repo, query_func)(oid))]\n" in api
    assert "    async def _filter_query(self, repo_info, limit, **filters):\n" in api
    assert '        return await _awaited(getattr(repo, repo_info["filter"])(limit=limit, **filters))\n' in api
    assert "    async def get(self, oid):\n        return len(await self._db_query(oid))\n" in api
    assert "async def _awaited(value):" in api
    assert "TODO(asyncshift)" not in api
    # a table holding only the sync Formatter: its calls stay as they were
    assert "def formatted(oid, name):\n    return getattr(formats" in api


def test_a_sync_function_calling_a_named_method_keeps_a_todo(tmp_path):
    api = API + (
        "\n\nclass Hooks:\n"
        "    def __repr__(self):\n"
        '        return str(getattr(repos["ProjectAPI"]["repo"], "get")(1))\n'
    )
    converted = _converted(tmp_path, api)["app/api.py"]
    assert "    def __repr__(self):\n        # TODO(asyncshift): getattr(" in converted


def test_a_receiver_of_known_type_and_a_literal_name_or_its_type():
    """A parameter annotated with the class, ``getattr(type(x), name)(x, ...)``; a literal name naming a coroutine
    method is awaited as it is, one naming a sync method is left alone."""
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Repository:
            def __init__(self, session: Session) -> None:
                self.session = session

            def save(self, row):
                self.session.add(row)
                self.session.commit()

            def describe(self, row):
                return repr(row)


        def dispatch(repo: Repository, action, row):
            return getattr(repo, action)(row)


        def unbound(repo: Repository, action, row):
            return getattr(type(repo), action)(repo, row)


        def literal(repo: Repository, row):
            getattr(repo, "save")(row)
            return getattr(repo, "describe")(row)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Repository:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def save(self, row):
                self.session.add(row)
                await self.session.commit()

            def describe(self, row):
                return repr(row)
        """
        + AWAITED
        + """

        async def dispatch(repo: Repository, action, row):
            return await _awaited(getattr(repo, action)(row))


        async def unbound(repo: Repository, action, row):
            return await _awaited(getattr(type(repo), action)(repo, row))


        async def literal(repo: Repository, row):
            await getattr(repo, "save")(row)
            return getattr(repo, "describe")(row)
        """,
    )


def test_a_receiver_nothing_follows_is_awaited_where_the_caller_awaits_and_a_todo_where_it_cannot():
    todo = (
        "# TODO(asyncshift): getattr(handler, name)() may be a coroutine now (Repository.save became async) and "
        "what 'handler' is is not known here; 'fire' does not become async: await it in async code if it is"
    )
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Repository:
            def __init__(self, session: Session) -> None:
                self.session = session

            def save(self, row):
                self.session.add(row)
                self.session.commit()


        def handle(handler, name, row, repo: Repository):
            repo.save(row)
            return getattr(handler, name)(row)


        def fire(handler, name):
            return getattr(handler, name)()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Repository:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def save(self, row):
                self.session.add(row)
                await self.session.commit()
        """
        + AWAITED
        + f"""

        async def handle(handler, name, row, repo: Repository):
            await repo.save(row)
            return await _awaited(getattr(handler, name)(row))


        def fire(handler, name):
            {todo}
            return getattr(handler, name)()
        """,
    )


def test_getattr_on_a_class_with_no_coroutine_methods_is_left_alone():
    """In a program where another class's methods became coroutine functions."""
    check_transformed(
        CODEMOD,
        """\
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


        def render(formatter: Formatter, style, row):
            return getattr(formatter, style)(row)


        def render_type(formatter: Formatter, style, row):
            return getattr(Formatter, style)(formatter, row)
        """,
        """\
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


        def render(formatter: Formatter, style, row):
            return getattr(formatter, style)(row)


        def render_type(formatter: Formatter, style, row):
            return getattr(Formatter, style)(formatter, row)
        """,
    )


def test_getattr_in_a_program_with_no_coroutines_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        def render(formatter, style, row):
            return getattr(formatter, style)(row)
        """,
    )


def test_a_name_built_on_a_prefix_reaches_only_the_methods_of_that_prefix():
    """``getattr(self, "on_" + kind)()``: the ``on_`` methods, one a coroutine function now, awaited through the
    helper; ``"show_" + kind`` names only sync methods of the same class: left alone."""
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Events:
            def __init__(self, session: Session) -> None:
                self.session = session

            def on_added(self, row):
                self.session.add(row)
                self.session.commit()

            def show_added(self, row):
                return repr(row)

            def fire(self, kind, row):
                return getattr(self, "on_" + kind)(row)

            def show(self, kind, row):
                return getattr(self, f"show_{kind}")(row)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession
        """
        + AWAITED
        + """

        class Events:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            async def on_added(self, row):
                self.session.add(row)
                await self.session.commit()

            def show_added(self, row):
                return repr(row)

            async def fire(self, kind, row):
                return await _awaited(getattr(self, "on_" + kind)(row))

            def show(self, kind, row):
                return getattr(self, f"show_{kind}")(row)
        """,
    )
