"""Convert the real admin-assistant's ``src/web`` with flask-to-fastapi and ask both apps the same requests.

Not a unit test: it needs the app's checkout and a venv with the app's requirements plus the toolkit
(``pip install -e asyncshift``, fastapi, uvicorn, python-multipart). No network: MSAL and Graph
(``requests.get``) are fakes. Both apps run in this process (test clients) on SQLite files.

    python scripts/real_app_web.py --app /tmp/aa [--work /tmp/real_app_web] [--json]

Prints per request whether the converted app answered as the Flask app (status, ``Location``, the headers a
client reads, cookie attributes, the body's bytes), then whether a sign-in carries across.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BROWSER = {"User-Agent": "Mozilla/5.0 (real-app-web)", "X-Forwarded-For": "198.51.100.7"}
READ_HEADERS = "content-type vary content-security-policy x-content-type-options x-frame-options x-xss-protection"
READ_HEADERS += " referrer-policy permissions-policy strict-transport-security"
PROFILE = {"mail": "ann@example.com", "displayName": "Ann Example"}

# (route, method, path, body): the app's 13 routes, asked signed out and signed in
ROUTES = [
    ("/", "GET", "/", None),
    ("/ms365/login", "GET", "/ms365/login", None),
    ("/ms365/auth/callback", "GET", "/ms365/auth/callback?error=access_denied&error_description=Denied", None),
    ("/ms365/auth/callback", "GET", "/ms365/auth/callback?code=abc&state=" + "0" * 32, None),  # fails in both
    ("/ms365/calendar", "GET", "/ms365/calendar", None),
    ("/login", "GET", "/login", None),
    ("/archive/now", "POST", "/archive/now", {}),
    ("/settings", "GET", "/settings", None),
    ("/jobs/schedule", "POST", "/jobs/schedule", {"schedule_type": "hourly"}),
    ("/jobs/schedule", "POST", "/jobs/schedule", {"hour": 25}),
    ("/jobs/schedule", "POST", "/jobs/schedule", {}),
    ("/jobs/trigger", "POST", "/jobs/trigger", {}),
    ("/jobs/status", "GET", "/jobs/status", None),
    ("/jobs/remove", "POST", "/jobs/remove", None),
    ("/jobs/health", "GET", "/jobs/health", None),
    ("/logout", "GET", "/logout", None),
]


# -- no network: Microsoft answered by fakes ----------------------------------------------------------------
class FakeMsal:
    """``msal.ConfidentialClientApplication`` without the authority discovery it does over the network."""

    def __init__(self, client_id: str, authority: str | None = None, client_credential: Any = None, **_: Any):
        self.client_id, self.authority = client_id, authority

    def get_authorization_request_url(self, scopes: list, state: str | None = None, redirect_uri: str | None = None):
        query = urlencode(
            {"client_id": self.client_id, "scope": " ".join(scopes), "state": state, "redirect_uri": redirect_uri}
        )
        return f"{self.authority}/oauth2/v2.0/authorize?{query}"

    def acquire_token_by_authorization_code(self, code: str, scopes: list, redirect_uri: str | None = None):
        return {"access_token": f"token-for-{code}", "refresh_token": "refresh", "expires_in": 3600}


class FakeGraphResponse:
    def __init__(self, status: int, payload: Any = None):
        self.status_code, self._payload, self.headers, self.content = status, payload, {}, b""

    def json(self) -> Any:
        return self._payload


def fake_get(url: str, *args: Any, **kwargs: Any) -> FakeGraphResponse:
    if url.endswith("/v1.0/me"):
        return FakeGraphResponse(200, PROFILE)
    return FakeGraphResponse(404)


def without_network() -> None:
    import msal
    import requests

    msal.ConfidentialClientApplication = FakeMsal
    requests.get = fake_get


# -- the two apps ---------------------------------------------------------------------------------------------
def convert(app_root: Path, work: Path) -> dict:
    """Copy the app's ``src`` twice; convert the second copy's ``web`` with the toolkit's command."""
    for name in ("original", "converted"):
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(app_root / "src", work / name / "src", ignore=shutil.ignore_patterns("__pycache__", "logs"))
    command = [str(Path(sys.executable).with_name("asyncshift")), "codemod", "run", "flask-to-fastapi"]
    report = work / "codemod.json"
    done = subprocess.run(
        [*command, str(work / "converted/src/web"), "--report", str(report)], capture_output=True, text=True, cwd=work
    )
    if done.returncode != 0:
        raise SystemExit(f"conversion failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    print(done.stdout.strip().splitlines()[-1])
    return json.loads(report.read_text())


def _purge_web() -> None:
    for name in list(sys.modules):
        if name == "web" or name.startswith("web.") or "_flask_compat" in name or "_flask_sqlalchemy" in name:
            del sys.modules[name]


def load_app(src: Path) -> Any:
    """Import ``web.app`` from ``src`` (fresh) and build the app with its factory."""
    _purge_web()
    sys.path.insert(0, str(src))
    try:
        return importlib.import_module("web.app").create_app()
    finally:
        sys.path.remove(str(src))


def prepare_databases(flask_app: Any) -> None:
    """The web tables (Flask-SQLAlchemy's ``create_all``) and the core tables, in this run's SQLite files."""
    from core import db as core_db

    importlib.import_module("core.models")
    core_db.Base.metadata.create_all(core_db.engine)
    web_db = sys.modules["web.app"].db
    with flask_app.app_context():
        web_db.create_all()


def environment(work: Path) -> None:
    os.environ.update(
        APP_ENV="testing",
        TEST_DATABASE_URL=f"sqlite:///{work / 'web.db'}",
        CORE_DATABASE_URL=f"sqlite:///{work / 'core.db'}",
        SECRET_KEY="real-app-web-secret",
        ENCRYPTION_KEY="k" * 32,
        TEST_LOG_LEVEL="ERROR",
    )
    for name in ("web.db", "core.db"):
        (work / name).unlink(missing_ok=True)


# -- signing in -----------------------------------------------------------------------------------------------
# The app's own user_loader (User.query.get) fails in both stacks: User's relationships name classes of the
# core registry ("Appointment"...), so its mapper never configures, and the OAuth callback fails the same way.
# Sign-in is measured with each stack's own login_user/login_required/session cookie and a loader that reads
# the same users row with plain SQL.
class RowUser:
    """The users row as Flask-Login needs it (what ``User`` would give, without its broken relationships)."""

    is_active = is_authenticated = True
    is_anonymous = False

    def __init__(self, row: dict):
        self.__dict__.update(row)

    def get_id(self) -> str:
        return str(self.id)


def _web_engine() -> Any:
    from sqlalchemy import create_engine

    return create_engine(os.environ["TEST_DATABASE_URL"])


def row_loader(user_id: str) -> RowUser | None:
    from sqlalchemy import text

    engine = _web_engine()
    try:
        with engine.connect() as connection:
            query = text("SELECT * FROM users WHERE id = :id")  # the encrypted token columns are NULL
            row = connection.execute(query, {"id": int(user_id)}).mappings().first()
    finally:
        engine.dispose()
    return RowUser(dict(row)) if row else None


def add_user() -> None:
    from sqlalchemy import text

    engine = _web_engine()
    with engine.begin() as connection:
        statement = "INSERT INTO users (id, email, name, is_active) VALUES (1, :email, :name, 1)"
        connection.execute(text(statement), {"email": PROFILE["mail"], "name": PROFILE["displayName"]})
    engine.dispose()


def flask_sign_in_route(flask_app: Any) -> None:
    """``/__sign_in?id=1`` on the Flask app: Flask-Login's own ``login_user`` (added before any request)."""
    import flask
    import flask_login

    def sign_in():
        flask_login.login_user(row_loader(flask.request.args["id"]))
        return "signed in"

    flask_app.add_url_rule("/__sign_in", "__sign_in", sign_in)
    flask_app.login_manager._user_callback = row_loader


def fastapi_sign_in_route(fastapi_app: Any) -> None:
    """``/__sign_in?id=1`` on the converted app: the helper's ``login_user``, the converted app's own."""
    from fastapi.responses import HTMLResponse

    helper = sys.modules[type(fastapi_app.login_manager).__module__.rpartition(".")[0] + ".login_views"]

    @fastapi_app.get("/__sign_in")
    def sign_in(id: str):  # noqa: A002 - the query parameter's name
        helper.login_user(row_loader(id))
        return HTMLResponse("signed in")

    fastapi_app.login_manager._user_callback = row_loader


# -- asking both ----------------------------------------------------------------------------------------------
class Browser:
    """One browser's cookies, sent by hand to whichever app answers (a fresh test client per request)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def ask(self, app: Any, method: str, path: str, body: Any = None) -> Any:
        from codemods.flask_to_fastapi.testclient import FlaskStyleClient

        headers = dict(BROWSER)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        kwargs: dict = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        if hasattr(app, "url_map"):
            response = app.test_client(use_cookies=False).open(path, method=method, **kwargs)
            set_cookies = response.headers.getlist("set-cookie")
        else:
            response = FlaskStyleClient(app).open(path, method=method, **kwargs)
            set_cookies = response.headers.get_list("set-cookie")
        for header in set_cookies:
            name, _, value = header.split(";")[0].partition("=")
            if value and "Expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response


def _no_state(text: str | None) -> str | None:
    """The random OAuth ``state`` (``os.urandom(16).hex()`` in the app) blurred in a Location or a body."""
    return re.sub(r"state=[0-9a-f]{32}", "state=<state>", text) if text else text


def answer(response: Any) -> dict:
    """What a client reads: status, Location, the headers above, cookie names and attributes, the body."""
    headers = {k.lower(): v for k, v in response.headers.items()}
    getlist = getattr(response.headers, "getlist", None) or response.headers.get_list
    cookies = sorted(
        re.sub(r"^([^=]*)=[^;]*", r"\1=<value>", re.sub(r"(\d\d:\d\d):\d\d GMT", r"\1 GMT", c))
        for c in getlist("set-cookie")
    )
    kind = headers.get("content-type", "").split(";")[0]
    data = response.get_data()
    body = data.decode("utf-8", "replace")  # the bytes: JSON and pages alike
    if kind.endswith("json"):  # the app's own random error id blurred
        body = re.sub(r'("error_id": ?)"[0-9a-f]{32}"', r'\1"<uuid4>"', body)
    return {
        "status": response.status_code,
        "location": _no_state(headers.get("location")),
        "headers": {name: headers.get(name) for name in READ_HEADERS.split()},
        "set-cookie": cookies,
        "body": _no_state(body),
    }


def differences(before: dict, after: dict) -> list[str]:
    return [key for key in before if before[key] != after[key]]


def compare(flask_app: Any, fastapi_app: Any) -> list[dict]:
    """Every route signed out (a new browser each), then signed in (one browser per app), logout last."""
    results = []

    def record(route: str, request: str, signed: str, before: Any, after: Any) -> None:
        b, a = answer(before), answer(after)
        results.append(
            {
                "route": route,
                "request": request,
                "signed": signed,
                "status": b["status"],
                "same": b == a,
                "differs": differences(b, a),
            }
        )
        if b != a:
            results[-1]["flask"], results[-1]["fastapi"] = b, a

    for route, method, path, body in ROUTES:
        record(
            route,
            f"{method} {path}",
            "out",
            Browser().ask(flask_app, method, path, body),
            Browser().ask(fastapi_app, method, path, body),
        )
    browsers = Browser(), Browser()
    record(
        "(sign-in)",
        "GET /__sign_in?id=1",
        "signing in",
        browsers[0].ask(flask_app, "GET", "/__sign_in?id=1"),
        browsers[1].ask(fastapi_app, "GET", "/__sign_in?id=1"),
    )
    for route, method, path, body in ROUTES:
        before = browsers[0].ask(flask_app, method, path, body)
        record(route, f"{method} {path}", "in", before, browsers[1].ask(fastapi_app, method, path, body))
    return results


def carries_across(signs_in: Any, reads: Any) -> dict:
    """Sign in on one app (its OAuth callback), read a login_required page and JSON on the other, sign out there."""
    browser = Browser()
    signed = browser.ask(signs_in, "GET", "/__sign_in?id=1")
    cookie = browser.cookies.get("session", "")
    page = browser.ask(reads, "GET", "/")
    status = browser.ask(reads, "GET", "/jobs/status")
    browser.ask(reads, "GET", "/logout")
    after_logout = browser.ask(signs_in, "GET", "/")
    return {
        "signed_in": signed.status_code == 200 and bool(cookie),
        "compressed_cookie": cookie.startswith("."),
        "page": page.status_code,
        "page_shows_user": PROFILE["displayName"] in page.get_data(as_text=True),
        "jobs_status": status.status_code,
        "logout_carries": after_logout.status_code == 302,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app", type=Path, default=Path("/tmp/aa"), help="the admin-assistant checkout (read only)")
    parser.add_argument("--work", type=Path, default=None, help="where the copies and databases go (default: temp)")
    parser.add_argument("--json", action="store_true", help="print the full comparison as JSON")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="real_app_web-"))
    work.mkdir(parents=True, exist_ok=True)
    report = convert(args.app.resolve(), work)
    environment(work)
    without_network()
    os.chdir(work)
    flask_app = load_app(work / "original/src")
    flask_app.config["PROPAGATE_EXCEPTIONS"] = False  # a view's error is a 500 page, as served
    prepare_databases(flask_app)
    add_user()
    flask_sign_in_route(flask_app)
    fastapi_app = load_app(work / "converted/src")
    fastapi_app.config["PROPAGATE_EXCEPTIONS"] = False
    fastapi_sign_in_route(fastapi_app)
    results = compare(flask_app, fastapi_app)
    across = {
        "flask -> fastapi": carries_across(flask_app, fastapi_app),
        "fastapi -> flask": carries_across(fastapi_app, flask_app),
    }
    routes: dict[str, bool] = {}
    for result in (r for r in results if not r["route"].startswith("(")):  # the app's 13, not the sign-in
        routes[result["route"]] = routes.get(result["route"], True) and result["same"]
    if args.json:
        print(json.dumps({"conversion": report, "results": results, "across": across}, indent=1, default=str))
    for result in results:
        mark = "same" if result["same"] else "DIFFERS in " + ", ".join(result["differs"])
        print(f"  {result['signed']:>10}  {result['request']:<72} {result['status']}  {mark}")
    print(f"routes answering as Flask: {sum(routes.values())}/{len(routes)}")
    print(f"requests answering as Flask: {sum(r['same'] for r in results)}/{len(results)}")
    for direction, facts in across.items():
        works = all(facts[k] for k in ("signed_in", "page_shows_user", "logout_carries"))
        print(f"login {direction}: {'yes' if works else 'no'} {facts}")
    print(f"work folder: {work}")
    return 0 if all(routes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
