"""``app.json_encoder = ModelEncoder`` (Flask < 2.2) is what the app's JSON answers encode with.

A project's REST ``Api`` subclass sets it in its ``init_app`` to serialize its models (``{'user': user}``); kept on
Flask, that ``init_app`` runs on the Flask app hosting the extension (``flask_hosted``), and a converted view's
``jsonify``/``JSONResponse`` raised "Object of type User is not JSON serializable" (a 500 where Flask answered the
user). The encoder given to the app itself or to that host is used, under a Flask that read it (before 2.3);
without one, or under a later Flask, Flask's defaults as before.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date
from pathlib import Path

import flask
import pytest
from fastapi import FastAPI

import codemods.flask_to_fastapi as package


class User:
    name = "ann"


class ModelEncoder(json.JSONEncoder):
    def default(self, o):
        return {"name": o.name} if isinstance(o, User) else super().default(o)


@pytest.fixture
def jsonprovider(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    module = importlib.import_module("_flask_compat.jsonprovider")
    monkeypatch.setattr(module, "flask_version", lambda: (1, 1, 1))
    return module


def test_the_encoder_given_to_the_flask_app_hosting_the_extension(jsonprovider):
    app, host = FastAPI(), flask.Flask(__name__)
    host.json_encoder = ModelEncoder
    app.__dict__["flask_host"] = host
    assert jsonprovider.provider(app).response_bytes({"user": User()}) == b'{"user":{"name":"ann"}}\n'


def test_the_encoder_given_to_the_app_itself(jsonprovider):
    app = FastAPI()
    app.json_encoder = ModelEncoder
    assert jsonprovider.provider(app).dumps([User()]) == '[{"name": "ann"}]'


def test_none_given_flasks_defaults(jsonprovider):
    app, host = FastAPI(), flask.Flask(__name__)
    app.__dict__["flask_host"] = host
    assert jsonprovider.provider(app).dumps(date(2024, 1, 2)) == '"Tue, 02 Jan 2024 00:00:00 GMT"'
    with pytest.raises(TypeError, match="User is not JSON serializable"):
        jsonprovider.provider(app).dumps(User())


def test_a_flask_that_no_longer_reads_it_ignores_it(jsonprovider, monkeypatch):
    monkeypatch.setattr(jsonprovider, "flask_version", lambda: (2, 3, 0))
    app = FastAPI()
    app.json_encoder = ModelEncoder
    with pytest.raises(TypeError, match="User is not JSON serializable"):
        jsonprovider.provider(app).dumps(User())
