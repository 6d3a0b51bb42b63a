"""A template an installed extension renders with Flask's own ``render_template`` (a theming extension's
``render_themed``, called by the app's views) sees what the app's own templates see: Flask-Login's
``current_user``, the app's context processors, ``request`` and ``session``.

Flask renders it on the Flask app behind the extensions, whose context processors were Flask's default only: the
template's ``current_user`` was undefined ("'current_user' is undefined", a 500) and the app's context processors
never ran.
"""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

LIBRARY = """\
import flask


class Themes:
    def init_app(self, app):
        app.extensions['themes'] = self


def render_themed(name, **context):
    context['_theme'] = 'plain'
    return flask.render_template(name, **context)
"""
VIEWS = """\
from flask import Flask, session
from flask_login import LoginManager, UserMixin, login_user
from flask_themes_stand_in import Themes, render_themed

login_manager = LoginManager()
themes = Themes()


class User(UserMixin):
    def __init__(self, name):
        self.id = name


@login_manager.user_loader
def load_user(name):
    return User(name)


def create_app():
    app = Flask(__name__)
    app.secret_key = 'x'
    login_manager.init_app(app)
    themes.init_app(app)

    @app.context_processor
    def site():
        return {'site': 'Board'}

    @app.route('/page')
    def page():
        return render_themed('page.html', title='Home')

    @app.route('/sign-in/<name>')
    def sign_in(name):
        login_user(User(name))
        session['seen'] = 'yes'
        return 'signed in'

    return app
"""
TEMPLATE = (
    "<p>{{ site }} {{ title }} {{ _theme }} {{ request.path }} {{ session.get('seen', 'unseen') }} "
    "{% if current_user.is_authenticated %}{{ current_user.id }}{% else %}anonymous{% endif %}</p>"
)
REQUESTS = [("GET", "/page"), ("GET", "/sign-in/bob"), ("GET", "/page")]


def _tree(tmp_path, monkeypatch) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_themes_stand_in.py").write_text(LIBRARY)  # installed, not converted
    (tmp_path / "src" / "boards" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "boards" / "__init__.py").write_text(VIEWS)
    (tmp_path / "src" / "boards" / "templates" / "page.html").write_text(TEMPLATE)
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))


def test_a_template_an_extension_renders_sees_the_apps_template_context(tmp_path, monkeypatch):
    _tree(tmp_path, monkeypatch)
    flask_app = load(tmp_path / "src", "boards", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "boards", "create_app")
    assert_same(flask_app, fastapi_app, REQUESTS)
