"""A suite that replaces Flask's ``request.get_json`` in a test request context (``monkeypatch.setattr(
'flask.request.get_json', lambda: {...})``) and calls the app's code that reads the request's JSON.

The converted code reads the JSON through the helper (``request_json(request)``), from the body of the helper's
request: empty, so it answered 415 where Flask's code got the test's dict. The test request context pushes Flask's
too (its twin, for ``flask.request``); a ``get_json`` the test set on Flask's request is what the helper reads.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner

FILES = {
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            return app
        """
    ),
    "pkg/loaders.py": textwrap.dedent(
        """\
        import functools

        from flask import request


        def with_payload(fn):
            @functools.wraps(fn)
            def decorated(*args, **kwargs):
                return fn(request.get_json(), *args, **kwargs)

            return decorated
        """
    ),
}
CHECK = """
import flask

import pkg
from pkg.loaders import with_payload

payload = with_payload(lambda loaded: loaded)

app = pkg.create_app()
with app.test_request_context():
    flask.request.get_json = lambda: {"id": 1}  # what monkeypatch.setattr("flask.request.get_json", ...) does
    print(payload())
with app.test_request_context(json={"id": 2}):
    print(payload())
"""


def test_a_get_json_the_test_set_on_flasks_request_is_what_the_converted_code_reads(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    assert "request_json(request)" in (tmp_path / "pkg" / "loaders.py").read_text()
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n") == ["{'id': 1}", "{'id': 2}", ""], done.stderr[-3000:]
