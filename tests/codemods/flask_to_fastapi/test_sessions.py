"""The converted app and its Flask original share one session cookie and one sign-in, both ways.

A real Flask app (Flask-Login, values Flask's session tags) and its conversion, in one test, no network:
a cookie either app sets is sent to the other, which reads the same user and the same values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

pytest.importorskip("flask_login")
FIXTURES = Path(__file__).parent / "fixtures"
BROWSER = {"User-Agent": "a-browser/1.0", "X-Forwarded-For": "203.0.113.9"}  # one browser, whichever app answers


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    target = tmp_path_factory.mktemp("signin") / "signin"
    result = convert_tree(FIXTURES / "signin", target)
    assert result.count("failed") == 0
    return load(FIXTURES / "signin", "app"), load(target, "app")


def ask(app, path: str, cookies: dict | None = None):
    """One request from a browser holding ``cookies``; a fresh client each time, so nothing else is carried."""
    headers = {**BROWSER, **({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {})}
    if hasattr(app, "test_client"):  # Flask (the converted app has a url_map too: strict_slashes)
        return app.test_client(use_cookies=False).get(path, headers=headers)
    return FlaskStyleClient(app).get(path, headers=headers)


def set_cookie_headers(response) -> list[str]:
    headers = response.headers  # Werkzeug's Headers (getlist) or httpx's (get_list)
    return headers.getlist("set-cookie") if hasattr(headers, "getlist") else headers.get_list("set-cookie")


def set_cookies(response) -> dict[str, str]:
    return dict(header.split(";")[0].split("=", 1) for header in set_cookie_headers(response))


def cookie_attributes(response, name: str) -> str:
    """The ``Set-Cookie`` text without the value and with the expiry's seconds blurred."""
    text = next(h for h in set_cookie_headers(response) if h.startswith(name + "="))
    text = re.sub(r"^[^;]*", f"{name}=<value>", text)
    return re.sub(r"(\d\d:\d\d):\d\d GMT", r"\1:-- GMT", text)


@pytest.mark.parametrize("signs_in, reads", [("flask", "fastapi"), ("fastapi", "flask")])
@pytest.mark.parametrize("query", ["", "&big=1", "&permanent=1"])
def test_a_sign_in_on_one_app_is_read_by_the_other(apps, signs_in, reads, query):
    """Flask-Login's ``_user_id``/``_fresh``/``_id``, tuples, bytes, Markup, UUID, datetime and flashes carry over."""
    by_name = dict(zip(("flask", "fastapi"), apps, strict=True))
    signed = ask(by_name[signs_in], f"/login?id=2{query}")
    assert signed.status_code == 302
    cookies = set_cookies(signed)
    if "big" in query:
        assert cookies["sid"].startswith(".")  # zlib-compressed, as itsdangerous writes a long payload
    answer = ask(by_name[reads], "/me", cookies)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json() == {
        "user": "2",
        "cart": [1, "two"],
        "types": ["tuple", "bytes", "Markup", "UUID", "datetime", "dict"],
        "raw": "00ff",
        "note": "<b>hi</b>",
        "token": "12345678123456781234567812345678",
        "when": "2024-05-06T07:08:09+00:00",
        "nested": {" t": "a key like a tag"},
        "flashes": [["info", "signed in"]],
    }


@pytest.mark.parametrize("query", ["", "&permanent=1"])
def test_the_session_cookie_has_flasks_attributes(apps, query):
    """Name, path, HttpOnly, SameSite and (permanent) expiry as Flask sets them; ``Vary: Cookie`` too."""
    flask_app, fastapi_app = apps
    before, after = ask(flask_app, f"/login?id=1{query}"), ask(fastapi_app, f"/login?id=1{query}")
    assert cookie_attributes(after, "sid") == cookie_attributes(before, "sid")
    assert after.headers.get("vary") == before.headers.get("vary") == "Cookie"


@pytest.mark.parametrize("signs_in, reads", [("flask", "fastapi"), ("fastapi", "flask")])
def test_remember_me_signs_in_on_the_other_app_without_the_session(apps, signs_in, reads):
    """Flask-Login's ``remember_token`` (HMAC-SHA512 of the id): the session cookie lost, the user stays."""
    by_name = dict(zip(("flask", "fastapi"), apps, strict=True))
    signed = ask(by_name[signs_in], "/login?id=1&remember=1")
    remember = set_cookies(signed)["remember_token"]
    assert cookie_attributes(signed, "remember_token").endswith("; HttpOnly; Path=/")
    answer = ask(by_name[reads], "/whoami", {"remember_token": remember})
    assert (answer.status_code, answer.get_data(as_text=True)) == (200, "1")
    assert "sid" in set_cookies(answer)  # the session is signed in again from the cookie


@pytest.mark.parametrize("signs_out", ["flask", "fastapi"])
def test_signing_out_on_either_app_signs_out_of_both(apps, signs_out):
    flask_app, fastapi_app = apps
    by_name = {"flask": flask_app, "fastapi": fastapi_app}
    cookies = set_cookies(ask(flask_app if signs_out == "fastapi" else fastapi_app, "/login?id=1"))
    out = ask(by_name[signs_out], "/logout", cookies)
    assert out.status_code == 302
    cookies.update(set_cookies(out))
    for app in (flask_app, fastapi_app):
        refused = ask(app, "/me", cookies)
        assert refused.status_code == 302
        assert refused.headers["location"].endswith("/login?next=%2Fme")


def test_a_tampered_or_foreign_cookie_is_an_empty_session_on_both(apps):
    flask_app, fastapi_app = apps
    good = set_cookies(ask(flask_app, "/login?id=1"))["sid"]
    for value in (good[:-2] + "xx", "not-a-cookie"):
        for app in apps:
            assert ask(app, "/me", {"sid": value}).status_code == 302


def test_a_converted_test_suites_session_transaction_writes_flasks_cookie(apps):
    """``client.session_transaction()`` on the converted app (old test suites sign users in this way)."""
    flask_app, fastapi_app = apps
    client = FlaskStyleClient(fastapi_app)
    with client.session_transaction() as session:
        session["_user_id"] = "2"
    assert client.get("/whoami").get_data(as_text=True) == "2"
    cookie = client._client.cookies.get("sid")
    assert ask(flask_app, "/whoami", {"sid": cookie}).get_data(as_text=True) == "2"  # Flask reads it too
    with client.session_transaction() as session:
        assert session["_user_id"] == "2"
        session.clear()
    assert client.get("/whoami").status_code == 302


def test_vary_cookie_follows_the_installed_flask(apps):
    """``"key" in session`` adds ``Vary: Cookie`` from Flask 3.1.3 on (any use of the session), not before."""
    flask_app, fastapi_app = apps
    cookies = set_cookies(ask(flask_app, "/login?id=1"))
    before, after = ask(flask_app, "/peek", cookies), ask(fastapi_app, "/peek", cookies)
    assert (after.get_data(as_text=True), after.headers.get("vary")) == (
        before.get_data(as_text=True),
        before.headers.get("vary"),
    )


def test_fresh_login_required_answers_as_flask_login_for_fresh_and_remembered_users(apps):
    """A fresh sign-in passes on both; one restored from the remember cookie is stale: 401 (no refresh view)."""
    flask_app, fastapi_app = apps
    fresh = set_cookies(ask(fastapi_app, "/login?id=1&remember=1"))
    remembered = {"remember_token": fresh["remember_token"]}
    for cookies, expected in ((fresh, (200, "fresh")), (remembered, (401, None))):
        for app in apps:
            answer = ask(app, "/fresh", cookies)
            assert answer.status_code == expected[0]
            if expected[1]:
                assert answer.get_data(as_text=True) == expected[1]
    assert ask(fastapi_app, "/fresh", remembered).get_data() == ask(flask_app, "/fresh", remembered).get_data()
