"""Convert the real admin-assistant's ``src/web`` with flask-to-fastapi and ask both apps the same requests.

Not a unit test: it needs the app's checkout and a venv with the app's requirements plus the toolkit
(``pip install -e "asyncshift[web]"``, fastapi, uvicorn, python-multipart). No network: MSAL and Graph
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

from real_app_web_signin import (
    PROFILE,
    add_user,
    fastapi_sign_in_route,
    flask_sign_in_route,
    without_network,
)

BROWSER = {"User-Agent": "Mozilla/5.0 (real-app-web)", "X-Forwarded-For": "198.51.100.7"}
READ_HEADERS = "content-type vary content-security-policy x-content-type-options x-frame-options x-xss-protection"
READ_HEADERS += " referrer-policy permissions-policy strict-transport-security"

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
        if hasattr(app, "test_client"):  # Flask (a converted app has a url_map too)
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


def across_the_strangler(flask_app: Any, fastapi_app: Any) -> dict:
    """Both apps behind ``compat.web.Strangler`` (one browser, one cookie jar); routes move between the stacks
    while the user is signed in, signed out on one and read on the other."""
    from starlette.testclient import TestClient

    from compat.flags import Stage
    from compat.web.strangler import Strangler

    stages: dict[str, Stage] = {}

    class Stages:  # the flag store, as the strangler reads it: a stage per target (here a path)
        def stage(self, target: str) -> Stage:
            return stages.get(target, Stage.SYNC)

    strangler = Strangler(fastapi_app, flask_app, target_of=lambda method, path: path, store=Stages())
    seen = {}
    with TestClient(strangler, base_url="http://localhost", headers=BROWSER) as client:

        def get(path: str, stage: Stage) -> tuple[int, str]:
            stages[path.split("?")[0]] = stage
            response = client.get(path, follow_redirects=False)
            return response.status_code, response.headers.get("x-served-by", "?")

        seen["sign in on flask"] = get("/__sign_in?id=1", Stage.SYNC)
        seen["/ on flask"] = get("/", Stage.SYNC)
        seen["/ moved to fastapi"] = get("/", Stage.ASYNC)
        seen["/jobs/status on fastapi"] = get("/jobs/status", Stage.ASYNC)
        seen["/ rolled back to flask"] = get("/", Stage.SYNC)
        seen["logout on fastapi"] = get("/logout", Stage.ASYNC)
        seen["/ on flask after"] = get("/", Stage.SYNC)
        seen["sign in on fastapi"] = get("/__sign_in?id=1", Stage.ASYNC)
        seen["/ on flask, signed in by fastapi"] = get("/", Stage.SYNC)
    expected = {
        "sign in on flask": (200, "sync"),
        "/ on flask": (200, "sync"),
        "/ moved to fastapi": (200, "async"),
        "/jobs/status on fastapi": (200, "async"),
        "/ rolled back to flask": (200, "sync"),
        "logout on fastapi": (302, "async"),
        "/ on flask after": (302, "sync"),
        "sign in on fastapi": (200, "async"),
        "/ on flask, signed in by fastapi": (200, "sync"),
    }
    return {"stays_signed_in": seen == expected, "answers": seen}


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
    strangled = across_the_strangler(flask_app, fastapi_app)
    routes: dict[str, bool] = {}
    for result in (r for r in results if not r["route"].startswith("(")):  # the app's 13, not the sign-in
        routes[result["route"]] = routes.get(result["route"], True) and result["same"]
    if args.json:
        everything = {"conversion": report, "results": results, "across": across, "strangler": strangled}
        print(json.dumps(everything, indent=1, default=str))
    for result in results:
        mark = "same" if result["same"] else "DIFFERS in " + ", ".join(result["differs"])
        print(f"  {result['signed']:>10}  {result['request']:<72} {result['status']}  {mark}")
    print(f"routes answering as Flask: {sum(routes.values())}/{len(routes)}")
    print(f"requests answering as Flask: {sum(r['same'] for r in results)}/{len(results)}")
    for direction, facts in across.items():
        works = all(facts[k] for k in ("signed_in", "page_shows_user", "logout_carries"))
        print(f"login {direction}: {'yes' if works else 'no'} {facts}")
    print(f"behind the strangler, signed in while routes move: {'yes' if strangled['stays_signed_in'] else 'no'}")
    for step, (status, served_by) in strangled["answers"].items():
        print(f"  {step:<36} {status} served by {served_by}")
    print(f"work folder: {work}")
    return 0 if all(routes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
