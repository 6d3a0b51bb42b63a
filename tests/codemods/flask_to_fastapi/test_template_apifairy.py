"""APIFairy's decorators on the converted app (the helper's port): a Flask app using them is converted and asked.

The answers expected are APIFairy 1.x's with webargs 8: what ``@body``/``@arguments`` load comes in front of
the path parameters, a rejected input is a 400 with webargs' messages by location through the app's
``@apifairy.error_handler``, ``@response`` dumps the return value with its status (a 204 has no body), and an
app's own decorator built from ``arguments`` and ``response`` (a pagination wrapper taking ``*args``) works.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

SCHEMAS = """\
from marshmallow import Schema, fields, validate


class ItemSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1))
    price = fields.Float(load_default=0.0)


class PageSchema(Schema):
    limit = fields.Int(load_default=10)
    tags = fields.List(fields.Str())


class MixedSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    limit = fields.Int()


class CollectionSchema(Schema):
    data = fields.List(fields.Str())
    limit = fields.Int()
"""
DECORATORS = """\
from functools import wraps

from flask import abort
from apifairy import arguments, response

from fairy.schemas import CollectionSchema, PageSchema


def paginated(schema=CollectionSchema):
    def inner(f):
        @wraps(f)
        def paginate(*args, **kwargs):
            args = list(args)
            page = args.pop(-1)
            if page['limit'] < 1:
                abort(400)
            return {'data': f(*args, **kwargs)[:page['limit']], 'limit': page['limit']}

        return arguments(PageSchema)(response(schema)(paginate))

    return inner
"""
VIEWS = """\
from flask import Flask, abort
from flask_httpauth import HTTPTokenAuth
from apifairy import APIFairy, arguments, authenticate, body, other_responses, response

from fairy.decorators import paginated
from fairy.schemas import ItemSchema, MixedSchema, PageSchema

app = Flask(__name__)
apifairy = APIFairy(app)
auth = HTTPTokenAuth()


@auth.verify_token
def verify(token):
    return 'john' if token == 'secret' else None


@apifairy.error_handler
def validation_error(code, messages):
    return {'code': code, 'errors': messages}, code


@app.route('/items', methods=['POST'])
@body(ItemSchema())
@response(ItemSchema(), 201)
def new(args):
    return {'id': 1, **args}


@app.route('/items/<int:id>', methods=['PUT'])
@authenticate(auth)
@body(ItemSchema(partial=True))
@response(ItemSchema())
@other_responses({404: 'Item not found'})
def edit(data, id):
    if id != 1:
        abort(404)
    return {'id': id, 'name': data.get('name', 'old')}


@app.route('/items/<int:id>', methods=['DELETE'])
@response(ItemSchema(), 204)
def delete(id):
    return {}


@app.route('/items', methods=['GET'])
@arguments(PageSchema())
@response(PageSchema())
def search(args):
    return args


@app.route('/mixed/<int:id>', methods=['POST'])
@body(ItemSchema())
@arguments(PageSchema())
@response(MixedSchema(), 202)
def mixed(item, page, id):
    return {'id': id, 'name': item['name'], 'limit': page['limit']}, {'X-Kind': 'mixed'}


@app.route('/letters/<word>')
@paginated()
def letters(word):
    found = list(word)
    return found
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("apifairy")
    package = root / "src" / "fairy"
    package.mkdir(parents=True)
    files = {"__init__.py": "", "schemas.py": SCHEMAS, "decorators.py": DECORATORS, "views.py": VIEWS}
    for name, text in files.items():
        (package / name).write_text(text)
    convert_tree(root / "src", root / "out")
    try:
        yield TestClient(load(root / "out", "fairy.views"))
    finally:
        for name in [n for n in sys.modules if n == "fairy" or n.startswith("fairy.")]:
            del sys.modules[name]


def test_a_valid_body_is_loaded_and_the_answer_dumped_with_the_status_given(client):
    answer = client.post("/items", json={"name": "pen"})
    assert (answer.status_code, answer.json()) == (201, {"id": 1, "name": "pen", "price": 0.0})
    assert answer.headers["content-type"] == "application/json"


def test_an_invalid_body_answers_through_the_apps_error_handler_with_webargs_messages(client):
    answer = client.post("/items", json={"name": "", "colour": "red"})
    expected = {"name": ["Shorter than minimum length 1."], "colour": ["Unknown field."]}
    assert (answer.status_code, answer.json()) == (400, {"code": 400, "errors": {"json": expected}})
    missing = client.post("/items", data={"name": "pen"})  # a form, not JSON: the JSON body is empty
    assert missing.json() == {"code": 400, "errors": {"json": {"name": ["Missing data for required field."]}}}


def test_a_body_that_is_not_json_is_a_bad_request(client):
    answer = client.post("/items", content=b"{", headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert "<h1>Bad Request</h1>" in answer.text


def test_query_arguments_are_loaded_and_rejected_by_location(client):
    answer = client.get("/items", params=[("limit", "5"), ("tags", "a"), ("tags", "b"), ("other", "x")])
    assert (answer.status_code, answer.json()) == (200, {"limit": 5, "tags": ["a", "b"]})
    wrong = client.get("/items", params={"limit": "many"})
    assert wrong.json() == {"code": 400, "errors": {"query": {"limit": ["Not a valid integer."]}}}


def test_body_then_query_arguments_come_before_the_path_parameters(client):
    answer = client.post("/mixed/7?limit=3", json={"name": "pen"})
    assert (answer.status_code, answer.json()) == (202, {"id": 7, "name": "pen", "limit": 3})
    assert answer.headers["x-kind"] == "mixed"


def test_authentication_runs_before_the_body_is_loaded(client):
    assert client.put("/items/1", json={"name": ""}).status_code == 401
    token = {"Authorization": "Bearer secret"}
    answer = client.put("/items/1", json={"name": "new"}, headers=token)
    assert (answer.status_code, answer.json()) == (200, {"id": 1, "name": "new"})
    assert client.put("/items/2", json={}, headers=token).status_code == 404


def test_a_204_answer_has_no_body(client):
    answer = client.delete("/items/1")
    assert (answer.status_code, answer.content) == (204, b"")


def test_an_apps_own_decorator_built_from_arguments_and_response(client):
    answer = client.get("/letters/hello?limit=2")
    assert (answer.status_code, answer.json()) == (200, {"data": ["h", "e"], "limit": 2})
    assert client.get("/letters/hello?limit=0").status_code == 400


def test_the_apispec_url_answers_a_json_document_named_as_apifairys(client):
    answer = client.get("/apispec.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert "/items" in answer.json()["paths"]
    assert client.app.url_path_for("apifairy.docs") == "/docs"
