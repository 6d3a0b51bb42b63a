"""A library's class-based view calls what the app hands it without awaiting (issue 14).

(1) A decorator named in the ``decorators`` of a class built on a library's view (its ``as_view`` applies them to
the sync view function it makes) got an ``async def`` wrapper once it queried: the library's view function handed
the caller a coroutine, never awaited. The decorator now hands sync functions a sync twin, its awaits run on the
serving loop, and coroutine functions (an async view) the async wrapper.
(2) A function handed to an object of a sync library (``api.permission_manager(check)``, which the library's own
wrapper calls) became a coroutine function: it stays sync, its awaits run to their end there, what it calls through
a table of functions that became coroutine functions too.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_USER, run_with_flask_db, write_tree

from codemods.base import Notes
from codemods.runner import run
from codemods.sqlalchemy_to_async import library_sources

LIBRARY = {
    "viewkit/__init__.py": "from .api import Api  # noqa\nfrom .views import Resource  # noqa\n",
    "viewkit/views.py": """\
        class View:
            decorators = ()

            @classmethod
            def as_view(cls, name):
                def view(*args, **kwargs):
                    return cls().dispatch_request(*args, **kwargs)

                for decorator in cls.decorators:
                    view = decorator(view)
                return view

            def dispatch_request(self, *args, **kwargs):
                raise NotImplementedError


        class Resource(View):
            def dispatch_request(self, *args, **kwargs):
                return {"data": self.get(*args, **kwargs)}

            def get(self, *args, **kwargs):
                return self.before_get(kwargs)

            def before_get(self, kwargs):
                return None
        """,
    "viewkit/api.py": """\
        from functools import wraps


        class Api:
            def __init__(self, app=None):
                self.app = app

            def permission_manager(self, manager):
                self.check_permissions = manager

            def has_permission(self, *args):
                def wrapper(view):
                    @wraps(view)
                    def decorated(*view_args, **view_kwargs):
                        return self.check_permissions(view, view_args, view_kwargs, *args)

                    return decorated

                return wrapper
        """,
}

APP = (
    FLASK_DB_USER
    + """\
    seen = db.Column(db.Integer, default=0)


from functools import wraps

from viewkit import Api, Resource

api = Api(app)


def login_required(fn):
    @wraps(fn)
    def decorator(*args, **kwargs):
        user = db.session.get(User, 1)
        user.seen = (user.seen or 0) + 1
        db.session.commit()
        return fn(*args, **kwargs)

    return decorator


def is_named(view, view_args, view_kwargs, name):
    if db.session.get(User, view_kwargs["id"]).name != name:
        return {"error": "forbidden"}
    return view(*view_args, **view_kwargs)


CHECKS = {"named": is_named}


def permission_manager(view, view_args, view_kwargs, *args):
    if db.session.get(User, 1) is None:
        return {"error": "no users"}
    return CHECKS[args[0]](view, view_args, view_kwargs, *args[1:])


api.permission_manager(permission_manager)


class UserDetail(Resource):
    decorators = (login_required,)

    def before_get(self, kwargs):
        return db.session.get(User, kwargs["id"]).name


class UserName(Resource):
    decorators = (api.has_permission("named", "ann"),)

    def before_get(self, kwargs):
        return db.session.get(User, kwargs["id"]).name


@login_required
def show(user_id):
    return db.session.get(User, user_id).name


def add(name):
    db.session.add(User(name=name))
    db.session.commit()
"""
)

RUN = """\
import asyncio, json
import program


async def setup():
    program.db.create_all()
    await program.add("ann")
    return await program.show(1)


shown = asyncio.run(setup())
answer = program.UserDetail.as_view("user")(id=1)
named = program.UserName.as_view("name")(id=1)


async def seen():
    found = await program.db.session.get(program.User, 1)
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return found.seen


print(json.dumps({"shown": shown, "answer": answer, "named": named, "seen": asyncio.run(seen())}))
"""


def _convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    library = write_tree(tmp_path / "site", {k: textwrap.dedent(v) for k, v in LIBRARY.items()})
    monkeypatch.setenv(library_sources.SITE_VARIABLE, str(library))
    app = write_tree(tmp_path / "app", {"program.py": APP})
    result = run("sqlalchemy-to-async", [app], write=True)
    assert not [f for f in result.files if f.status == "failed"]
    after = (app / "program.py").read_text()
    compile(after, "program.py", "exec", dont_inherit=True)
    return after, library


def test_a_library_views_decorators_get_a_sync_twin(tmp_path, monkeypatch):
    after, _ = _convert(tmp_path, monkeypatch)
    assert "    async def decorator(*args, **kwargs):\n" in after
    assert "        return await _awaited(fn(*args, **kwargs))\n" in after
    twin = after.split("    def decorator_sync(*args, **kwargs):\n")[1].split("\n\n")[0]
    assert "        user = _on_serving_loop(db.session.get(User, 1))\n" in twin
    assert "        _on_serving_loop(db.session.commit())\n" in twin
    assert twin.endswith("        return _on_serving_loop(fn(*args, **kwargs))")  # a sync view's answer as it is
    assert "    return decorator if _is_coroutine_function(fn) else decorator_sync\n" in after
    assert "'decorator_sync' is 'decorator' for the sync functions it decorates" in after
    assert "async def show(user_id):" in after  # the app's own coroutine function keeps the async wrapper


def test_a_function_handed_to_a_sync_library_stays_sync(tmp_path, monkeypatch):
    after, _ = _convert(tmp_path, monkeypatch)
    assert "\ndef permission_manager(view, view_args, view_kwargs, *args):\n" in after
    assert "'permission_manager' is handed to viewkit.Api.permission_manager(...), whose caller does not" in after
    assert "    if db.sync_session.get(User, 1) is None:\n" in after
    # what it calls through a table that became coroutine functions runs to its end there
    assert "    return _run_to_end(CHECKS[args[0]](view, view_args, view_kwargs, *args[1:]))\n" in after
    assert "async def is_named(view, view_args, view_kwargs, name):" in after
    assert "    def before_get(self, kwargs):\n" in after  # the library's hook (library_overrides)


def test_the_library_view_answers_and_the_decorator_runs(tmp_path, monkeypatch):
    after, library = _convert(tmp_path, monkeypatch)
    notes = Notes(files={p.name: p.read_text() for p in (tmp_path / "app").glob("_*.py")})
    folder = tmp_path / "run"
    folder.mkdir()
    script = RUN.replace("import program\n", f"import sys\nsys.path.append({str(library)!r})\nimport program\n", 1)
    done = run_with_flask_db(folder, after, notes, "file", script)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"shown": "ann", "answer": {"data": "ann"}, "named": {"data": "ann"}, "seen": 2}
