"""Dunders that must await: a constructor that loads is built with ``await Cls.create_async(...)``; a class
context manager whose ``__exit__`` commits becomes ``__aenter__``/``__aexit__``, entered with ``async with``."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD


def test_a_constructor_that_loads_is_built_with_await():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Restorer:
            # loads its user
            def __init__(self, user_id: int = 1, session: Session = None):
                self.session = session
                self.user = self.session.get(User, user_id)
                if not self.user:
                    raise ValueError(user_id)

            def name(self):
                return self.user.name


        def restore(session: Session, user_id):
            return Restorer(user_id, session=session).name()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Restorer:
            # loads its user
            def __init__(self, *args, **kwargs):
                raise TypeError("build Restorer with 'await Restorer.create_async(...)': building it loads data")

            @classmethod
            async def create_async(cls, user_id: int = 1, session: AsyncSession = None):
                self = cls.__new__(cls)
                await self._init_async(user_id, session)
                return self

            async def _init_async(self, user_id: int = 1, session: AsyncSession = None):
                self.session = session
                self.user = await self.session.get(User, user_id)
                if not self.user:
                    raise ValueError(user_id)

            def name(self):
                return self.user.name


        async def restore(session: AsyncSession, user_id):
            return (await Restorer.create_async(user_id, session=session)).name()
        """,
    )


def test_a_subclass_constructor_awaits_its_base_and_forwards_every_kind_of_parameter():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Base:
            def __init__(self, session: Session):
                self.user = session.get(User, 1)


        class Child(Base):
            def __init__(self, session, *more, extra=2, **rest):
                super().__init__(session)
                self.extra = extra
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Base:
            def __init__(self, *args, **kwargs):
                raise TypeError("build Base with 'await Base.create_async(...)': building it loads data")

            @classmethod
            async def create_async(cls, session: AsyncSession):
                self = cls.__new__(cls)
                await self._init_async(session)
                return self

            async def _init_async(self, session: AsyncSession):
                self.user = await session.get(User, 1)


        class Child(Base):
            def __init__(self, *args, **kwargs):
                raise TypeError("build Child with 'await Child.create_async(...)': building it loads data")

            @classmethod
            async def create_async(cls, session, *more, extra=2, **rest):
                self = cls.__new__(cls)
                await self._init_async(session, *more, extra=extra, **rest)
                return self

            async def _init_async(self, session, *more, extra=2, **rest):
                await super()._init_async(session)
                self.extra = extra
        """,
    )


def test_a_context_manager_that_commits_on_exit_is_entered_with_async_with():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class Unit:
            def __init__(self, session: Session):
                self.session = session

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.session.commit()


        def save(session: Session, user):
            with Unit(session) as unit:
                unit.session.add(user)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Unit:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def __aenter__(self):
                return self

            async def __aexit__(self, *exc):
                await self.session.commit()


        async def save(session: AsyncSession, user):
            async with Unit(session) as unit:
                unit.session.add(user)
        """,
    )


def test_a_subclass_context_manager_enters_and_exits_its_base_with_await():
    # a unit of work whose base rolls back in __exit__: super().__exit__ became __aexit__ (it was written
    # 'await super().__exit__.create_async(*args)', an AttributeError on every exit)
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        class AbstractUnit:
            session: Session

            def __enter__(self):
                return self

            def __exit__(self, *args):
                self.session.rollback()


        class Unit(AbstractUnit):
            def __init__(self, session: Session):
                self.session = session

            def __enter__(self):
                return super().__enter__()

            def __exit__(self, *args):
                super().__exit__(*args)
                self.session.close()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        class AbstractUnit:
            session: AsyncSession

            async def __aenter__(self):
                return self

            async def __aexit__(self, *args):
                await self.session.rollback()


        class Unit(AbstractUnit):
            def __init__(self, session: AsyncSession):
                self.session = session

            async def __aenter__(self):
                return await super().__aenter__()

            async def __aexit__(self, *args):
                await super().__aexit__(*args)
                await self.session.close()
        """,
    )


def test_dunders_that_do_not_load_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import select


        class Query:
            def __init__(self, model):
                self.statement = select(model)

            def __enter__(self):
                return self.statement

            def __exit__(self, *exc):
                return None


        def build(model):
            with Query(model) as statement:
                return statement
        """,
    )


def test_a_module_that_only_builds_such_a_class_at_import_gets_a_todo(tmp_path):
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/restorer.py": (
                "from sqlalchemy.orm import Session\n\n\nclass Restorer:\n"
                "    def __init__(self, session: Session):\n        self.user = session.get(User, 1)\n"
            ),
            "shop/setup.py": "from shop.restorer import Restorer\n\nRESTORER = Restorer(None)\n",
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert (
        (tmp_path / "shop/setup.py")
        .read_text()
        .endswith(
            "# TODO(asyncshift): Restorer() is built with await now: it needs an async function (or asyncio.run at "
            "the top)\nRESTORER = Restorer(None)\n"
        )
    )


def test_a_constructor_of_a_class_built_on_a_library_base_keeps_its_todo(tmp_path):
    """A form or model base from a library builds instances its own way (a metaclass, ``Model(**kw)`` in sync
    code): ``cls.__new__(cls)`` would skip it, so no factory is written and the loading call keeps its TODO."""
    write_tree(
        tmp_path,
        {
            "blog/__init__.py": "",
            "blog/forms.py": (
                "from flask_wtf import FlaskForm\nfrom sqlalchemy.orm import Session\n\n\n"
                "class PostForm(FlaskForm):\n"
                "    def __init__(self, session: Session, *args, **kwargs):\n"
                "        super().__init__(*args, **kwargs)\n"
                "        self.choices = session.execute(statement).all()\n"
            ),
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "blog/forms.py").read_text()
    assert "create_async" not in converted and "__init__(self, session" in converted
    assert "TODO(asyncshift)" in converted


def test_a_class_built_with_await_handed_on_as_a_value_gets_a_todo_there():
    check_transformed(
        CODEMOD,
        """\
        from functools import partial

        from sqlalchemy.orm import Session


        class Restorer:
            def __init__(self, session: Session):
                self.user = session.get(User, 1)


        def factories(session: Session):
            factory = Restorer
            return [factory, partial(Restorer, session)]
        """,
        """\
        from functools import partial

        from sqlalchemy.ext.asyncio import AsyncSession


        class Restorer:
            def __init__(self, *args, **kwargs):
                raise TypeError("build Restorer with 'await Restorer.create_async(...)': building it loads data")

            @classmethod
            async def create_async(cls, session: AsyncSession):
                self = cls.__new__(cls)
                await self._init_async(session)
                return self

            async def _init_async(self, session: AsyncSession):
                self.user = await session.get(User, 1)


        def factories(session: AsyncSession):
            # TODO(asyncshift): 'Restorer' is built with 'await Restorer.create_async(...)' now (building it loads data): whatever builds it from here with Restorer(...) raises TypeError
            factory = Restorer
            # TODO(asyncshift): 'Restorer' is built with 'await Restorer.create_async(...)' now (building it loads data): whatever builds it from here with Restorer(...) raises TypeError
            return [factory, partial(Restorer, session)]
        """,  # noqa: E501
    )


def test_a_class_built_with_await_read_but_not_handed_on_gets_no_todo():
    check_transformed(
        CODEMOD,
        """\
        from unittest import mock

        from sqlalchemy.orm import Session


        class Restorer:
            def __init__(self, session: Session):
                self.user = session.get(User, 1)


        def check(restorer: Restorer, other: object) -> bool:
            with mock.patch.object(Restorer, "user"):
                return isinstance(other, Restorer) and mock.Mock(spec=Restorer) is not None
        """,
        """\
        from unittest import mock

        from sqlalchemy.ext.asyncio import AsyncSession


        class Restorer:
            def __init__(self, *args, **kwargs):
                raise TypeError("build Restorer with 'await Restorer.create_async(...)': building it loads data")

            @classmethod
            async def create_async(cls, session: AsyncSession):
                self = cls.__new__(cls)
                await self._init_async(session)
                return self

            async def _init_async(self, session: AsyncSession):
                self.user = await session.get(User, 1)


        def check(restorer: Restorer, other: object) -> bool:
            with mock.patch.object(Restorer, "user"):
                return isinstance(other, Restorer) and mock.Mock(spec=Restorer) is not None
        """,
    )
