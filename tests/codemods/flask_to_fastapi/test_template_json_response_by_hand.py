"""A test calling a JSON view by hand read Flask's answer, ``(await project_info_json(id)).json``: the conversion
writes the view's ``jsonify(...)`` as the helper's ``JSONResponse(...)``, which has Flask's ``.json`` and
``get_json()`` (the body parsed); its body and what FastAPI serves are unchanged. Side by side with Flask."""

from __future__ import annotations

import flask
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codemods.flask_to_fastapi.template._flask_compat.jsonprovider import JSONResponse

DATA = {"project": {"id": 3, "name": "Bee"}, "team": [1, 2], "none": None}


def flask_answer():
    app = flask.Flask(__name__)
    with app.app_context():
        return flask.jsonify(DATA)


def test_a_json_view_called_by_hand_reads_as_flasks():
    flasks, converted = flask_answer(), JSONResponse(DATA)
    assert converted.json == flasks.json == DATA
    assert converted.get_json() == flasks.get_json() == DATA
    assert JSONResponse([1, "a"]).json == [1, "a"]


def test_a_body_not_json_raises_unless_silent_as_flasks():
    flasks, converted = flask_answer(), JSONResponse(DATA)
    flasks.set_data(b"not json")
    converted.body = b"not json"
    for answer in (flasks, converted):
        assert answer.get_json(silent=True) is None
        with pytest.raises(ValueError):
            answer.get_json()


def test_what_fastapi_serves_is_unchanged():
    app = FastAPI()
    app.get("/p")(lambda: JSONResponse(DATA, status_code=201))
    answer = TestClient(app).get("/p")
    assert (answer.status_code, answer.json(), answer.headers["content-type"]) == (201, DATA, "application/json")
