"""A test's ``flask.current_app.test_request_context()`` in the converted app's context, around app code that builds
a URL (a mail helper rendering ``url_for(..., _external=True)`` in its template, or calling ``url_for``).

``flask.current_app`` is then the Flask app standing for the converted one (``stand_in``), and the Starlette request
made of that Flask request (``own_flask_context``) had the stand-in as its app: ``url_for`` read its ``routes``,
which a Flask app has not ("AttributeError: routes"; a forum's mail tests). The request's app is now the converted
app the stand-in stands for; a test's own bare Flask app stays the request's app (``test_template_own_flask_context``).
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, render_template_string, url_for

    app = Flask(__name__)


    @app.route("/reset/<token>")
    def reset(token):
        return token


    def reset_link(token):
        page = render_template_string("{{ url_for('reset', token=token, _external=True) }}", token=token)
        return page, url_for("reset", token=token)
""")


def _links(app, module) -> tuple:
    import flask

    with app.app_context():  # the tests' fixture pushes one
        with flask.current_app.test_request_context():
            return module.reset_link("abc")


def test_url_for_in_flask_s_request_context_of_the_app_builds_the_app_s_urls(tmp_path):
    (tmp_path / "src" / "ownreq").mkdir(parents=True)
    (tmp_path / "src" / "ownreq" / "__init__.py").write_text(SOURCE)
    before = _links(load(tmp_path / "src", "ownreq"), sys.modules["ownreq"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    after = _links(load(tmp_path / "out", "ownreq"), sys.modules["ownreq"])
    assert before == ("http://localhost/reset/abc", "/reset/abc")
    assert after == before
