"""An extension that accepts only a real ``flask.Flask`` and Flask-SQLAlchemy's ``db`` (Flask-User's ``UserManager``:
``isinstance(app, flask.Flask)`` else TypeError, ``isinstance(db, flask_sqlalchemy.SQLAlchemy)`` else ConfigError)
is built on the Flask app beside the converted one (``flask_only``, detected): the converted app imports, the
extension's own views are served there on the converted models and build the converted routes' URLs (Flask's
``url_build_error_handlers``), what it sets on the app (``app.user_manager``) is read by the converted views, and
its view decorator's own redirect is the converted view's answer (was a Werkzeug Response dumped as JSON, 200).
Without it the converted app failed at import.

A stand-in ``flask_user`` (Flask-User's checks and shape: a view of its own, a context processor) keeps the test
offline.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import check_noop, write_tree

from codemods import runner
from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi import CODEMOD

STAND_IN = textwrap.dedent(
    """\
    from functools import wraps

    from flask import Flask, current_app, redirect, render_template_string, request, url_for
    from flask_sqlalchemy import SQLAlchemy


    class ConfigError(Exception):
        pass


    class UserManager:
        def __init__(self, app=None, db=None, UserClass=None):
            if app is not None:
                self.init_app(app, db, UserClass)

        def init_app(self, app, db, UserClass):
            if not isinstance(app, Flask):
                raise TypeError(f"Parameter 'app' is an instance of class {type(app).__name__!r}")
            if not isinstance(db, SQLAlchemy):
                raise ConfigError('No Flask-SQLAlchemy installed')
            app.user_manager = self
            self.db, self.UserClass = db, UserClass
            self.app_name = app.config.get('USER_APP_NAME', 'USER_APP_NAME')
            app.add_url_rule('/user/sign-in', 'user.login', self.login_view, methods=['GET', 'POST'])
            app.context_processor(lambda: {'user_manager': current_app.user_manager})

        def login_view(self):
            user = self.UserClass.query.filter(self.UserClass.email == 'a@b.c').first()
            if user is None:
                self.db.session.add(self.UserClass(email='a@b.c'))
                self.db.session.commit()
            count = self.db.session.query(self.UserClass).count()
            return render_template_string(
                '{{ user_manager.app_name }} sign in: {{ n }}, then {{ url }}', n=count, url=url_for('home')
            )


    def login_required(view):
        @wraps(view)
        def decorator(*args, **kwargs):
            if current_app.user_manager and request.headers.get('X-User') is None:
                return redirect(url_for('user.login'))
            return view(*args, **kwargs)

        return decorator
    """
)
FILES = {
    "flask_user.py": STAND_IN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, current_app
        from flask_sqlalchemy import SQLAlchemy
        from flask_user import UserManager, login_required

        db = SQLAlchemy()


        def create_app():
            app = Flask(__name__)
            app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + __import__('os').environ['DB_FILE']
            app.config['USER_APP_NAME'] = 'Starter'
            db.init_app(app)

            from .models import User

            user_manager = UserManager(app, db, User)

            @app.route('/')
            def home():
                return 'home of ' + current_app.user_manager.app_name

            @app.route('/member')
            @login_required
            def member():
                return 'member'

            with app.app_context():
                db.create_all()
            return app
        """
    ),
    "pkg/models.py": textwrap.dedent(
        """\
        from . import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(50))
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
import pkg
c = TestClient(pkg.create_app())
got = c.get('/')
assert got.status_code == 200 and got.text == 'home of Starter', (got.status_code, got.text)
for n in (1, 1):
    got = c.get('/user/sign-in')
    assert got.status_code == 200 and got.text == f'Starter sign in: {n}, then /', (got.status_code, got.text)
got = c.get('/member', follow_redirects=False)
assert got.status_code == 302 and got.headers['location'].endswith('/user/sign-in'), (got.status_code, got.text)
assert c.get('/member', headers={'X-User': 'a'}).text == 'member'
assert c.get('/nothing').status_code == 404
import flask
app = pkg.create_app()
app.config['SERVER_NAME'] = 'localhost'
with app.app_context():  # the old tests' url_for: the converted routes and the extension's
    assert (flask.url_for('home'), flask.url_for('user.login')) == ('http://localhost/', 'http://localhost/user/sign-in')
print('ok')
"""


def test_an_extension_that_takes_only_flask_runs_on_the_flask_app_beside_the_converted_one(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    app = (tmp_path / "pkg/__init__.py").read_text()
    assert "= flask_extension(" not in app  # it refuses the converted app: detected at run time (flask_only.detect)
    assert f"{TODO_MARKER} Flask-User: its UserManager runs on a Flask app beside the converted one" in app
    env = {**__import__("os").environ, "DB_FILE": str(tmp_path / "app.db")}
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_a_class_of_that_name_from_another_package_is_left_alone():
    check_noop(CODEMOD, "from accounts import UserManager\n\nmanager = UserManager()\n")
