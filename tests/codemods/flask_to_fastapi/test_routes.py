"""Routes, methods, URL rules and converters, add_url_rule and MethodView."""

from __future__ import annotations

import pytest
from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD
from codemods.flask_to_fastapi.rules import convert


def test_routes_on_an_object_that_is_not_flasks_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_like import router


        @router.route("/items/<int:item_id>", methods=["PUT"], defaults={"item_id": 1})
        def put_item(item_id):
            return "", 204
        """,
    )


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
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, redirect_defaults

        app = FastAPI()
        init_app(app, __name__)


        @app.put("/items/{item_id:int}", name="replace")
        async def put_item(item_id: int):
            return JSONResponse({"id": item_id})


        @app.api_route("/both", methods=["GET", "POST"])
        async def both():
            return {}


        @redirect_defaults(app, page=1)
        @app.get("/")
        @app.get("/page/{page:int}")
        async def listing(page: int = 1):
            return JSONResponse({"page": page})
        """,  # noqa: E501
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
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, MethodView, init_app

        app = FastAPI()
        init_app(app, __name__)


        async def ping():
            return HTMLResponse("pong")


        class ItemAPI(MethodView):
            async def get(self, item_id: int):
                return JSONResponse({"id": item_id})

            async def delete(self, item_id: int):
                return HTMLResponse("", status_code=204)


        app.add_api_route("/ping", ping, methods=["GET"], name="ping")
        app.add_api_route("/items/{item_id:int}", ItemAPI().get, methods=["GET"], name="item")
        app.add_api_route("/items/{item_id:int}", ItemAPI().delete, methods=["DELETE"], name="item")
        """,  # noqa: E501
    )


def test_rule_from_a_module_constant_is_read_statically():
    after = check_transformed(  # the same path in FastAPI: the constant stays
        CODEMOD,
        """\
        from flask import Flask

        SIGN_IN = '/sign-in'
        ITEM = '/item/<int:item_id>'
        app = Flask(__name__)


        @app.get(SIGN_IN)
        def sign_in():
            return 'x'


        @app.get(ITEM)
        def item(item_id):
            return {'id': item_id}
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        SIGN_IN = '/sign-in'
        ITEM = '/item/<int:item_id>'
        app = FastAPI()
        init_app(app, __name__)


        @app.get(SIGN_IN)
        async def sign_in():
            return HTMLResponse('x')


        @app.get("/item/{item_id:int}")
        async def item(item_id: int):
            return JSONResponse({'id': item_id})
        """,  # noqa: E501
    )
    assert "TODO" not in after.replace("# TODO(asyncshift): _flask_compat/", "")


def test_rule_from_a_rebound_name_keeps_its_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        RULE = '/a'
        RULE = '/b'
        app = Flask(__name__)


        @app.get(RULE)
        def view():
            return 'x'
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        RULE = '/a'
        RULE = '/b'
        app = FastAPI()
        init_app(app, __name__)


        # TODO(asyncshift): the URL rule is not a literal: convert its <converter:name> parts to {name} by hand
        @app.get(RULE)
        async def view():
            return HTMLResponse('x')
        """,  # noqa: E501
    )


def test_any_converter_narrows_a_str_annotation():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.post('/c/<any(on, off):verb>')
        def change(verb: str):
            return verb
        """,
        """\
        from typing import Literal
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/c/{verb}')
        async def change(verb: Literal['on', 'off']):
            return make_response(verb)
        """,  # noqa: E501
    )
