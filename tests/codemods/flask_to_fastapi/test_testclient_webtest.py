"""Suites that drove the Flask app through WebTest (``TestApp(app).post_json``) drive the converted app: under
``patch_fastapi`` a FastAPI app given to ``TestApp`` is served to it as WSGI (``wsgi_over``) by the Flask-style
client. A stand-in ``webtest`` (its ``TestApp`` calls the WSGI app it holds) keeps the test offline."""

from __future__ import annotations

import io
import sys
import textwrap

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from codemods.flask_to_fastapi.testclient import patch_fastapi, wsgi_over

WEBTEST_APP = textwrap.dedent(
    """\
    import io


    class TestApp:
        def __init__(self, app, extra_environ=None):
            self.app = app

        def get(self, path):
            environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'QUERY_STRING': '', 'SCRIPT_NAME': '',
                       'wsgi.input': io.BytesIO(b''), 'HTTP_HOST': 'localhost:80'}
            status = []
            body = b''.join(self.app(environ, lambda s, headers: status.append(s)))
            return status[0], body
    """
)


def make_app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request):
        body, query, token = await request.body(), request.query_params, request.headers.get("authorization")
        answer = JSONResponse({"body": body.decode(), "q": query.get("q"), "token": token}, status_code=201)
        answer.set_cookie("seen", "yes")
        return answer

    @app.get("/hello")
    def hello():
        return {"hi": 1}

    return app


def environ(method: str, path: str, query: str = "", body: bytes = b"", **headers: str) -> dict:
    base = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": ""}
    base |= {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": "localhost:80"}
    return base | {f"HTTP_{k.upper()}": v for k, v in headers.items()} | {"CONTENT_TYPE": "application/json"}


def test_a_wsgi_request_reaches_the_fastapi_app_with_its_body_query_and_headers():
    started = []
    chunks = wsgi_over(make_app())(
        environ("POST", "/echo", "q=1", b'{"a": 1}', AUTHORIZATION="Token abc"),
        lambda status, headers: started.append((status, headers)),
    )
    status, headers = started[0]
    assert status == "201 Created"
    assert ("set-cookie", "seen=yes; Path=/; SameSite=lax") in headers
    assert b"".join(chunks) == b'{"body":"{\\"a\\": 1}","q":"1","token":"Token abc"}'


def test_webtest_testapp_given_a_fastapi_app_drives_it_under_patch_fastapi(tmp_path, monkeypatch):
    (tmp_path / "webtest").mkdir()
    (tmp_path / "webtest" / "__init__.py").write_text("from .app import TestApp\n")
    (tmp_path / "webtest" / "app.py").write_text(WEBTEST_APP)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("webtest", "webtest.app"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    from webtest.app import TestApp

    with patch_fastapi():
        assert TestApp(make_app()).get("/hello") == ("200 OK", b'{"hi":1}')
    assert isinstance(TestApp(make_app()).app, FastAPI)  # the patch is undone
