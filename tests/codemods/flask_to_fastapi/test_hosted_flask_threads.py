"""The Flask app hosting a REST extension (``flask_hosted``) keeps its contexts apart from the request's, before
Werkzeug 2.0 too.

There Flask's stacks are keyed by the request being served (``flask_threads``), and the host runs in a worker
thread with a copy of the request's context: the host's app context went on the request's stack, where the
converted app pushes and pops the Flask app context that saves the session (Flask-Session's interface) as the host
answers, from the event loop's thread: "Popped wrong app context" on both sides. The stand-in for Werkzeug 1.0's
``Local`` is ``test_template_flask_threads_old_werkzeug``'s.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import flask.globals
from test_template_flask_threads_old_werkzeug import Stack, _in_worker_thread

import codemods.flask_to_fastapi as package


def test_the_hosts_app_context_is_not_pushed_on_the_requests_stack(monkeypatch):
    monkeypatch.setattr(flask.globals, "_app_ctx_stack", Stack(), raising=False)
    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    threads = importlib.import_module("_flask_compat.flask_threads")
    hosted = importlib.import_module("_flask_compat.flask_hosted")
    local = flask.globals._app_ctx_stack._local

    def host(environ: dict, start_response: object) -> list[bytes]:
        local.set("the host's")
        return [local.get()]

    token = threads.follow_the_request()
    try:
        local.set("the request's")
        assert _in_worker_thread(lambda: hosted._with_serving_loop(host)({}, None)) == ["the host's"]
        assert local.get() == "the request's"
    finally:
        threads.leave(token)
