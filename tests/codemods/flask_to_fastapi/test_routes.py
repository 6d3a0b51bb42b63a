"""Routes, methods, URL rules and converters, add_url_rule and MethodView."""

from __future__ import annotations

import pytest
from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD
from codemods.flask_to_fastapi.rules import convert

HEAD_TEXT = "from fastapi import FastAPI\n# TODO(asyncshift): _flask_compat.py (written beside this module) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state\nfrom _flask_compat import init_app\n\napp = FastAPI()\ninit_app(app, __name__)\n"
HEAD = "".join("        " + line if line.strip() else line for line in HEAD_TEXT.splitlines(True))


@pytest.mark.parametrize(
    ("rule", "path", "annotations"),
    [
        ("/user/<username>", "/user/{username}", ["str"]),
        ("/post/<int:post_id>", "/post/{post_id:int}", ["int"]),
        ("/price/<float:x>", "/price/{x:float}", ["float"]),
        ("/files/<path:p>", "/files/{p:path}", ["str"]),
        ("/obj/<uuid:u>", "/obj/{u:uuid}", ["UUID"]),
        ("/lang/<string(length=2):code>", "/lang/{code}", ["Annotated[str, Path(min_length=2, max_length=2)]"]),
        ("/page/<int(min=1):n>", "/page/{n:int}", ["Annotated[int, Path(ge=1)]"]),
        ("/<any(about, help):page>", "/{page}", ["Literal['about', 'help']"]),
    ],
)
def test_converters_become_typed_path_parameters(rule, path, annotations):
    converted = convert(rule)
    assert converted.path == path
    assert [p.annotation for p in converted.params] == annotations
    assert converted.problem is None


def test_custom_converter_is_reported():
    assert "custom URL converter" in convert("/<regex('a+'):x>").problem


def test_methods_pick_the_decorator_and_names_are_kept():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/items/<int:item_id>", methods=["PUT"], endpoint="replace")
        def put_item(item_id):
            return {"id": item_id}


        @app.route("/both", methods=["GET", "POST"])
        def both():
            return {}


        @app.route("/", defaults={"page": 1})
        @app.route("/page/<int:page>")
        def listing(page):
            return {"page": page}
        """,
        HEAD.replace("import init_app", "import init_app, redirect_defaults") + """

        @app.put("/items/{item_id:int}", name="replace")
        async def put_item(item_id: int):
            return {"id": item_id}


        @app.api_route("/both", methods=["GET", "POST"])
        async def both():
            return {}


        @redirect_defaults(app, page=1)
        @app.get("/")
        @app.get("/page/{page:int}")
        async def listing(page: int = 1):
            return {"page": page}
        """,
    )


def test_add_url_rule_and_method_view():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from flask.views import MethodView

        app = Flask(__name__)


        def ping():
            return "pong"


        class ItemAPI(MethodView):
            def get(self, item_id):
                return {"id": item_id}

            def delete(self, item_id):
                return "", 204


        app.add_url_rule("/ping", "ping", ping)
        app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
        """,
        HEAD.replace("from fastapi import FastAPI\n", "from fastapi import FastAPI\n        from fastapi.responses import HTMLResponse\n") + """

        async def ping():
            return HTMLResponse("pong")


        class ItemAPI:
            async def get(self, item_id: int):
                return {"id": item_id}

            async def delete(self, item_id: int):
                return HTMLResponse("", status_code=204)


        app.add_api_route("/ping", ping, methods=["GET"], name="ping")
        app.add_api_route("/items/{item_id:int}", ItemAPI().get, methods=["GET"], name="item")
        app.add_api_route("/items/{item_id:int}", ItemAPI().delete, methods=["DELETE"], name="item")
        """,
    )


def _convert(source: str) -> str:
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after


def test_rule_from_a_module_constant_is_read_statically():
    before = "from flask import Flask\n\nSIGN_IN = '/sign-in'\nITEM = '/item/<int:item_id>'\napp = Flask(__name__)\n\n\n@app.get(SIGN_IN)\ndef sign_in():\n    return 'x'\n\n\n@app.get(ITEM)\ndef item(item_id):\n    return {'id': item_id}\n"
    after = _convert(before)
    assert "@app.get(SIGN_IN)\nasync def sign_in():" in after  # the same path in FastAPI: the constant stays
    assert '@app.get("/item/{item_id:int}")\nasync def item(item_id: int):' in after
    assert "TODO" not in after.replace("# TODO(asyncshift): _flask_compat.py", "")


def test_rule_from_a_rebound_name_keeps_its_todo():
    before = "from flask import Flask\n\nRULE = '/a'\nRULE = '/b'\napp = Flask(__name__)\n\n\n@app.get(RULE)\ndef view():\n    return 'x'\n"
    assert "the URL rule is not a literal" in _convert(before)


def test_any_converter_narrows_a_str_annotation():
    before = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.post('/c/<any(on, off):verb>')\ndef change(verb: str):\n    return verb\n"
    assert "def change(verb: Literal['on', 'off']):" in _convert(before)
