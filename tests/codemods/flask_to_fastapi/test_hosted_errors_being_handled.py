"""The Flask app hosting a REST extension meets Werkzeug's errors only (``hosted_errors.read_http_errors``): a
FastAPI ``HTTPException`` raised under a view it serves (a converted ``unauthorized_handler`` an extension's
decorator calls) reaches Flask's ``handle_user_exception`` as Werkzeug's of the same code. Flask before 2.0 asserts
that the error it handles is the one being handled (``sys.exc_info()``): the translated error was not, and every
such request answered 500 with an AssertionError where Flask answered 401. It is raised now, then handled."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import flask
from fastapi import HTTPException
from werkzeug.exceptions import Unauthorized

import codemods.flask_to_fastapi as package


def test_the_translated_error_is_the_one_being_handled(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    hosted_errors = importlib.import_module("_flask_compat.hosted_errors")
    host, seen = flask.Flask(__name__), []

    def handle_user_exception(error: BaseException):  # as Flask 1.x's begins
        assert sys.exc_info()[1] is error
        seen.append(error)
        return "handled"

    host.handle_user_exception = handle_user_exception
    hosted_errors.read_http_errors(host)
    try:
        raise HTTPException(status_code=401)
    except HTTPException as error:
        assert host.handle_user_exception(error) == "handled"
    assert [type(e) for e in seen] == [Unauthorized]
    try:
        raise KeyError("x")
    except KeyError as error:
        assert host.handle_user_exception(error) == "handled"
    assert seen[-1].args == ("x",)
