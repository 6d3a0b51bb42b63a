"""A view class's method called directly with its URL values positionally, as an old unit test does:
``view.get("alpha", "1.0")`` inside ``app.test_request_context()``.

The converted method takes the request first (``get(self, request: Request, name, version)``): the test's values
shifted, ``name`` landed on ``request`` ("get() missing 1 required positional argument: 'version'"). Where the call
lacks one parameter and no request stands where the request goes, the current request is put there.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import textwrap

from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, flash, request
    from flask.views import MethodView


    def once(view):
        return view


    class Release(MethodView):
        decorators = [once]

        def get(self, name, version):
            flash("seen")
            return {"name": name, "version": version, "path": request.path}


    def create_app():
        app = Flask(__name__)
        app.secret_key = "x"
        app.add_url_rule("/release/<name>/<version>", view_func=Release.as_view("release"))
        return app
""")


def _called_directly(app, module) -> list:
    answers = []
    with app.test_request_context("/here"):
        for call in (lambda v: v.get("alpha", "1.0"), lambda v: v.get("beta", version="2.0")):
            answer = call(module.Release())
            if inspect.iscoroutine(answer):
                answer = asyncio.run(answer)
            answers.append(answer if isinstance(answer, dict) else __import__("json").loads(answer.body))
    return answers


def test_a_view_method_called_with_its_values_positionally_gets_the_request(tmp_path):
    (tmp_path / "src" / "releaser").mkdir(parents=True)
    (tmp_path / "src" / "releaser" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "releaser", "create_app")
    before = _called_directly(flask_app, sys.modules["releaser"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "releaser" / "__init__.py").read_text()
    assert "def get(self, request: Request, name: str, version: str)" in converted
    fastapi_app = load(tmp_path / "out", "releaser", "create_app")
    assert _called_directly(fastapi_app, sys.modules["releaser"]) == before
    assert before == [
        {"name": "alpha", "version": "1.0", "path": "/here"},
        {"name": "beta", "version": "2.0", "path": "/here"},
    ]
