"""Await propagation through instances a decorator keeps in a registry and calls later.

``@registry.register(Note) class NoteRenderer(Renderer)``: the decorator factory's inner function builds one
instance of each class it decorates into a dict (``self.renderers[kind] = cls()``), and the registry calls it
(``renderer = self.renderers[type(value)]; renderer(value)``), which runs the class's ``__call__``. Once that
``__call__`` awaited (its ``render`` queries), the registry built a list of coroutines nothing awaited, and so did
every helper handed the registry's function as a callback (``on_results=registry.render``).
"""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD, sync_views

SERVING_LOOP = textwrap.dedent(sync_views.CODE.format(name="_on_serving_loop", key=sync_views.LOOP_KEY)).strip("\n")
HELD = (
    "# TODO(asyncshift): 'page' is a method Flask-RESTful calls without awaiting (a class-based view): on_results() "
    "and the coroutines after it run on the event loop serving the request (_on_serving_loop) while this thread "
    "waits; end state: an async FastAPI route"
)

TODO = (
    "# TODO(asyncshift): renderer() may call a coroutine function now (Renderer.__call__) or a sync callable the "
    "codemod cannot make one: awaited through _awaited; make them all coroutine functions"
)
REGISTRY = """\
class Registry:
    def __init__(self):
        self.renderers = {}

    def register(self, kind):
        def wrapped(cls):
            self.renderers[kind] = cls()
            return cls

        return wrapped
"""


def test_instances_a_decorator_factory_registers_are_awaited_where_the_registry_calls_them():
    """The registry's call of what it holds is awaited, its function becomes a coroutine function, and so does the
    helper calling it as a callback handed by keyword (and that helper's caller)."""
    check_transformed(
        CODEMOD,
        f"""\
        from sqlalchemy.orm import Session


        class Note:
            pass


        class Renderer:
            def __call__(self, item):
                return self.render(item)

            def render(self, item):
                return {{}}


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            def render(self, value):
                if not isinstance(value, list):
                    return self.render([value])[0]
                renderer = self.renderers[type(value[0])]
                return [renderer(item) for item in value]


        registry = Registry()
        register = registry.register


        @register(Note)
        class NoteRenderer(Renderer):
            def render(self, item, session: Session):
                return {{"title": session.get(Note, item.id).title}}


        class Listing:
            def page(self, rows, on_results=None):
                rows = rows[:10]
                if on_results:
                    rows = on_results(rows)
                return rows

            def get(self, rows):
                return self.page(rows, on_results=registry.render)
        """,
        f"""\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Note:
            pass


        class Renderer:
            async def __call__(self, item):
                return await self.render(item)

            async def render(self, item):
                return {{}}


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            async def render(self, value):
                if not isinstance(value, list):
                    return (await self.render([value]))[0]
                renderer = self.renderers[type(value[0])]
                return [await renderer(item) for item in value]


        registry = Registry()
        register = registry.register


        @register(Note)
        class NoteRenderer(Renderer):
            async def render(self, item, session: AsyncSession):
                return {{"title": (await session.get(Note, item.id)).title}}


        class Listing:
            async def page(self, rows, on_results=None):
                rows = rows[:10]
                if on_results:
                    rows = await on_results(rows)
                return rows

            async def get(self, rows):
                return await self.page(rows, on_results=registry.render)
        """,
    )


def test_a_registered_class_without_a_call_of_the_run_makes_the_registry_await_through_the_helper_with_a_todo():
    """One registered class has no ``__call__`` of the run: what calling its instance does is not followed, so the
    registry's call is awaited through ``_awaited`` with a TODO naming the coroutine ``__call__``."""
    check_transformed(
        CODEMOD,
        f"""\
        from sqlalchemy.orm import Session


        class Renderer:
            def __call__(self, item, session: Session):
                return session.get(Renderer, item.id)


        class Plain:
            pass


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            def render(self, value, session: Session):
                renderer = self.renderers[type(value)]
                return renderer(value, session)


        registry = Registry()


        @registry.register(int)
        class IntRenderer(Renderer):
            pass


        @registry.register(str)
        class StrRenderer(Plain):
            pass
        """,
        f"""\
        from sqlalchemy.ext.asyncio import AsyncSession


        class Renderer:
            async def __call__(self, item, session: AsyncSession):
                return await session.get(Renderer, item.id)


        class Plain:
            pass


        async def _awaited(value):
            \"\"\"What a wrapped function gave, awaited when it is a coroutine (written by asyncshift).\"\"\"
            import inspect

            return await value if inspect.isawaitable(value) else value


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            async def render(self, value, session: AsyncSession):
                renderer = self.renderers[type(value)]
                {TODO}
                return await _awaited(renderer(value, session))


        registry = Registry()


        @registry.register(int)
        class IntRenderer(Renderer):
            pass


        @registry.register(str)
        class StrRenderer(Plain):
            pass
        """,
    )


def test_a_registry_of_sync_instances_is_left_sync():
    """Every registered ``__call__`` is sync: the registry stays sync beside a caller that became async."""
    source = f"""\
        from sqlalchemy.orm import Session


        class Renderer:
            def __call__(self, item):
                return {{"id": item.id}}


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            def render(self, value):
                return self.renderers[type(value)](value)


        registry = Registry()


        @registry.register(int)
        class IntRenderer(Renderer):
            pass


        def save(session: Session, value):
            session.add(registry.render(value))
            session.commit()
        """
    expected = source.replace("orm import Session", "ext.asyncio import AsyncSession")
    expected = expected.replace("def save(session: Session", "async def save(session: AsyncSession")
    check_transformed(CODEMOD, source, expected.replace("session.commit()", "await session.commit()"))


def test_a_view_flask_calls_without_awaiting_runs_the_callback_on_the_serving_loop():
    """The helper taking the callback is a method of a Flask-RESTful view with its own ``dispatch_request`` (held
    sync): the callback's call runs on the loop serving the request, as the view's other coroutine calls do."""
    check_transformed(
        CODEMOD,
        f"""\
        from flask_restful import Resource
        from sqlalchemy.orm import Session


        class Renderer:
            def __call__(self, item, session: Session):
                return session.get(Renderer, item.id)


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            def render(self, value):
                renderer = self.renderers[type(value[0])]
                return [renderer(item, None) for item in value]


        registry = Registry()


        @registry.register(int)
        class IntRenderer(Renderer):
            pass


        class ApiBase(Resource):
            def dispatch_request(self, *args, **kwargs):
                return super().dispatch_request(*args, **kwargs)

            def page(self, rows, on_results=None):
                if on_results:
                    rows = on_results(rows)
                return rows


        class Listing(ApiBase):
            def get(self):
                return self.page([1], on_results=registry.render)
        """,
        f"""\
        from flask_restful import Resource
        from sqlalchemy.ext.asyncio import AsyncSession


        class Renderer:
            async def __call__(self, item, session: AsyncSession):
                return await session.get(Renderer, item.id)


        {REGISTRY.replace(chr(10), chr(10) + "        ")}
            async def render(self, value):
                renderer = self.renderers[type(value[0])]
                return [await renderer(item, None) for item in value]


        registry = Registry()


        @registry.register(int)
        class IntRenderer(Renderer):
            pass


        {SERVING_LOOP.replace(chr(10), chr(10) + "        ")}


        class ApiBase(Resource):
            def dispatch_request(self, *args, **kwargs):
                return super().dispatch_request(*args, **kwargs)

            def page(self, rows, on_results=None):
                if on_results:
                    {HELD}
                    rows = _on_serving_loop(on_results(rows))
                return rows


        class Listing(ApiBase):
            def get(self):
                return self.page([1], on_results=registry.render)
        """,
    )


def test_a_method_called_on_what_a_registry_of_classes_builds_is_awaited():
    """``manager.get(kind)`` builds an instance of a class ``manager.add(kind, Cls)`` registered: its method that
    became async is awaited where it is called, and the caller becomes async; its sync method stays as it is."""
    source = """\
        from sqlalchemy.orm import Session


        class Manager:
            def __init__(self):
                self.senders = {}

            def add(self, name, cls):
                self.senders[name] = cls

            def get(self, name, **kwargs):
                try:
                    cls = self.senders[name]
                except KeyError:
                    raise ValueError(name)
                return cls(**kwargs)


        class Sender:
            def should_send(self, session: Session, task):
                return session.get(Sender, task) is not None

            def send(self, task):
                return task


        class MailSender(Sender):
            pass


        manager = Manager()
        manager.add("mail", MailSender)
        manager.add("other", Sender)


        def notify(session: Session, task, kinds):
            for kind in kinds:
                sender = manager.get(kind)
                if not sender.should_send(session, task):
                    continue
                sender.send(task)
        """
    expected = (
        source.replace("orm import Session", "ext.asyncio import AsyncSession")
        .replace("session: Session", "session: AsyncSession")
        .replace("def should_send", "async def should_send")
        .replace("return session.get(", "return await session.get(")
        .replace("def notify", "async def notify")
        .replace("not sender.should_send(", "not await sender.should_send(")
    )
    check_transformed(CODEMOD, source, expected)


def test_a_package_variable_hiding_its_submodule_of_the_same_name_is_the_registry(tmp_path):
    """``from . import manager`` where the package's ``__init__`` says ``manager = Manager()`` beside its submodule
    ``manager.py``: Python gives the package's variable (it hides the submodule), so the registry's ``get`` is
    followed and the method called on what it builds is awaited."""
    write_tree(
        tmp_path,
        {
            "senders/__init__.py": (
                "from .base import Sender\nfrom .manager import Manager\n\n"
                'manager = Manager()\nmanager.add("mail", Sender)\n'
            ),
            "senders/manager.py": (
                "class Manager:\n    def __init__(self):\n        self.senders = {}\n\n"
                "    def add(self, name, cls):\n        self.senders[name] = cls\n\n"
                "    def get(self, name):\n        cls = self.senders[name]\n        return cls()\n"
            ),
            "senders/base.py": (
                "from sqlalchemy.orm import Session\n\n\nclass Sender:\n"
                "    def should_send(self, session: Session, task):\n"
                "        return session.get(Sender, task) is not None\n"
            ),
            "senders/utils.py": (
                "from . import manager\n\n\ndef notify(session, task, kind):\n"
                "    sender = manager.get(kind)\n    return sender.should_send(session, task)\n"
            ),
        },
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    utils = (tmp_path / "senders" / "utils.py").read_text()
    assert "async def notify(" in utils and "return await sender.should_send(session, task)" in utils
