"""Flask before 0.11 takes no ``root_path`` argument: the Flask app the helper makes for the converted app (the old
tests' URL twin, the extensions' shadow) is built without it and given it after. Apps pinned to Flask 0.10 whose
tests push ``app.app_context()`` on the converted app failed in every ``setUp`` (``TypeError: __init__() got an
unexpected keyword argument 'root_path'``). The installed Flask plays 0.10 through a subclass with its signature."""

from __future__ import annotations

import textwrap

import flask
from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask

    app = Flask(__name__)


    @app.route("/students/<int:id>")
    def get_student(id):
        return {"id": id}
""")


class Flask010(flask.Flask):
    """Flask 0.10.1's signature (no ``root_path``)."""

    def __init__(
        self,
        import_name,
        static_path=None,
        static_url_path=None,
        static_folder="static",
        template_folder="templates",
        instance_path=None,
        instance_relative_config=False,
    ):
        super().__init__(
            import_name,
            static_url_path=static_url_path,
            static_folder=static_folder,
            template_folder=template_folder,
            instance_path=instance_path,
            instance_relative_config=instance_relative_config,
        )


def test_an_app_context_on_flask_0_10_names_the_routes(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "studentsapp.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "studentsapp")
    monkeypatch.setattr(flask, "Flask", Flask010)
    with fastapi_app.test_request_context("/"):
        assert flask.url_for("get_student", id=3) == "/students/3"
        assert flask.current_app.root_path == fastapi_app.root_path
