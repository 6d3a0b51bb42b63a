"""A view registered by ``add_url_rule`` with a return annotation (``-> Response | str``): FastAPI's
``add_api_route`` reads it as the route's response model unless told ``response_model=None``, and one that is no
pydantic type raised FastAPIError ("Invalid args for response field!") as the route was made, so the converted app
failed at import. Flask never read it. 10f5343 said so for decorated views; here the same for ``add_url_rule``
(``view_func=f``, the positional ``(rule, endpoint, f)``, a function nested in the factory, one imported from
another module, a MethodView's annotated methods through ``as_view``, a class made per request, and the helper's
``url_rule`` for an owner handed in). A view of the run without an annotation says nothing."""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, load

TREE = {
    "annrules/__init__.py": textwrap.dedent("""\
        from flask import Flask, Response
        from flask.views import MethodView

        from annrules.views import Things, bp, register_api, shown, unmarked


        class Items(MethodView):
            def get(self) -> Response | str:
                return "items"

            def post(self):
                return "made"


        class Counted(MethodView):
            def __init__(self, start):
                self.start = start

            def get(self) -> Response | str:
                return str(self.start)


        def create_app():
            app = Flask(__name__)

            def home() -> Response | str:
                return "home"

            app.add_url_rule("/", view_func=home)
            app.add_url_rule("/n/<int:n>", "number", number)
            app.add_url_rule("/shown", view_func=shown)
            app.add_url_rule("/items", view_func=Items.as_view("items"), methods=["GET", "POST"])
            app.add_url_rule("/counted", view_func=Counted.as_view("counted", 7))
            app.add_url_rule("/things", view_func=Things.as_view("things"))
            app.add_url_rule("/plain", view_func=plain)
            app.add_url_rule("/unmarked", view_func=unmarked)
            register_api(app, Things, "more", "/more")
            app.register_blueprint(bp, url_prefix="/bp")
            return app


        def number(n: int) -> Response | str:
            return str(n * 2)


        def plain():
            return "plain"
    """),
    "annrules/views.py": textwrap.dedent("""\
        from flask import Blueprint, Response, jsonify
        from flask.views import MethodView

        bp = Blueprint("bp", __name__)


        def shown() -> Response | str:
            return "shown"


        def unmarked():
            return "unmarked"


        def listing() -> Response | str:
            return jsonify(items=[1, 2])


        class Things(MethodView):
            def get(self) -> Response | str:
                return jsonify(things=["a"])


        def register_api(app, view, endpoint, url):
            app.add_url_rule(url, view_func=view.as_view(endpoint))


        bp.add_url_rule("/list", view_func=listing)
    """),
}

REQUESTS = [
    ("GET", "/"),
    ("GET", "/n/4"),
    ("GET", "/shown"),
    ("GET", "/items"),
    ("POST", "/items"),
    ("GET", "/counted"),
    ("GET", "/things"),
    ("GET", "/more"),
    ("GET", "/plain"),
    ("GET", "/unmarked"),
    ("GET", "/bp/list"),
]


def _write(root):
    for path, text in TREE.items():
        (root / "src" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / path).write_text(text)


def test_annotated_url_rule_views_serve_as_on_flask(tmp_path):
    _write(tmp_path)
    flask_app = load(tmp_path / "src", "annrules", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "annrules", "create_app")  # raised FastAPIError without the keyword
    assert_same(flask_app, fastapi_app, REQUESTS)


def test_only_annotated_or_unseen_views_say_it(tmp_path):
    _write(tmp_path)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "annrules" / "__init__.py").read_text()
    routes = [line.strip() for line in converted.splitlines() if "add_api_route(" in line]
    said = {line.split(",")[0] + "|" + line.split(",")[1].strip() for line in routes if "response_model=None" in line}
    unsaid = {line.split(",")[0] + "|" + line.split(",")[1].strip() for line in routes} - said
    assert any('"/"' in r for r in said) and any('"/n/{n:int}"' in r for r in said)
    assert any('"/shown"' in r for r in said)  # imported: annotated where the run defines it
    assert any('"/things"' in r for r in said)
    assert any('"/unmarked"' in r for r in unsaid)
    assert any('"/items"' in r and ".get" in r for r in said)
    assert any('"/items"' in r and ".post" in r for r in unsaid)
    assert any('"/plain"' in r for r in unsaid)
