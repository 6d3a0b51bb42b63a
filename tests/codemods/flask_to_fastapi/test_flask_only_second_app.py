"""An app factory called again in one process (a test suite's app per module): the config an extension built on the
Flask app beside the converted one sets is the converted app's config, for the second app as for the first.

``flask_keeper`` (made up) does what Flask-Security's ``init_app`` does: it sets its defaults with
``app.config.setdefault`` and then needs a real Flask app (TypeError on the converted one), and its views and helpers
read ``current_app.config``. On the first app the defaults landed on the converted app's config before the refusal;
from the second app on, the class is built on the Flask app straight away, whose config was a copy of the converted
app's: its defaults stayed there, and in the second app's context (``flask.current_app`` is the Flask app standing
for it, sharing the converted app's config) every read of them failed (KeyError). The Flask app beside the converted
one now shares its config, as the other Flask apps standing for it do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner

KEEPER = textwrap.dedent(
    """\
    from flask import Flask, current_app


    def word():
        return current_app.config['KEEPER_WORD'] + ' ' + current_app.config['KEEPER_NAME']


    class Keeper:
        def __init__(self, app=None):
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            app.config.setdefault('KEEPER_WORD', 'kept')
            if not isinstance(app, Flask):
                raise TypeError(f'Keeper needs a Flask app, not {type(app).__name__}')
            app.extensions['keeper'] = self
            app.add_url_rule('/keeper', 'keeper.word', word)
    """
)
FILES = {
    "flask_keeper.py": KEEPER,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask
        from flask_keeper import Keeper, word

        keeper = Keeper()


        def create_app(name):
            app = Flask(__name__)
            app.config['KEEPER_NAME'] = name
            keeper.init_app(app)

            @app.route('/')
            def home():
                return word()

            return app
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
import flask
import flask_keeper
import pkg
apps = [pkg.create_app('first'), pkg.create_app('second'), pkg.create_app('third')]
for app, name in zip(apps, ('first', 'second', 'third')):
    assert app.config.get('KEEPER_WORD') == 'kept', (name, sorted(app.config))
    with app.app_context():
        assert flask_keeper.word() == 'kept ' + name, name
    client = TestClient(app)
    for path in ('/', '/keeper'):
        got = client.get(path)
        assert (got.status_code, got.text) == (200, 'kept ' + name), (name, path, got.status_code, got.text)
print('ok')
"""


def test_a_second_app_has_the_config_an_extension_built_on_flask_set(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


PAGER = textwrap.dedent(
    """\
    from flask import Blueprint, Flask, render_template


    class Pager:
        def init_app(self, app):
            if not isinstance(app, Flask):
                raise TypeError('Pager needs a Flask app')
            pages = Blueprint('pager', __name__, template_folder='templates')
            pages.add_url_rule('/pager', 'page', lambda: render_template('pager/page.html', who='pager'))
            app.register_blueprint(pages)
    """
)
TEMPLATE_FILES = {
    "flask_pager/__init__.py": PAGER,
    "flask_pager/templates/pager/page.html": "page of {{ who }}",
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, render_template
        from flask_pager import Pager


        def create_app():
            app = Flask(__name__)
            Pager().init_app(app)

            @app.route('/')
            def home():
                return render_template('home.html')

            return app
        """
    ),
    "pkg/templates/home.html": "home",
}
TEMPLATE_CHECK = """
from fastapi.testclient import TestClient
import pkg
client = TestClient(pkg.create_app())
print([(got.status_code, got.text) for got in (client.get('/'), client.get('/pager'))])
"""


def test_an_extension_on_the_flask_app_renders_its_blueprints_templates(tmp_path):
    """Flask searches a blueprint's template folder after the app's; the Flask app beside the converted one renders
    with the converted app's Jinja environment, which now searches the folder of a blueprint registered there."""
    write_tree(tmp_path, TEMPLATE_FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", TEMPLATE_CHECK],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert done.stdout.strip() == "[(200, 'home'), (200, 'page of pager')]", done.stderr[-3000:]
