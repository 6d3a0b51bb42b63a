"""Flask-CORS's ``resources`` on the converted app match paths as Flask-CORS does.

A bare ``*`` means every path (Flask-CORS's ``re_fix``); a string with regex characters is a regex
(``re.match``, case-insensitive); any other string is an exact, case-insensitive path; a compiled pattern is
used as is; dict keys are tried longest first.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

ACAO = "access-control-allow-origin"


def _client(tmp_path, cors_call: str) -> TestClient:
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "cors_app.py").write_text(
        "import re\n\n"
        "from flask import Flask\n"
        "from flask_cors import CORS\n\n"
        "app = Flask(__name__)\n"
        f"{cors_call}\n\n\n"
        '@app.route("/<path:anything>")\n'
        "def anything(anything):\n"
        '    return "ok"\n'
    )
    convert_tree(source, tmp_path / "out")
    assert "_flask_compat import CORS" in (tmp_path / "out" / "cors_app.py").read_text()
    return TestClient(load(tmp_path / "out", "cors_app"))


@pytest.fixture(autouse=True)
def _forget_the_app():
    yield
    sys.modules.pop("cors_app", None)


def _allowed(client: TestClient, path: str, origin: str = "http://elsewhere.example") -> str | None:
    return client.get(path, headers={"Origin": origin}).headers.get(ACAO)


def test_a_bare_star_resource_means_every_path(tmp_path):
    client = _client(tmp_path, 'CORS(app, resources={r"*": {"origins": "*"}})')
    assert _allowed(client, "/anything/at/all") is not None
    assert _allowed(client, "/x") is not None


def test_a_bare_star_string_resource(tmp_path):
    client = _client(tmp_path, 'CORS(app, resources="*")')
    assert _allowed(client, "/deep/path") is not None


def test_a_plain_string_is_an_exact_case_insensitive_path(tmp_path):
    client = _client(tmp_path, 'CORS(app, resources={"/api/data": {"origins": "*"}})')
    assert _allowed(client, "/api/data") is not None
    assert _allowed(client, "/API/Data") is not None
    assert _allowed(client, "/api/data/more") is None
    assert _allowed(client, "/other") is None


def test_a_string_with_regex_characters_is_a_prefix_regex(tmp_path):
    client = _client(tmp_path, 'CORS(app, resources={r"/api/*": {"origins": "*"}})')
    assert _allowed(client, "/api/users") is not None
    assert _allowed(client, "/API/users") is not None  # Flask-CORS matches regex strings case-insensitively
    assert _allowed(client, "/web/page") is None


def test_a_compiled_pattern_and_a_list_of_resources(tmp_path):
    client = _client(tmp_path, 'CORS(app, resources=[re.compile(r"/v1/.*"), "/health"])')
    assert _allowed(client, "/v1/items") is not None
    assert _allowed(client, "/V1/items") is None  # a compiled pattern keeps its own flags
    assert _allowed(client, "/health") is not None
    assert _allowed(client, "/v2/items") is None


def test_the_longest_resource_pattern_wins(tmp_path):
    client = _client(
        tmp_path,
        'CORS(app, resources={r"/api/*": {"origins": "http://a.example"}, '
        r'r"/api/special/*": {"origins": "http://b.example"}})',
    )
    assert _allowed(client, "/api/special/x", "http://b.example") == "http://b.example"
    assert _allowed(client, "/api/special/x", "http://a.example") is None
    assert _allowed(client, "/api/plain", "http://a.example") == "http://a.example"


def test_a_request_without_an_origin_is_answered_as_flask_cors_always_sends(tmp_path):
    """Flask-CORS's ``always_send`` (default on): no Origin header (a cache, a server, a test) still gets ``*`` for
    a wildcard, the origins that are not patterns otherwise; not with ``always_send=False``."""
    client = _client(
        tmp_path,
        'CORS(app, resources={r"/open/*": {"origins": "*"}, r"/listed/*": '
        '{"origins": ["http://a.example", r"http://.*\\.b\\.example"]}, r"/quiet/*": {"always_send": False}})',
    )
    assert client.get("/open/x").headers.get(ACAO) == "*"
    listed = client.get("/listed/x")
    assert (listed.headers.get(ACAO), listed.headers.get("vary")) == ("http://a.example", "Origin")
    assert client.get("/quiet/x").headers.get(ACAO) is None
    assert client.get("/elsewhere").headers.get(ACAO) is None
