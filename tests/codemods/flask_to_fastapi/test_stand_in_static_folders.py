"""An extension reading the app's static folders through ``flask.current_app`` (Flask-Assets resolving a bundle:
``app.blueprints[name]`` for a ``name/...`` path, else the app's own ``static_folder``) got the Flask app standing
for the converted one, made with no static folder and no blueprints: ``TypeError: The referenced blueprint <Flask
...> has no static folder`` on every page rendering an asset bundle. The stand-in has the app's static folder and
finds the app's blueprints with static folders by name; a name the app has no blueprint for is still a KeyError."""

from __future__ import annotations

from side_by_side import assert_same, converted_with_library, load

LIBRARY = """\
import os

from flask import current_app


def folders():
    app = current_app
    found = {"app": None, "url": app.static_url_path}
    if app.has_static_folder:
        found["app"] = os.path.relpath(app.static_folder, app.root_path)
    blueprint = app.blueprints["public"]
    found["public"] = os.path.relpath(blueprint.static_folder, app.root_path) if blueprint.has_static_folder else None
    try:
        app.blueprints["nope"]
    except KeyError:
        found["nope"] = "KeyError"
    return found
"""

FILES = {
    "siteapp/__init__.py": "",
    "siteapp/static/site.css": "body {}\n",
    "siteapp/public/__init__.py": "",
    "siteapp/public/views.py": """\
from flask import Blueprint, jsonify

from flask_staticreads import folders

blueprint = Blueprint("public", __name__, static_folder="../static")


@blueprint.route("/folders")
def show():
    return jsonify(folders())
""",
    "siteapp/app.py": """\
from flask import Flask

from siteapp.public import views

app = Flask(__name__)
app.register_blueprint(views.blueprint)
""",
}


def test_an_extension_reads_the_apps_static_folders_through_current_app(tmp_path):
    import sys

    (tmp_path / "original_lib").mkdir()
    (tmp_path / "original_lib" / "flask_staticreads.py").write_text(LIBRARY)
    for path, text in FILES.items():
        (tmp_path / "src" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / path).write_text(text)
    sys.path.insert(0, str(tmp_path / "original_lib"))
    try:
        flask_app = load(tmp_path / "src", "siteapp.app")
    finally:
        sys.path.remove(str(tmp_path / "original_lib"))
        sys.modules.pop("flask_staticreads", None)
    assert flask_app.test_client().get("/folders").get_json()["public"] == "static"
    with converted_with_library(tmp_path, {"flask_staticreads": LIBRARY}, FILES, "siteapp.app") as fastapi_app:
        assert_same(flask_app, fastapi_app, [("GET", "/folders")])
