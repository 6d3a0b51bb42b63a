"""An extension no table names that refuses the converted app is detected at run time and built on a Flask app.

``flask_gatekeeper`` (made up) checks ``isinstance(app, flask.Flask)`` in ``init_app`` and raises TypeError
otherwise; ``flask_stamp`` (made up) reads ``app.session_interface``, which only a Flask app has (AttributeError
on the converted one). No table names them: from the helper's import on, the constructor and ``init_app`` of each
Flask extension's class run on the converted app first and, refused, on the Flask app beside it, which serves its
view; the log says so once per class. One imported inside the factory, after the helper, is watched too. An
extension that accepts the converted app (``flask_plain``) stays on it, and a class without ``init_app`` (a mixin)
is left as it is. Without the detection the converted app failed at import (TypeError).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner
from codemods.base import TODO_MARKER

GATEKEEPER = textwrap.dedent(
    """\
    from flask import Flask


    class GateMixin:
        gate = 'mixin'


    class Gatekeeper:
        def __init__(self, app=None):
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            if not isinstance(app, Flask):
                raise TypeError(f'Gatekeeper needs a Flask app, not {type(app).__name__}')
            app.gatekeeper = self
            self.name = app.config.get('GATE_NAME', 'gate')
            app.add_url_rule('/gate/open', 'gate.open', lambda: 'open: ' + self.name)
    """
)
STAMP = textwrap.dedent(
    """\
    class Stamp:
        def init_app(self, app):
            self.previous = app.session_interface  # as a server-side session extension does
            app.extensions['stamp'] = self
    """
)
PLAIN = textwrap.dedent(
    """\
    class Plain:
        def init_app(self, app):
            app.extensions['plain'] = type(app).__name__
    """
)
FILES = {
    "flask_gatekeeper.py": GATEKEEPER,
    "flask_stamp.py": STAMP,
    "flask_plain.py": PLAIN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, current_app
        from flask_gatekeeper import GateMixin, Gatekeeper
        from flask_plain import Plain

        plain = Plain()


        class Thing(GateMixin):
            pass


        def create_app():
            app = Flask(__name__)
            app.config['GATE_NAME'] = 'front'
            Gatekeeper(app)
            from flask_stamp import Stamp  # imported after the helper: watched as it is imported

            Stamp().init_app(app)
            plain.init_app(app)

            @app.route('/')
            def home():
                return current_app.gatekeeper.name + ' ' + Thing.gate

            return app
        """
    ),
}
CHECK = """
import logging
from fastapi.testclient import TestClient
import pkg
logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(message)s')
c = TestClient(pkg.create_app())
got = c.get('/')
assert got.status_code == 200 and got.text == 'front mixin', (got.status_code, got.text)
got = c.get('/gate/open')
assert got.status_code == 200 and got.text == 'open: front', (got.status_code, got.text)
app = pkg.create_app()  # again: straight to the Flask app, not logged twice
assert app.extensions['plain'] not in ('Flask', ''), app.extensions['plain']  # it took the converted app
assert 'stamp' in app.extensions, sorted(app.extensions)
assert TestClient(app).get('/gate/open').text == 'open: front'
print('ok')
"""


def test_an_extension_that_refuses_the_converted_app_is_built_on_the_flask_app_beside_it(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    app = (tmp_path / "pkg/__init__.py").read_text()
    assert "flask_extension" not in app  # detected at run time: the converted code names no such class
    assert TODO_MARKER + " Flask-Gatekeeper: init_app(app) runs on the app's Flask-shaped face" in app
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    assert done.stdout.strip() == "ok", done.stderr
    logged = [line for line in done.stderr.splitlines() if "refused the converted app" in line]
    assert len(logged) == 2, done.stderr  # Gatekeeper's TypeError and Stamp's AttributeError, once each
    assert any("flask_gatekeeper.Gatekeeper" in line and "TypeError" in line for line in logged), logged
    assert any("flask_stamp.Stamp" in line and "AttributeError" in line for line in logged), logged
