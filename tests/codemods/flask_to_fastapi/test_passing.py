"""Passing the request down: helpers that read ``flask.request`` take the ``Request``, views pass it.

Within one module (no run: ``CODEMOD.apply``) and across the files of a run (``passing.discover``,
the runner's first pass): functions, methods reached through ``self`` and through a parameter
annotated with the class, closures that stay closures, hooks registered by a call.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi import CODEMOD, passing


def convert(source: str) -> str:
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after


def convert_files(tmp_path, files: dict[str, str]) -> dict[str, str]:
    """Each file converted with what the whole set tells (as the runner does with ``discover``)."""
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    project = passing.discover([(relative, str(tmp_path / relative)) for relative in files])
    out = {}
    for relative, text in files.items():
        notes = Notes(path=relative, source=str(tmp_path / relative))
        notes.project = project
        out[relative] = CODEMOD.transform(cst.parse_module(text), notes).code
        compile(out[relative], relative, "exec", dont_inherit=True)
    return out


HEAD = "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"


def test_noop_helper_without_request_is_untouched():
    source = HEAD + "def total(items):\n    return sum(items)\n\n\n@app.route('/')\ndef view():\n    return {'t': total([1])}\n"
    out = convert(source)
    assert "def total(items):\n    return sum(items)" in out
    assert "total([1])" in out


def test_module_helper_takes_the_request_and_views_pass_it():
    before = HEAD + "def client_ip():\n    return request.remote_addr\n\n\n@app.route('/')\ndef view():\n    return {'ip': client_ip()}\n"
    after = convert(before)
    assert "def client_ip(request: Request):\n    return (request.client.host if request.client else None)" in after
    assert "def view(request: Request):\n    return {'ip': client_ip(request)}" in after
    assert "_flask_compat import request" not in after  # no proxy left


def test_transitive_helpers_and_error_handlers():
    before = HEAD + (
        "def is_api():\n    return request.path.startswith('/api')\n\n\n"
        "def respond(body):\n    if is_api():\n        return body\n    return str(body)\n\n\n"
        "def handle(exc):\n    return respond({'error': request.path})\n\n\n"
        "app.register_error_handler(Exception, handle)\n"
    )
    after = convert(before)
    assert "def is_api(request: Request):\n    return request.url.path.startswith('/api')" in after
    assert "def respond(request: Request, body):\n    if is_api(request):" in after
    assert "def handle(request: Request, exc):\n    return respond(request, {'error': request.url.path})" in after


def test_helpers_read_the_body_synchronously():
    before = HEAD + (
        "def raw():\n    return request.get_data(cache=True)\n\n\n"
        "def field(name):\n    return request.form.get(name)\n\n\n"
        "def payload():\n    return request.get_json(silent=True)\n\n\n"
        "def query():\n    return request.args.to_dict()\n"
    )
    after = convert(before)
    assert "return request_data(request, cache=True)" in after
    assert "return request_form(request).get(name)" in after
    assert "return request_json(request, silent=True)" in after
    assert "return {key: request.query_params.getlist(key)[0] for key in request.query_params}" in after
    assert "from _flask_compat import init_app, request_data, request_form, request_json" in after


def test_closures_in_views_keep_the_views_request():
    before = HEAD + (
        "@app.route('/', methods=['POST'])\ndef view():\n"
        "    def read():\n        return dict(request.form)\n"
        "    return run(read)\n"
    )
    after = convert(before)
    assert "def view(request: Request):\n    def read():\n        return dict(request_form(request))" in after
    assert "return run(read)" in after


def test_nested_helpers_of_a_factory_take_the_request_the_factory_does_not():
    before = (
        "from flask import Blueprint, request\n\n\n"
        "def routes(web):\n    bp = Blueprint('pages', __name__)\n\n"
        "    def signed_in():\n        return request.cookies.get('s')\n\n"
        "    @bp.get('/')\n    def home():\n        return {'s': signed_in()}\n\n"
        "    return bp\n"
    )
    after = convert(before)
    assert "def routes(web):" in after
    assert "    def signed_in(request: Request):\n        return request.cookies.get('s')" in after
    assert "def home(request: Request):\n        return {'s': signed_in(request)}" in after


def test_hook_registered_by_a_call_is_not_passed_the_request():
    # the helper calls hooks itself (teardown_appcontext ones outside requests too): they keep the proxy
    before = HEAD + "def headers(response):\n    response.headers['X-Secure'] = str(request.is_secure)\n    return response\n\n\napp.after_request(headers)\n"
    after = convert(before)
    assert "def headers(response):" in after
    assert "(request.url.scheme == 'https')" in after
    assert "from _flask_compat import after_request, init_app, request" in after


def test_decorated_hooks_take_the_request_by_keyword():
    before = HEAD + "@app.after_request\ndef headers(response):\n    response.headers['X-Path'] = request.path\n    return response\n"
    after = convert(before)
    assert "@after_request(app)\ndef headers(response, *, request: Request):\n    response.headers['X-Path'] = request.url.path" in after


def test_methods_and_typed_parameters_across_modules(tmp_path):
    files = {
        "web/__init__.py": "",
        "web/auth.py": (
            "from dataclasses import dataclass\n\nfrom flask import request\n\n\n@dataclass\nclass Web:\n    secret: str\n\n"
            "    def token(self):\n        return request.headers.get('Authorization')\n\n"
            "    def user(self):\n        return self.token() or 'anonymous'\n"
        ),
        "web/bodies.py": "from flask import request\n\n\ndef read_body():\n    return request.get_data()\n",
        "web/pages.py": (
            "from flask import Blueprint\n\nfrom web.auth import Web\nfrom .bodies import read_body\n\n\n"
            "def routes(web: Web):\n    bp = Blueprint('pages', __name__)\n\n"
            "    @bp.post('/echo')\n    def echo():\n        return {'user': web.user(), 'size': len(read_body())}\n\n"
            "    return bp\n"
        ),
    }
    out = convert_files(tmp_path, files)
    assert "    def token(self, request: Request):\n        return request.headers.get('Authorization')" in out["web/auth.py"]
    assert "    def user(self, request: Request):\n        return self.token(request) or 'anonymous'" in out["web/auth.py"]
    assert "def read_body(request: Request):\n    return request_data(request)" in out["web/bodies.py"]
    assert "def echo(request: Request):\n        return {'user': web.user(request), 'size': len(read_body(request))}" in out["web/pages.py"]
    assert "def routes(web: Web):" in out["web/pages.py"]


def test_side_by_side_helpers_read_the_body_and_errors_stop_at_the_catch_all(tmp_path):
    from side_by_side import assert_same, convert_tree, load

    folder = tmp_path / "original"
    folder.mkdir()
    (folder / "passing_app.py").write_text(
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        "def body_size():\n    return len(request.get_data())\n\n\n"
        "def form_name():\n    return request.form.get('name', '?')\n\n\n"
        "def handle(exc):\n    return {'error': 'caught', 'path': request.path}, 418\n\n\n"
        "app.register_error_handler(Exception, handle)\n\n\n"
        "@app.post('/size')\ndef size():\n    return {'n': body_size()}\n\n\n"
        "@app.post('/name')\ndef name():\n    return {'name': form_name()}\n\n\n"
        "@app.get('/boom')\ndef boom():\n    raise ValueError('x')\n"
    )
    assert convert_tree(folder, tmp_path / "converted").count("failed") == 0
    flask_app, fastapi_app = load(folder, "passing_app"), load(tmp_path / "converted", "passing_app")
    assert_same(flask_app, fastapi_app, [
        ("POST", "/size", {"data": b"12345"}),
        ("POST", "/name", {"data": {"name": "ann"}}),
        ("GET", "/boom"),
        ("GET", "/missing"),  # a 404 reaches the handler for Exception, as in Flask
    ])
