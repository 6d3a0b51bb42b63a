"""Methods a Flask extension left on Flask calls itself keep their signature: a mixin's ``_handle_view(self, name,
**kwargs)`` reading ``request.url``, combined with Flask-Admin's ``ModelView`` in another module. It got a
``request`` parameter, and Flask-Admin's call handed its ``name`` as the request (every admin page failed)."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods import runner

FILES = {
    "shop/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, request

        from .security import SecurityMixin


        def create_app():
            app = Flask(__name__)

            @app.route('/')
            def index():
                return SecurityMixin().where()

            return app
        """
    ),
    "shop/security.py": textwrap.dedent(
        """\
        from flask import redirect, request, url_for


        class SecurityMixin(object):
            def where(self):
                return request.path

            def _handle_view(self, name, **kwargs):
                if not request.args.get('ok'):
                    return redirect(url_for('index', next=request.url))
        """
    ),
    "shop/admins.py": textwrap.dedent(
        """\
        from flask_admin.contrib.sqla import ModelView

        from .security import SecurityMixin


        class SecureView(SecurityMixin, ModelView):
            pass


        class ProductView(SecureView):
            def is_visible(self):
                return request.args.get('all') is not None
        """
    ),
    "shop/plain.py": textwrap.dedent(
        """\
        from flask import request


        class Helper(object):
            def path(self):
                return request.path


        def show():
            return Helper().path()
        """
    ),
}


def test_methods_of_a_mixin_an_extensions_class_derives_from_keep_their_signature(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "shop"]).count("failed") == 0
    security = (tmp_path / "shop/security.py").read_text()
    assert "def _handle_view(self, name, **kwargs):" in security
    assert "def where(self):" in security
    assert "def is_visible(self):" in (tmp_path / "shop/admins.py").read_text()


def test_a_class_no_extension_derives_from_still_takes_the_request(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "shop"]).count("failed") == 0
    assert "def path(self, request: Request):" in (tmp_path / "shop/plain.py").read_text()
