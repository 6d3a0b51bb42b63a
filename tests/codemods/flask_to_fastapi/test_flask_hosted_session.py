"""What the Flask app beside the converted one writes in the session (a sign-in, a sign-out, a flash) is what the
client keeps; so is what an extension's view decorator on a converted view writes there (its flash).

An extension's view served by that Flask app (``flask_only``/``flask_hosted``) saves Flask's session cookie; the
converted app's session middleware answers after it and saved the session as the request brought it (a permanent
one on each request): its cookie came last and won, so an extension's sign-out left the user signed in and its
flashes were lost. Now the converted app's session becomes what the Flask app saved. An extension's decorator runs
in a Flask request context (``flask_request``) whose session was dropped with it: its flash before its redirect
was lost; now it is the app's. ``flask_doorman`` (made up) takes only a real ``flask.Flask``, serves ``/door/in``
and ``/door/out``, and its ``guests_only`` flashes and sends a stranger to ``/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner

DOORMAN = textwrap.dedent(
    """\
    from functools import wraps

    from flask import Flask, flash, redirect, request, session


    def guests_only(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.headers.get('X-Guest') is None:
                flash('who are you?')
                return redirect('/')
            return view(*args, **kwargs)

        return wrapper


    class Doorman:
        def __init__(self, app=None):
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            if not isinstance(app, Flask):
                raise TypeError('Doorman needs a Flask app')
            app.add_url_rule('/door/in', 'door.enter', self.enter)
            app.add_url_rule('/door/out', 'door.leave', self.leave)

        def enter(self):
            session.permanent = True
            session['guest'] = 'ann'
            return redirect('/')

        def leave(self):
            session.pop('guest', None)
            flash('bye')
            return redirect('/')
    """
)
FILES = {
    "flask_doorman.py": DOORMAN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, get_flashed_messages, session
        from flask_doorman import Doorman, guests_only


        def create_app():
            app = Flask(__name__)
            app.config['SECRET_KEY'] = 'secret'
            Doorman(app)

            @app.route('/')
            def home():
                return f"{session.get('guest', 'nobody')} {get_flashed_messages()}"

            @app.route('/private')
            @guests_only
            def private():
                return 'private'

            return app
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
import pkg
c = TestClient(pkg.create_app())
assert c.get('/').text == 'nobody []', c.get('/').text
assert c.get('/door/in').text == 'ann []'
assert c.get('/').text == 'ann []'
got = c.get('/door/out').text  # the sign-out and its flash, from the Flask app
assert got == "nobody ['bye']", got
assert c.get('/').text == 'nobody []'
assert c.get('/private', headers={'X-Guest': 'x'}).text == 'private'
got = c.get('/private').text  # the decorator's flash, then its redirect
assert got == "nobody ['who are you?']", got
print('ok')
"""


def test_the_session_the_flask_app_beside_saves_is_the_one_the_client_keeps(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    assert done.stdout.strip() == "ok", done.stderr
