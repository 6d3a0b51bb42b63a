"""flask-apispec's decorators on the converted app (the helper's port): a Flask app using them is converted and asked.

The answers expected are flask-apispec's with the installed webargs: what ``@use_kwargs`` loads comes in as
keyword arguments (not as FastAPI query parameters: the port hides them from the signature, ``**kwargs``
too), ``@marshal_with`` dumps the return value with the schema of its status, a view under ``@use_kwargs``
alone has its return value formatted as JSON, and a rejected input is Werkzeug's 422 whose ``data["messages"]``
the app's handler reads.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

VIEWS = """\
from flask import Flask, jsonify
from flask_apispec import marshal_with, use_kwargs
from marshmallow import Schema, fields

app = Flask(__name__)


class ItemSchema(Schema):
    slug = fields.Str(dump_only=True)
    name = fields.Str(required=True)
    tags = fields.List(fields.Str())


class CreatedSchema(Schema):
    created = fields.Str()


@app.errorhandler(422)
def unprocessable(err):
    return jsonify({'errors': err.data['messages']}), 422


@app.route('/items/<slug>', methods=('PUT',))
@use_kwargs(ItemSchema())
@marshal_with(ItemSchema())
@marshal_with(CreatedSchema(), code=201)
def edit(slug, name, **kwargs):
    if slug == 'new':
        return {'created': name}, 201
    return {'slug': slug, 'name': name, 'tags': kwargs.get('tags', []), 'secret': 'x'}


@app.route('/items', methods=('GET',))
@use_kwargs({'limit': fields.Int(), 'q': fields.Str()}, location='query')
def search(limit=20, q=None):
    return {'limit': limit, 'q': q}


@app.route('/nothing', methods=('POST',))
@use_kwargs({'limit': fields.Int()}, location='query')
def nothing(limit=1):
    return '', 200
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("apispec")
    package = root / "src" / "spec"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text(VIEWS)
    convert_tree(root / "src", root / "out")
    try:
        yield TestClient(load(root / "out", "spec.views"))
    finally:
        for name in [n for n in sys.modules if n == "spec" or n.startswith("spec.")]:
            del sys.modules[name]


def test_the_body_comes_in_as_keyword_arguments_and_the_answer_is_dumped(client):
    answer = client.put("/items/pen", json={"name": "Pen", "tags": ["a"]})
    assert (answer.status_code, answer.json()) == (200, {"slug": "pen", "name": "Pen", "tags": ["a"]})
    assert answer.headers["content-type"] == "application/json"


def test_the_schema_of_the_status_dumps_the_answer(client):
    answer = client.put("/items/new", json={"name": "Pen"})
    assert (answer.status_code, answer.json()) == (201, {"created": "Pen"})


def test_query_arguments_come_in_with_the_views_defaults_for_the_rest(client):
    assert client.get("/items?limit=5").json() == {"limit": 5, "q": None}
    assert client.get("/items").json() == {"limit": 20, "q": None}


def test_a_rejected_input_is_a_422_with_webargs_messages_for_the_apps_handler(client):
    answer = client.put("/items/pen", json={"tags": ["a"]})
    assert (answer.status_code, answer.json()) == (
        422,
        {"errors": {"json": {"name": ["Missing data for required field."]}}},
    )
    assert client.get("/items?limit=many").status_code == 422


def test_a_return_value_under_use_kwargs_alone_is_formatted_as_json(client):
    answer = client.post("/nothing")
    assert (answer.status_code, answer.text.strip(), answer.headers["content-type"]) == (200, '""', "application/json")
