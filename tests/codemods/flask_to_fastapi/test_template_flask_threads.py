"""An extension's context processor reads ``flask.current_app`` in whatever thread renders the template.

Before Werkzeug 2.0 Flask's contexts were thread-locals: the app context pushed per request is not seen by
the worker thread a sync view runs in. A plain thread stands for that here (it copies no contextvars).
"""

from __future__ import annotations

import sys
import threading

from side_by_side import convert_tree, load

EXTENSION = """\
import flask


class MomentLike:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.extensions['moment_like'] = self
        app.context_processor(self.context_processor)

    def context_processor(self):
        return {'moment_name': type(flask.current_app.extensions['moment_like']).__name__}
"""
APP = """\
from flask import Flask, render_template_string

from moment_like import MomentLike

app = Flask(__name__)
moment = MomentLike(app)


@app.route('/')
def index():
    return render_template_string('{{ moment_name }}')
"""


def test_a_template_rendered_in_another_thread_sees_the_extensions_flask_app(tmp_path):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "threads_app.py").write_text(APP)
    (tmp_path / "moment_like.py").write_text(EXTENSION)
    convert_tree(source, tmp_path / "out")
    (tmp_path / "out" / "moment_like.py").write_text(EXTENSION)
    app = load(tmp_path / "out", "threads_app")
    helpers = sys.modules["_flask_compat"]
    rendered: list[str] = []
    with app.test_request_context("/") as context:

        def render() -> None:
            try:
                rendered.append(helpers.render_template_string(context.request, "{{ moment_name }}"))
            except RuntimeError as error:  # Working outside of application context
                rendered.append(str(error))

        worker = threading.Thread(target=render)  # a new thread: no contextvars, as Werkzeug's thread-locals
        worker.start()
        worker.join()
    assert rendered == ["MomentLike"]
