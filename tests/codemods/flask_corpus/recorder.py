"""A pytest plugin that records every answer an app's own tests get from their test client.

``CORPUS_MODE=flask`` records Flask's client; ``CORPUS_MODE=fastapi`` gives FastAPI apps Flask's
``test_client()`` (``codemods.flask_to_fastapi.testclient``) and records that. Answers go to ``CORPUS_OUT`` as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "flask_to_fastapi"))

from side_by_side import Answer  # noqa: E402

_records: dict[str, list] = {}
_current = ["<collect>"]
_patch = None
_depth = [0]


def _recording(original):
    """Record only the outermost call: Werkzeug follows redirects by calling ``open`` again."""

    def open_and_record(self, *args, **kwargs):
        _depth[0] += 1
        try:
            response = original(self, *args, **kwargs)
        finally:
            _depth[0] -= 1
        if _depth[0] == 0:
            _record(response)
        return response

    return open_and_record


def _record(response) -> None:
    answer = Answer.of(_WebTestAnswer(response) if hasattr(response, "status_int") else response)
    _records.setdefault(_current[0], []).append([answer.status, answer.location, answer.json, answer.text])


def pytest_configure(config) -> None:
    global _patch
    if os.environ.get("CORPUS_MODE") == "fastapi":
        from codemods.flask_to_fastapi import testclient

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
    Path(os.environ["CORPUS_OUT"]).write_text(json.dumps(_records))
