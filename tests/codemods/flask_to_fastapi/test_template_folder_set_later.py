"""A template or static folder an app sets after it is made (``app.template_folder = os.path.join('themes', theme,
'templates')`` in a setup step reading the config, the static folder beside it): Flask looks templates up there
(relative to the app's folder) and serves its static files from there. On the face the assignment only set an
attribute: templates were still looked up in ``templates/`` (TemplateNotFound: the 404 handler's page a 500) and
``/static/...`` answered 404. Side by side with Flask."""

from __future__ import annotations

import pytest
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
import os

from flask import Flask, render_template


def setup_theme(app):
    theme = app.config['THEME']
    app.template_folder = os.path.join('themes', theme, 'templates')
    app.static_folder = os.path.join('themes', theme, 'static')


def create_app():
    app = Flask(__name__)
    app.config['THEME'] = 'plain'
    setup_theme(app)

    @app.errorhandler(404)
    def not_found(e):
        return render_template('404.html', code=404), 404

    @app.route('/page/<int:n>')
    def page(n):
        return render_template('page.html', n=n)

    @app.route('/folders')
    def folders():
        return {'templates': app.template_folder, 'static': os.path.relpath(app.static_folder, app.root_path)}

    return app
"""

FILES = {
    "themed/__init__.py": "",
    "themed/app.py": APP,
    "themed/templates/page.html": "the default page {{ n }}",
    "themed/themes/plain/templates/page.html": "<p>the theme's page {{ n }}</p>",
    "themed/themes/plain/templates/404.html": "<h1>not here ({{ code }})</h1>",
    "themed/themes/plain/static/site.css": "body { color: red }\n",
    "themed/static/site.css": "the default static file\n",
}
REQUESTS = [("GET", "/page/3"), ("GET", "/nowhere"), ("GET", "/static/site.css"), ("GET", "/folders")]


@pytest.fixture
def apps(tmp_path):
    for name, text in FILES.items():
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text)
    flask_app = load(tmp_path / "src", "themed.app", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "themed.app", "create_app")


def test_the_folders_an_app_sets_later_serve_its_pages(apps):
    flask_app, fastapi_app = apps
    assert_same(flask_app, fastapi_app, REQUESTS)
    assert FlaskStyleClient(fastapi_app).get("/static/site.css").data == b"body { color: red }\n"
