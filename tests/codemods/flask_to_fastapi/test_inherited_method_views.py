"""A MethodView known through its parent: ``class ItemAPI(BaseAPI)`` with ``BaseAPI(MethodView)`` in another
module (or above it in the same one) gets a route for each HTTP method of the whole hierarchy, as Flask does."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import check_noop, write_tree

from codemods import runner
from codemods.flask_to_fastapi import CODEMOD

BASE = textwrap.dedent(
    """\
    from flask import jsonify
    from flask.views import MethodView


    class BaseAPI(MethodView):
        def delete(self, item_id):
            return jsonify(deleted=item_id)
    """
)
VIEWS = textwrap.dedent(
    """\
    from flask import Blueprint, jsonify, request

    from pkg.base import BaseAPI

    bp = Blueprint('api', __name__)


    class ItemAPI(BaseAPI):
        def get(self, item_id):
            return jsonify(id=item_id, q=request.args.get('q'))


    class LocalChild(ItemAPI):
        pass


    bp.add_url_rule('/items/<int:item_id>', view_func=ItemAPI.as_view('item'))
    bp.add_url_rule('/local/<int:item_id>', view_func=LocalChild.as_view('local'))
    """
)
CHECK = """
from fastapi import FastAPI
from fastapi.testclient import TestClient
import pkg.views
app = FastAPI()
app.include_router(pkg.views.bp)
c = TestClient(app)
assert c.get('/items/3?q=a').json() == {'id': 3, 'q': 'a'}, c.get('/items/3?q=a').text
assert c.delete('/items/3').json() == {'deleted': 3}
assert c.get('/local/4').json() == {'id': 4, 'q': None}
assert c.delete('/local/4').json() == {'deleted': 4}
print('ok')
"""


def test_a_method_view_whose_parent_is_in_another_module_gets_every_method_routed(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/base.py": BASE, "pkg/views.py": VIEWS})
    result = runner.run("flask-to-fastapi", [tmp_path])
    assert result.count("failed") == 0
    views = (tmp_path / "pkg/views.py").read_text()
    assert "as_view" not in views and "add_url_rule" not in views
    assert 'ItemAPI().get, methods=["GET"]' in views and 'ItemAPI().delete, methods=["DELETE"]' in views
    assert 'LocalChild().get, methods=["GET"]' in views and 'LocalChild().delete, methods=["DELETE"]' in views
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_class_whose_parent_is_no_method_view_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from pkg.base import Plain


        class Child(Plain):
            def get(self):
                return 'x'
        """,
    )
