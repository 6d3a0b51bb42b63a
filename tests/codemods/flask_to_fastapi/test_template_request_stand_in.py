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

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

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


HEADERS_LIBRARY = textwrap.dedent("""\
    class Headers:
        def init_app(self, app):
            app.after_request(self._after)

        def _after(self, response):
            options = {"csp": "default-src 'self'"}
            self._set_csp(response.headers, options)
            return response

        def _set_csp(self, headers, options):
            if options["csp"]:
                headers["Content-Security-Policy"] = options["csp"]
""")

PATH_SOURCE = textwrap.dedent("""\
    from flask import Flask, request
    from headerlib import Headers


    class AppHeaders(Headers):
        def _set_csp(self, headers, options):
            if request.path.startswith("/admin"):
                options["csp"] = None
            return super()._set_csp(headers, options)


    headers = AppHeaders()
    app = Flask(__name__)
    headers.init_app(app)


    @app.route("/<path:page>")
    def page(page):
        return page
""")


def _paths_read(app, module) -> list:
    """A class attribute (``type("MockRequest", (), {"path": ...})()``) and a Mock's own attribute, read with no
    request context pushed, as the test patching them did; then served requests."""
    mock_request = mock.MagicMock()
    mock_request.path = "/admin/users"
    read = []
    for stand_in in (type("MockRequest", (), {"path": "/admin/test"})(), mock_request, type("R", (), {"path": "/x"})()):
        options = {"csp": "on"}
        with mock.patch.object(module, "request", stand_in):
            module.headers._set_csp({}, options)
        read.append(options["csp"])
    client = app.test_client() if hasattr(app, "test_client") else FlaskStyleClient(app)
    read += [client.get(path).headers.get("Content-Security-Policy") for path in ("/admin/page", "/public")]
    return read


def test_a_stand_in_request_answers_its_own_path(tmp_path):
    """Flask's code read ``request.path`` on the stand-in; the converted module reads ``request_path(request)``,
    which read a scope the stand-in lacks (AttributeError: 'MockRequest' object has no attribute 'scope')."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "headerlib.py").write_text(HEADERS_LIBRARY)
    (tmp_path / "src" / "standinpath").mkdir(parents=True)
    (tmp_path / "src" / "standinpath" / "__init__.py").write_text(PATH_SOURCE)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "standinpath")
        before = _paths_read(flask_app, sys.modules["standinpath"])
        convert_tree(tmp_path / "src", tmp_path / "out")
        assert "request_path(request)" in (tmp_path / "out" / "standinpath" / "__init__.py").read_text()
        fastapi_app = load(tmp_path / "out", "standinpath")
        after = _paths_read(fastapi_app, sys.modules["standinpath"])
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        sys.modules.pop("headerlib", None)
    assert before == [None, None, "on", None, "default-src 'self'"]
    assert after == before
