"""A blueprint's ``name`` read off the converted router (``bp.name + "." + endpoint``, as code naming a cached view
builds its key): the APIRouter has no ``name``, so the read raised AttributeError (a 500). The read becomes the
blueprint's own name, known where the blueprint is built and where it is imported (at the top of a module or inside
a function)."""

from __future__ import annotations

from side_by_side import FlaskStyleClient, convert_tree, load

FILES = {
    "namedbp/__init__.py": """\
from flask import Flask


def create_app():
    app = Flask(__name__)
    from namedbp.catalog import catalog

    app.register_blueprint(catalog)
    return app
""",
    "namedbp/catalog.py": """\
from flask import Blueprint, jsonify

from namedbp.keys import view_key

catalog = Blueprint("catalog", __name__, url_prefix="/catalog")


@catalog.route("/items")
def items():
    return jsonify(own=catalog.name + ".items", key=view_key("items"))
""",
    "namedbp/keys.py": """\
def view_key(endpoint):
    from namedbp.catalog import catalog

    return "view/" + catalog.name + "." + endpoint
""",
}


def test_a_blueprints_name_is_read_as_on_flask(tmp_path):
    for path, text in FILES.items():
        (tmp_path / "src" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / path).write_text(text)
    flask_app = load(tmp_path / "src", "namedbp", "create_app")
    before = flask_app.test_client().get("/catalog/items")  # before the converted package takes its module names
    assert before.get_json() == {"own": "catalog.items", "key": "view/catalog.items"}
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "namedbp" / "keys.py").read_text()
    assert 'return "view/" + "catalog" + "." + endpoint' in converted, converted
    after = FlaskStyleClient(load(tmp_path / "out", "namedbp", "create_app")).get("/catalog/items")
    assert (after.status_code, after.json) == (200, before.get_json())
