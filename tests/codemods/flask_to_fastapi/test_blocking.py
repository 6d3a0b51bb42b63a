"""The blocking-vs-async decision: a view becomes ``async def`` only when nothing in it can block."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_pure_view_becomes_async():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify, request

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        def view():
            data = request.get_json()
            return jsonify(name=data.get('name', '').upper())
        """,
        """\
        from typing import Annotated, Any
        from fastapi import Body, FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, flask_json, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        async def view(request: Request, data: Annotated[Any, Body()] = None):
            data = flask_json(request, data)
            return JSONResponse({"name": data.get('name', '').upper()})
        """,  # noqa: E501
    )


def test_database_call_keeps_def():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify, request

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        def view():
            return jsonify([u.to_dict() for u in User.query.all()])
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        def view():
            return JSONResponse([u.to_dict() for u in User.query.all()])
        """,  # noqa: E501
    )


def test_open_keeps_def():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify, request

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        def view():
            with open('f') as fh:
                return fh.read()
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        def view():
            with open('f') as fh:
                return make_response(fh.read())
        """,  # noqa: E501
    )


def test_sleep_keeps_def():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify, request

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        def view():
            time.sleep(1)
            return {}
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        def view():
            time.sleep(1)
            return {}
        """,  # noqa: E501
    )


def test_already_async_view_stays_async():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify, request

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        async def view():
            return await thing()
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        async def view():
            return make_response(await thing())
        """,  # noqa: E501
    )


def test_login_required_view_keeps_def():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from flask_login import login_required, current_user

        app = Flask(__name__)


        @app.route('/me')
        @login_required
        def me():
            return {'id': current_user.id}
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, current_user, init_app, login_required

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/me')
        @login_required
        def me():
            return JSONResponse({'id': current_user.id})
        """,  # noqa: E501
    )
