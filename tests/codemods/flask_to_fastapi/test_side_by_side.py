"""Fixture apps converted and served next to their Flask originals: same status, redirect, JSON, page text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from side_by_side import ask_both, assert_same, convert_tree, load

from codemods import report
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

FIXTURES = Path(__file__).parent / "fixtures"


def test_shop_answers_the_same(tmp_path):
    result = convert_tree(FIXTURES / "shop", tmp_path / "shop")
    assert result.count("failed") == 0
    flask_app, fastapi_app = load(FIXTURES / "shop", "app"), load(tmp_path / "shop", "app")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/"),
            ("GET", "/?page=3&q=hi"),
            ("GET", "/items/3"),
            ("GET", "/items/30"),
            ("GET", "/items/abc"),
            ("POST", "/items", {"json": {"name": "a"}}),
            ("POST", "/items", {"json": {}}),
            ("GET", "/login"),
            ("POST", "/login", {"data": {"username": "bob"}}),
            ("GET", "/"),
            ("GET", "/missing"),
        ],
    )


def test_what_helpers_return_answers_as_in_flask(tmp_path):
    """A helper's ``(jsonify(...), 500)``, ``(body, status, headers)``, text, generator: Flask's status and body."""
    result = convert_tree(FIXTURES / "returns", tmp_path / "returns")
    assert result.count("failed") == 0
    flask_app, fastapi_app = load(FIXTURES / "returns", "app"), load(tmp_path / "returns", "app")
    flask_app.testing = False  # a view's TypeError answers 500 rather than raising in the test
    requests = ["/error", "/missing", "/headers", "/text", "/built", "/stream", "/variable/error", "/variable/headers"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in requests])
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", p) for p in ("/headers", "/built")]):
        for name in ("content-type", "x-made", "x-built"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)


def test_a_view_returning_no_valid_response_is_a_500_as_in_flask(tmp_path):
    convert_tree(FIXTURES / "returns", tmp_path / "returns")
    fastapi_app = load(tmp_path / "returns", "app")
    assert FlaskStyleClient(fastapi_app, raise_server_exceptions=False).get("/wrong").status_code == 500


LEGACY_REQUESTS = [
    ("GET", "/"),
    ("POST", "/add", {"data": {"title": "one", "user": "ann"}}),
    ("POST", "/add", {"data": {"title": "two"}}),
    ("POST", "/add", {"data": {"title": "three"}}),
    ("GET", "/"),
    ("GET", "/?page=2"),
    ("GET", "/?page=9"),
    ("GET", "/entry/1"),
    ("GET", "/entry/99"),
    ("POST", "/add", {"data": {}}),
]


def test_a_flask_1_era_app_answers_the_same_and_declares_what_it_needs(tmp_path):
    """Flask-SQLAlchemy 2 paging by position, a form, the session, flash; the report lists python-multipart."""
    result = convert_tree(FIXTURES / "legacy", tmp_path / "legacy")
    assert result.count("failed") == 0
    assert result.as_json()["requirements"] == result.requirements
    names = {r.split(">=")[0] for r in result.requirements}
    assert {"fastapi", "uvicorn", "python-multipart", "jinja2", "itsdangerous", "sqlalchemy"} <= names
    assert "The converted code needs: fastapi>=" in report.summary(result, mode="write")
    flask_app, fastapi_app = load(FIXTURES / "legacy", "app"), load(tmp_path / "legacy", "app")
    assert_same(flask_app, fastapi_app, LEGACY_REQUESTS)


def test_two_packages_share_one_helper_package_and_one_request_context(tmp_path):
    """A view in ``web`` calls helpers in ``auth`` that read ``session``/``g``: one ``_flask_compat/`` at the top."""
    result = convert_tree(FIXTURES / "twopackages", tmp_path / "two")
    assert result.count("failed") == 0
    assert sorted(
        p.parent.relative_to(tmp_path / "two").as_posix() for p in tmp_path.rglob("_flask_compat/app.py")
    ) == ["_flask_compat"]
    assert "from _flask_compat import" in (tmp_path / "two/auth/checks.py").read_text()
    flask_app = load(FIXTURES / "twopackages", "web", "create_app")
    for name in [n for n in sys.modules if n == "auth" or n.startswith("auth.")]:
        del sys.modules[name]  # the converted web imports the converted auth
    fastapi_app = load(tmp_path / "two", "web", "create_app")
    requests = [("GET", "/me"), ("GET", "/secret"), ("GET", "/login/ann"), ("GET", "/me"), ("GET", "/secret")]
    assert_same(flask_app, fastapi_app, requests)


def test_redirect_and_error_pages_and_url_for_with_defaults_are_byte_for_byte(tmp_path):
    """Werkzeug's redirect page (also the strict-slash 308), its escaping (``&#39;``), url_for on defaults rules."""
    convert_tree(FIXTURES / "exact", tmp_path / "exact")
    flask_app, fastapi_app = load(FIXTURES / "exact", "app"), load(tmp_path / "exact", "app")
    requests = [
        ("GET", path)
        for path in ("/go", "/away", "/slash", "/quote", "/links", "/users/", "/users/page/2", "/users/page/1")
    ]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        seen = (after.status, after.location, after.headers.get("content-type"), after.body)
        assert seen == (before.status, before.location, before.headers.get("content-type"), before.body), request


JSON_PATHS = ["/jsonify", "/kwargs", "/dict", "/values", "/status", "/list", "/many", "/helper", "/empty"]


@pytest.mark.parametrize("variant", ["default", "debug", "unsorted", "pretty"])
def test_json_answers_are_flasks_bytes(tmp_path, variant):
    """``jsonify`` and returned dicts: sorted keys, ASCII escapes, compact or (debug) indented, the newline, dates."""
    convert_tree(FIXTURES / "exact", tmp_path / "exact")
    flask_app = load(FIXTURES / "exact", "jsonapi", "create_app", variant)
    fastapi_app = load(tmp_path / "exact", "jsonapi", "create_app", variant)
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", path) for path in JSON_PATHS]):
        seen = (after.status, after.headers.get("content-type"), after.body)
        assert seen == (before.status, before.headers.get("content-type"), before.body), request


@pytest.mark.parametrize("variant", ["default", "keys", "pretty", "debug"])
def test_json_answers_of_a_flask_1_app_are_its_bytes(tmp_path, variant, monkeypatch):
    """JSON_SORT_KEYS, JSON_AS_ASCII, JSONIFY_PRETTYPRINT_REGULAR (", " at line ends), JSONIFY_MIMETYPE, debug.

    Compared with what Flask 1.1.4 answered (recorded in ``legacy_json.flask-1.1.4.json``); the helper follows
    the Flask installed beside it, here told it is 1.1.
    """
    recorded = json.loads((FIXTURES / "exact/legacy_json.flask-1.1.4.json").read_text(encoding="utf-8"))["answers"]
    convert_tree(FIXTURES / "exact", tmp_path / "exact")
    fastapi_app = load(tmp_path / "exact", "legacy_json", "create_app", variant)
    for name in ("_flask_compat.jsonprovider", "_flask_compat.responses"):
        monkeypatch.setattr(sys.modules[name], "flask_version", lambda: (1, 1))
    client = FlaskStyleClient(fastapi_app)
    for key, (status, content_type, body) in recorded.items():
        if key.startswith(variant + " "):
            answer = client.get(key.split(" ", 1)[1])
            assert (answer.status_code, answer.headers["content-type"], answer.get_data()) == (
                status,
                content_type,
                body.encode(),
            ), key


def test_an_unhandled_error_is_flasks_500_page_through_the_after_request_hooks(tmp_path):
    convert_tree(FIXTURES / "exact", tmp_path / "exact")
    flask_app, fastapi_app = load(FIXTURES / "exact", "errors_app"), load(tmp_path / "exact", "errors_app")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/boom"), ("GET", "/fine")]):
        seen = (after.status, after.headers.get("content-type"), after.headers.get("x-seen"), after.body)
        assert seen == (before.status, before.headers.get("content-type"), before.headers.get("x-seen"), before.body), (
            request
        )
