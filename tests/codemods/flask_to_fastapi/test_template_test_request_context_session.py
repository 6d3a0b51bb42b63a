"""A test's ``app.test_request_context()`` has one session, as in Flask: what the app's converted code writes there
(``flash``) Flask's own ``get_flashed_messages`` in the test reads, and the user Flask-Login's own ``login_user`` in
the test signs in is the app's ``current_user``.

The helper's request and the Flask request context pushed with it (``flask.request``, ``flask.url_for`` in tests that
were not converted) each opened a session of their own from the same cookies: the test read ``[]`` where the
app had flashed, and the app's ``current_user`` stayed anonymous after the test's ``login_user``.
"""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

NOTES = """\
from flask import Flask, flash
from flask_login import LoginManager, UserMixin, current_user

login_manager = LoginManager()


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

    @app.route('/')
    def index():
        return 'index'

    return app


def save_note():
    who = current_user.id if current_user.is_authenticated else 'anonymous'
    flash('Saved by %s.' % who, 'success')
"""


def _in_test_request_context(app) -> list:
    import flask
    from flask_login import login_user

    notes = sys.modules["notes"]
    with app.test_request_context("/", method="POST"):
        login_user(notes.User("ann"))
        notes.save_note()
        return flask.get_flashed_messages(with_categories=True)


def test_the_app_and_the_test_share_the_test_request_contexts_session(tmp_path):
    (tmp_path / "src" / "notes").mkdir(parents=True)
    (tmp_path / "src" / "notes" / "__init__.py").write_text(NOTES)
    before = _in_test_request_context(load(tmp_path / "src", "notes", "create_app"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    after = _in_test_request_context(load(tmp_path / "out", "notes", "create_app"))
    assert before == [("success", "Saved by ann.")]
    assert after == before


def _logged_in_after_a_read(app) -> list:
    import flask
    from flask_login import login_user, logout_user

    notes = sys.modules["notes"]
    with app.test_request_context("/", method="POST"):
        notes.save_note()  # current_user read (anonymous) before the test's login_user
        login_user(notes.User("ann"))
        notes.save_note()
        logout_user()
        notes.save_note()
        return flask.get_flashed_messages(with_categories=True)


def test_the_test_s_own_login_user_after_the_app_read_current_user(tmp_path):
    """Flask-Login's login_user/logout_user in the test change the user the app reads after it had read one (the
    helper kept the first it loaded: anonymous three times)."""
    (tmp_path / "src" / "notes").mkdir(parents=True)
    (tmp_path / "src" / "notes" / "__init__.py").write_text(NOTES)
    before = _logged_in_after_a_read(load(tmp_path / "src", "notes", "create_app"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    after = _logged_in_after_a_read(load(tmp_path / "out", "notes", "create_app"))
    saved = [("success", f"Saved by {who}.") for who in ("anonymous", "ann", "anonymous")]
    assert before == saved
    assert after == before
