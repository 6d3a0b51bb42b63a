"""A method overriding a sync method of a library's base class (read from the library's source), or handed to the
library in its class body, is called by the library without awaiting: held sync, its awaits run to their end there.
Names the run's own bases define, a library's async method, a library that cannot be read, dunders and
flask-to-fastapi's converted views keep their colour as before (issue 14)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import library_sources

LIBRARY = {
    "restlib/__init__.py": "from .resource import ResourceList  # noqa\n",
    "restlib/compat.py": """\
        def with_metaclass(meta, *bases):
            return meta("temporary", bases, {})
        """,
    "restlib/views.py": """\
        class MethodView:
            def dispatch_request(self, *args, **kwargs):
                return getattr(self, "get")(*args, **kwargs)
        """,
    "restlib/resource.py": """\
        from . import views
        from .compat import with_metaclass


        class ResourceMeta(type):
            pass


        class Resource(with_metaclass(ResourceMeta, views.MethodView)):
            def get(self, *args, **kwargs):
                self.before_get(args, kwargs)
                return self._data_layer.query(kwargs)

            def before_get(self, args, kwargs):
                pass

            def after_get(self, result):
                pass

            async def stream(self):
                pass


        class ResourceList(Resource):
            pass
        """,
    "_flask_compat/__init__.py": """\
        class MethodView:
            def dispatch_request(self, *args, **kwargs):
                pass

            def get(self, *args, **kwargs):
                pass
        """,
}

APP = """\
from flask_sqlalchemy import SQLAlchemy
from restlib import ResourceList
from _flask_compat import MethodView

db = SQLAlchemy()


class Event(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Counting:
    def after_get(self, result):
        result["count"] = Event.query.count()


class Totals(Counting):  # no library's class: a sibling of one, code typed with the mixin calls it too
    def after_get(self, result):
        result["total"] = db.session.get(Event, 1)


class BaseList(ResourceList):
    def check(self, kwargs):
        return db.session.get(Event, kwargs["id"])

    def before_get(self, args, kwargs):
        self.check(kwargs)


class EventList(Counting, BaseList):
    def before_get(self, args, kwargs):
        super().before_get(args, kwargs)
        self.event = db.session.get(Event, 1)

    def check(self, kwargs):
        return Event.query.filter_by(id=kwargs["id"]).first()

    def query(self, view_kwargs):
        return self.check(view_kwargs)

    def stream(self):
        return Event.query.all()

    def __repr__(self):
        return repr(Event.query.first())

    data_layer = {"session": db.session, "model": Event, "methods": {"query": query}}


class EventView(MethodView):
    def get(self, event_id):
        return db.session.get(Event, event_id)


def show(kwargs):
    resource = EventList()
    resource.before_get((), kwargs)
    return resource.check(kwargs)
"""


def _convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: bool = True) -> str:
    library = write_tree(tmp_path / "site", {k: textwrap.dedent(v) for k, v in LIBRARY.items()})
    monkeypatch.setenv(library_sources.SITE_VARIABLE, str(library) if site else "")
    app = write_tree(tmp_path / "app", {"views.py": APP})
    result = run("sqlalchemy-to-async", [app], write=True)
    assert not [f for f in result.files if f.status == "failed"]
    after = (app / "views.py").read_text()
    compile(after, "views.py", "exec", dont_inherit=True)
    return after


def test_overrides_of_a_library_base_sync_method_stay_sync(tmp_path, monkeypatch):
    after = _convert(tmp_path, monkeypatch)
    # the library calls ``before_get`` and ``after_get`` (a mixin of the run providing it, and so its other
    # subclasses) without awaiting
    assert "\n        _run_to_end(self.check(kwargs))\n" in after
    assert "        super().before_get(args, kwargs)\n" in after
    assert "async def before_get" not in after and "async def after_get" not in after
    assert "'before_get' overrides restlib.ResourceList.before_get, a sync method of the library" in after
    assert "'after_get' overrides restlib.ResourceList.after_get" in after
    # a name the run's own base defines (no library's): async, awaited by an async caller
    assert "    async def check(self, kwargs):\n        return await db.session.get(Event, kwargs" in after
    # handed to the library in the class body (its data layer calls it): sync, run to its end
    assert "    def query(self, view_kwargs):\n" in after
    assert "'query' is handed to restlib.ResourceList in the body of EventList" in after
    assert "        return _run_to_end(self.check(view_kwargs))" in after
    # the library's own method is async: the override may be
    assert "    async def stream(self):" in after
    # a dunder: Python's rule, as before
    assert "'__repr__' is called by Python" in after
    # the run's caller of a held method does not await it
    assert "    resource.before_get((), kwargs)\n    return await resource.check(kwargs)\n" in after
    # flask-to-fastapi's converted view: async on purpose
    assert "    async def get(self, event_id):\n        return await db.session.get(Event, event_id)" in after


def test_an_unreadable_library_holds_nothing(tmp_path, monkeypatch):
    after = _convert(tmp_path, monkeypatch, site=False)
    assert "    async def before_get(self, args, kwargs):" in after
    assert "overrides restlib" not in after


def test_library_classes_are_read_through_reexports_and_metaclass_helpers(tmp_path, monkeypatch):
    library = write_tree(tmp_path / "site", {k: textwrap.dedent(v) for k, v in LIBRARY.items()})
    monkeypatch.setenv(library_sources.SITE_VARIABLE, str(library))

    class Run:  # what ``methods`` keeps its cache on
        pass

    found = library_sources.methods(Run(), "restlib.ResourceList")
    assert found == {
        "get": False,
        "before_get": False,
        "after_get": False,
        "stream": True,
        "dispatch_request": False,
    }
    assert library_sources.methods(Run(), "restlib.Missing") is None
