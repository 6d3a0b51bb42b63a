"""An app context pushed in the factory before an extension's ``init_app`` does not leave requests without Flask's.

The Flask app behind the extensions (``face.flask_app_context``, pushed per request for code reading
``flask.current_app``) was decided once, at the first ask: a factory's ``with app.app_context():`` before any
extension registered kept "none needed" for good, and every request of code reading ``flask.current_app``
(an installed library, or a module left on Flask's import) failed with "Working outside of application context".
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

LIBRARY = """\
import flask


class Greeter:
    def init_app(self, app):
        app.extensions['greeter'] = self

    def greet(self):
        return 'hello from ' + flask.current_app.config['SITE']
"""
VIEWS = """\
from flask import Flask
from flask_greeter import Greeter

greeter = Greeter()


def create_app():
    app = Flask(__name__)
    app.config['SITE'] = 'site'
    with app.app_context():
        pass  # the factory's own setup (create_all, migrations) before the extensions
    greeter.init_app(app)

    @app.route('/')
    def index():
        return greeter.greet()

    return app
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("shadow")
    (root / "lib").mkdir()
    (root / "lib" / "flask_greeter.py").write_text(LIBRARY)  # installed, not converted
    package = root / "src" / "greet"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(VIEWS)
    convert_tree(root / "src", root / "out")
    sys.path.insert(0, str(root / "lib"))
    try:
        yield TestClient(load(root / "out", "greet.app", "create_app"))
    finally:
        sys.path.remove(str(root / "lib"))
        for name in [n for n in sys.modules if n in ("greet", "flask_greeter") or n.startswith("greet.")]:
            del sys.modules[name]


def test_a_request_reads_flask_current_app_after_the_factorys_early_app_context(client):
    answer = client.get("/")
    assert (answer.status_code, answer.text) == (200, "hello from site")
