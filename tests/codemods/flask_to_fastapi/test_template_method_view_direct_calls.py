"""A view class's method called directly, as an old unit test does: ``Cls().post()`` inside
``app.test_request_context(method="POST")``, with no request argument.

Flask's methods took none; the converted ones take the ``Request`` FastAPI hands them (the method flashes), so the
call raised "post() missing 1 required positional argument: 'request'". A class routed through a registration
helper (``view_class``) or with ``decorators`` (``method_view``) now gets the current request in such a call.
"""

from __future__ import annotations

import inspect
import textwrap

from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, flash, redirect, url_for
    from flask.views import MethodView


    def register_view(bp_or_app, routes, view_func):
        for route in routes:
            bp_or_app.add_url_rule(route, view_func=view_func)


    def once(view):
        return view


    class Greeting(MethodView):
        def post(self):
            flash("saved")
            return redirect(url_for("greeting"))


    class Counted(MethodView):
        decorators = [once]

        def post(self):
            flash("counted")
            return redirect(url_for("counted"))


    def create_app():
        app = Flask(__name__)
        app.secret_key = "x"
        register_view(app, routes=["/greeting"], view_func=Greeting.as_view("greeting"))
        app.add_url_rule("/counted", view_func=Counted.as_view("counted"))
        return app
""")


def _called_directly(app, module) -> list:
    """What each class's ``post()`` answers when a test calls it in a POST request context of its own."""
    import asyncio

    answers = []
    for cls in (module.Greeting, module.Counted):
        with app.test_request_context("/", method="POST"):
            response = cls().post()
            if inspect.iscoroutine(response):
                response = asyncio.run(response)
            answers.append((response.status_code, response.headers["Location"]))
    return answers


def test_a_view_method_called_without_the_request_answers_as_flasks(tmp_path):
    import sys

    (tmp_path / "src" / "greeter").mkdir(parents=True)
    (tmp_path / "src" / "greeter" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "greeter", "create_app")
    before = _called_directly(flask_app, sys.modules["greeter"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "greeter" / "__init__.py").read_text()
    assert "def post(self, request: Request)" in converted
    fastapi_app = load(tmp_path / "out", "greeter", "create_app")
    assert _called_directly(fastapi_app, sys.modules["greeter"]) == before == [(302, "/greeting"), (302, "/counted")]
