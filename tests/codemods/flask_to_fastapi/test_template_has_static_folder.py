"""``app.has_static_folder``, which extensions read before they use ``app.static_folder`` (Flask-Assets' resolver
raises unless it is true): the face had ``static_folder`` but not this, so every page building an asset bundle
answered 500 ('FastAPI' object has no attribute 'has_static_folder'). Side by side with Flask, with a static folder
and without one (``static_folder=None``)."""

from __future__ import annotations

import pytest
from side_by_side import assert_same, convert_tree, load

APP = """\
import os

from flask import Flask, current_app


def create_app(static=True):
    app = Flask(__name__) if static else Flask(__name__, static_folder=None)

    @app.route('/assets')
    def assets():
        folder = current_app.static_folder if current_app.has_static_folder else None
        return {'has': current_app.has_static_folder, 'folder': folder and os.path.basename(folder)}

    return app


def create_bare_app():
    return create_app(static=False)
"""


@pytest.mark.parametrize("factory", ["create_app", "create_bare_app"])
def test_an_extension_reads_whether_the_app_has_a_static_folder(tmp_path, factory):
    (tmp_path / "src" / "assets_app").mkdir(parents=True)
    (tmp_path / "src" / "assets_app" / "__init__.py").write_text("")
    (tmp_path / "src" / "assets_app" / "app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "assets_app.app", factory)
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert_same(flask_app, load(tmp_path / "out", "assets_app.app", factory), [("GET", "/assets")])
