"""Flask's ``app.view_functions`` and ``app.jinja_loader`` on the converted app's face.

``app.view_functions[request.endpoint]`` (a CSRF check reading a mark the view's decorator set) was an empty dict:
a KeyError in the hook, every request failed. ``app.jinja_loader = ...`` (a theme loader set in the factory)
only set an attribute: templates were still looked up in ``templates/`` (TemplateNotFound).
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
import jinja2
from flask import Flask, abort, render_template, request


def exempt(f):
    f._exempt = True
    return f


def create_app():
    app = Flask(__name__)
    app.jinja_loader = jinja2.DictLoader({'page.html': 'theme page {{ n }}'})

    @app.before_request
    def guard():
        view = app.view_functions[request.endpoint]
        if request.method == 'POST' and not getattr(view, '_exempt', False):
            abort(403)

    @app.route('/page/<int:n>')
    def page(n):
        return render_template('page.html', n=n)

    @app.route('/hook', methods=['POST'])
    @exempt
    def hook():
        return 'taken'

    @app.route('/form', methods=['POST'])
    def form():
        return 'never'

    return app
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("views")
    package = root / "src" / "themed"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(APP)
    convert_tree(root / "src", root / "out")
    try:
        yield TestClient(load(root / "out", "themed.app", "create_app"))
    finally:
        for name in [n for n in sys.modules if n == "themed" or n.startswith("themed.")]:
            del sys.modules[name]


def test_a_hook_finds_the_requests_view_by_its_endpoint(client):
    assert (client.post("/hook").status_code, client.post("/hook").text) == (200, "taken")
    assert client.post("/form").status_code == 403


def test_templates_come_from_the_loader_the_app_set(client):
    answer = client.get("/page/3")
    assert (answer.status_code, answer.text) == (200, "theme page 3")
