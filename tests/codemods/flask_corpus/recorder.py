"""A pytest plugin that records every answer an app's own tests get from their test client.

``CORPUS_MODE=flask`` records Flask's client; ``CORPUS_MODE=fastapi`` gives FastAPI apps Flask's
``test_client()`` (``codemods.flask_to_fastapi.testclient``) and records that. Answers go to ``CORPUS_OUT`` as JSON.

The server side of a 500 is kept too: every exception the app raised while a request ran (what reached
Starlette's outermost middleware, or what a handler logged with its traceback, as Flask's ``log_exception``),
as ``__tracebacks__`` (test, request index, request, last line) in that JSON and in full in
``<CORPUS_OUT without .json>.tracebacks.log``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "flask_to_fastapi"))

from side_by_side import Answer  # noqa: E402

_records: dict[str, list] = {}
_current = ["<collect>"]
_patch = None
_depth = [0]
_raised: list[BaseException] = []  # what the app raised during the outermost request under way
_tracebacks: list[tuple[str, int, str, str]] = []  # test, request index, request, formatted traceback


def _recording(original):
    """Record only the outermost call: Werkzeug follows redirects by calling ``open`` again."""

    def open_and_record(self, *args, **kwargs):
        if _depth[0] == 0:
            _raised.clear()
        _depth[0] += 1
        try:
            response = original(self, *args, **kwargs)
        finally:
            _depth[0] -= 1
        if _depth[0] == 0:
            _record(response)
            _keep_tracebacks(_request_of(self, args, kwargs))
        return response

    return open_and_record


def _record(response) -> None:
    answer = Answer.of(_WebTestAnswer(response) if hasattr(response, "status_int") else response)
    _records.setdefault(_current[0], []).append([answer.status, answer.location, answer.json, answer.text])


def _request_of(client, args: tuple, kwargs: dict) -> str:
    """``METHOD path`` of a recorded call (Flask's ``open(path, method=)``, WebTest's ``do_request(req)``)."""
    request = args[0] if args else kwargs.get("path", kwargs.get("req", "/"))
    if hasattr(request, "method") and hasattr(request, "path_qs"):  # a WebOb request
        return f"{request.method} {request.path_qs}"
    return f"{str(kwargs.get('method') or (args[1] if len(args) > 1 else 'GET')).upper()} {request}"


def _app_raised(exc: BaseException) -> None:
    if _depth[0] and not any(seen is exc for seen in _raised):
        _raised.append(exc)


def _keep_tracebacks(request: str) -> None:
    index = len(_records.get(_current[0], [])) - 1
    for exc in _raised:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        _tracebacks.append((_current[0], index, request, text))
    _raised.clear()


class _LoggedErrors(logging.Handler):
    """A record logged with an exception's traceback while a request runs (Flask's ``log_exception``, an app's own
    500 handler logging what it answers)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            _app_raised(record.exc_info[1])


def _keep_server_errors() -> None:
    """Starlette's ``ServerErrorMiddleware`` answers 500 (the app's own 500 handler, if any) and raises the
    exception again for the test client, which drops it (``raise_server_exceptions=False``): seen on its way."""
    from starlette.middleware.errors import ServerErrorMiddleware

    original = ServerErrorMiddleware.__call__

    async def __call__(self, scope, receive, send):
        try:
            await original(self, scope, receive, send)
        except Exception as exc:
            _app_raised(exc)
            raise

    ServerErrorMiddleware.__call__ = __call__


def pytest_configure(config) -> None:
    global _patch
    logging.getLogger().addHandler(_LoggedErrors(logging.ERROR))
    if os.environ.get("CORPUS_MODE") == "fastapi":
        from codemods.flask_to_fastapi import testclient

        _keep_server_errors()
        testclient.FlaskStyleClient.open = _recording(testclient.FlaskStyleClient.open)
        _patch = testclient.patch_fastapi()
        _patch.__enter__()
    else:
        from flask.testing import FlaskClient

        FlaskClient.open = _recording(FlaskClient.open)
        _record_webtest()


class _WebTestAnswer:
    """A WebTest response (WebOb's) with the names ``Answer.of`` reads on Werkzeug's."""

    def __init__(self, response):
        self.status_code, self.headers, self._response = response.status_int, response.headers, response

    def get_data(self, as_text: bool = False):
        return self._response.text if as_text else self._response.body


def _record_webtest() -> None:
    """Suites that drive the Flask app through WebTest (``TestApp(app).post_json``): its requests are recorded
    too. The converted side needs no patch: the test client helper hands WebTest's requests to the Flask-style
    client, which is recorded."""
    try:
        from webtest.app import TestApp
    except ImportError:
        return
    TestApp.do_request = _recording(TestApp.do_request)


def pytest_runtest_setup(item) -> None:
    _current[0] = item.nodeid


def pytest_runtest_logreport(report) -> None:
    if report.when == "call":
        _records.setdefault("__outcomes__", []).append([report.nodeid, report.outcome])


def pytest_unconfigure(config) -> None:
    out = Path(os.environ["CORPUS_OUT"])
    _records["__tracebacks__"] = [
        [test, index, request, (text.strip().splitlines() or ["?"])[-1][:300]]
        for test, index, request, text in _tracebacks
    ]
    out.write_text(json.dumps(_records))
    out.with_suffix(".tracebacks.log").write_text(
        "".join(f"== {test} #{index} {request}\n{text}\n" for test, index, request, text in _tracebacks)
    )
