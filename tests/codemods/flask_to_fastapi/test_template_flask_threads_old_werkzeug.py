"""Before Werkzeug 2.0 Flask's context stacks were thread-locals: the per-request Flask app context must
reach the worker thread a sync view runs in (Flask-Mail's ``Message`` reads ``flask.current_app`` there).

A stand-in for Werkzeug 1.0's ``Local`` (``__storage__`` keyed by ``__ident_func__``, the thread's id) takes
the place of ``flask.globals._app_ctx_stack``; the worker thread gets a copy of the context variables, as
anyio's ``to_thread`` gives it.
"""

from __future__ import annotations

import contextvars
import importlib.util
import sys
import threading

import flask.globals
import pytest

from codemods.flask_to_fastapi import support


class ThreadLocal:
    """Werkzeug 1.0's ``Local``, reduced to what the stacks use."""

    __slots__ = ("__storage__", "__ident_func__")

    def __init__(self):
        object.__setattr__(self, "__storage__", {})
        object.__setattr__(self, "__ident_func__", threading.get_ident)

    def get(self):
        return self.__storage__.get(self.__ident_func__())

    def set(self, value):
        self.__storage__[self.__ident_func__()] = value


class Stack:
    def __init__(self):
        self._local = ThreadLocal()


@pytest.fixture
def flask_threads(monkeypatch):
    monkeypatch.setattr(flask.globals, "_app_ctx_stack", Stack(), raising=False)
    spec = importlib.util.spec_from_file_location("_flask_threads_under_test", support.TEMPLATE / "flask_threads.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _in_worker_thread(function):
    found = []
    context = contextvars.copy_context()  # what anyio.to_thread.run_sync hands the worker thread
    worker = threading.Thread(target=lambda: found.append(context.run(function)))
    worker.start()
    worker.join()
    return found[0]


def test_what_the_request_pushed_is_seen_by_its_worker_thread(flask_threads):
    local = flask.globals._app_ctx_stack._local
    token = flask_threads.follow_the_request()
    try:
        local.set("the app context")
        assert _in_worker_thread(local.get) == "the app context"
    finally:
        flask_threads.leave(token)
    assert local.get() is None  # outside the request: the thread's own, as before


def test_two_requests_do_not_share_their_contexts(flask_threads):
    local = flask.globals._app_ctx_stack._local
    first = flask_threads.follow_the_request()
    local.set("first")
    second = flask_threads.follow_the_request()
    assert local.get() is None
    flask_threads.leave(second)
    assert local.get() == "first"
    flask_threads.leave(first)
