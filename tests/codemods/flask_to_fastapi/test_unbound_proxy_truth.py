"""An unbound context global is false, as Werkzeug's ``LocalProxy`` is: an extension built at import with
``app=current_app`` (Flask-Limiter's ``Limiter(app=current_app, ...)``) tests ``if app:`` outside any context.

The helper's proxies raised "Working outside of application context" there: the converted app failed at import.
"""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, current_app, g, request, session


    class Extension:
        def __init__(self, app=None):
            self.bound = []
            if app:
                self.init_app(app)

        def init_app(self, app):
            self.bound.append(app.name)


    extension = Extension(app=current_app)
    unbound = [bool(proxy) for proxy in (current_app, request, g, session)]

    app = Flask(__name__)


    @app.route("/")
    def index():
        return {"bound": extension.bound, "unbound": unbound}
""")


def test_an_unbound_proxy_is_false_at_import(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "extapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "extapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "extapp")
    assert_same(flask_app, fastapi_app, [("GET", "/")])
