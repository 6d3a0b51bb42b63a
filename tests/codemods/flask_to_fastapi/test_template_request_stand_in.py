"""A test's stand-in patched over a module's ``request`` (``mock.patch("pkg.decorators.request", m)`` with
``m.endpoint = "admin.users.list"``), read by a view decorator's wrapper: Flask's code read ``request.endpoint``
on the stand-in; the converted wrapper reads ``request_endpoint(request)``, which looked the stand-in's route up
as a Starlette request's and answered a Mock. The stand-in's own attribute is now what it answers.
"""

from __future__ import annotations

import sys
import textwrap
from unittest import mock

from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from functools import wraps

    from flask import Flask, request


    def page_named(f):
        @wraps(f)
        def wrapped(*args, **kwargs):
            return request.endpoint.replace(".", "/") + ".html: " + f(*args, **kwargs)

        return wrapped


    app = Flask(__name__)


    @app.route("/")
    @page_named
    def index():
        return "home"
""")


def _called(app, module) -> list[str]:
    stand_in = mock.MagicMock()
    stand_in.endpoint = "admin.users.list"
    with app.test_request_context("/"):
        served = module.page_named(lambda: "served")()
        with mock.patch.object(module, "request", stand_in):
            patched = module.page_named(lambda: "patched")()
    return [served, patched]


def test_a_stand_in_request_answers_its_own_endpoint(tmp_path):
    (tmp_path / "src" / "standin").mkdir(parents=True)
    (tmp_path / "src" / "standin" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "standin")
    before = _called(flask_app, sys.modules["standin"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "request_endpoint(request)" in (tmp_path / "out" / "standin" / "__init__.py").read_text()
    fastapi_app = load(tmp_path / "out", "standin")
    assert before == ["index.html: served", "admin/users/list.html: patched"]
    assert _called(fastapi_app, sys.modules["standin"]) == before
