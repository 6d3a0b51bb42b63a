"""Request access: query, form, JSON, files, headers and cookies to typed parameters; dynamic uses to the Request."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_a_request_that_is_not_flasks_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_like import request


        def page():
            return request.args.get("page", 1, type=int), request.remote_addr
        """,
    )


def test_query_get_with_type_and_default_becomes_typed_parameter():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            page = request.args.get('page', 1, type=int)
            return {'page': page}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, Query
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, or_default

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(page: Annotated[int, Query(), or_default(1)] = 1):
            return JSONResponse({'page': page})
        """,  # noqa: E501
    )


def test_query_without_default_is_optional_str():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            q = request.args.get('q')
            return {'q': q}
        """,
        """\
        from typing import Optional
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(q: Optional[str] = None):
            return JSONResponse({'q': q})
        """,  # noqa: E501
    )


def test_query_key_that_is_not_an_identifier_gets_an_alias():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return {'n': request.args.get('per-page', 10, type=int)}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, Query
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, or_default

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(per_page: Annotated[int, Query(alias="per-page"), or_default(10)] = 10):
            return JSONResponse({'n': per_page})
        """,  # noqa: E501
    )


def test_query_getlist_becomes_list():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            tags = request.args.getlist('tag')
            return {'t': tags}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, Query
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(tags: Annotated[list[str], Query(alias="tag")] = []):
            return JSONResponse({'t': tags})
        """,  # noqa: E501
    )


def test_dynamic_query_use_falls_back_to_query_params():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return dict(request.args)
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(request: Request):
            return JSONResponse(dict(request.query_params))
        """,  # noqa: E501
    )


def test_form_fields_post_only_are_required():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            name = request.form['name']
            note = request.form.get('note', '')
            return {'n': name}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, Form
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        async def view(name: Annotated[str, Form()], note: Annotated[str, Form()] = ''):
            return JSONResponse({'n': name})
        """,  # noqa: E501
    )


def test_form_fields_on_get_and_post_are_optional():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['GET', 'POST'])
        def view():
            if request.method == 'POST':
                name = request.form['name']
                return {'n': name}
            return {}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, Form, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.api_route('/x', methods=["GET", "POST"])
        async def view(request: Request, name: Annotated[str, Form()] = ""):
            if request.method == 'POST':
                return JSONResponse({'n': name})
            return {}
        """,  # noqa: E501
    )


def test_whole_form_goes_through_a_dependency():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            return dict(request.form)
        """,
        """\
        from typing import Annotated
        from fastapi import Depends, FastAPI
        from starlette.datastructures import FormData
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, read_form

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        async def view(form_data: Annotated[FormData, Depends(read_form)]):
            return JSONResponse(dict(form_data))
        """,  # noqa: E501
    )


def test_json_body_becomes_body_parameter():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            data = request.get_json()
            return data
        """,
        """\
        from typing import Annotated, Any
        from fastapi import Body, FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import flask_json, init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        async def view(request: Request, data: Annotated[Any, Body()] = None):
            data = flask_json(request, data)
            return make_response(data)
        """,  # noqa: E501
    )


def test_json_with_form_uses_dependencies():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            data = request.get_json(silent=True) or request.form
            return dict(data)
        """,
        """\
        from typing import Annotated, Any
        from fastapi import Depends, FastAPI, Request
        from starlette.datastructures import FormData
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, flask_json, init_app, read_form, read_json

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        async def view(request: Request, json_data: Annotated[Any, Depends(read_json)], form_data: Annotated[FormData, Depends(read_form)]):
            data = flask_json(request, json_data, silent=True) or form_data
            return JSONResponse(dict(data))
        """,  # noqa: E501
    )


def test_files_become_uploads_and_save_uses_the_helper():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            f = request.files['file']
            f.save('/tmp/x')
            return {'name': f.filename}
        """,
        """\
        from typing import Annotated
        from fastapi import FastAPI, File, UploadFile
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, save_upload

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        def view(f: Annotated[UploadFile, File(alias="file")]):
            save_upload(f, '/tmp/x')
            return JSONResponse({'name': f.filename})
        """,  # noqa: E501
    )


def test_headers_and_cookies_become_parameters():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            token = request.headers.get('X-Api-Key')
            theme = request.cookies.get('theme', 'light')
            return {'t': token, 'th': theme}
        """,
        """\
        from typing import Annotated, Optional
        from fastapi import Cookie, FastAPI, Header
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(token: Annotated[Optional[str], Header(alias="X-Api-Key")] = None, theme: Annotated[str, Cookie()] = 'light'):
            return JSONResponse({'t': token, 'th': theme})
        """,  # noqa: E501
    )


def test_request_attributes_map_to_starlette():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return {'p': request.path, 'm': request.method, 'ip': request.remote_addr}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, request_path

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(request: Request):
            return JSONResponse({'p': request_path(request), 'm': request.method, 'ip': (request.client.host if request.client else None)})
        """,  # noqa: E501
    )


def test_unknown_request_attribute_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return {'v': request.max_form_parts}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(request: Request):
            return JSONResponse({'v': request.max_form_parts})  # TODO(asyncshift): request.max_form_parts has no direct Starlette twin: read it from the Request object by hand
        """,  # noqa: E501
    )


def test_source_used_as_a_whole_is_read_through_its_mapping_everywhere():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x', methods=['POST'])
        def view():
            if 'file' not in request.files:
                return {}, 400
            f = request.files['file']
            f.save('/tmp/x')
            return {}
        """,
        """\
        from typing import Annotated
        from fastapi import Depends, FastAPI
        from starlette.datastructures import FormData
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, read_form, save_upload

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/x')
        def view(form_data: Annotated[FormData, Depends(read_form)]):
            if 'file' not in form_data:
                return JSONResponse({}, status_code=400)
            f = form_data['file']
            save_upload(f, '/tmp/x')
            return {}
        """,  # noqa: E501
    )


def test_typed_get_without_default_stays_strict():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route('/x')
        def view():
            page = request.args.get('page', type=int)
            return {'page': page}
        """,
        """\
        from typing import Optional
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(page: Optional[int] = None):
            return JSONResponse({'page': page})
        """,  # noqa: E501
    )


def test_value_that_does_not_convert_gives_the_default_as_in_flask(tmp_path):
    from side_by_side import assert_same, convert_tree, load

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lenient.py").write_text(
        "from flask import Flask, jsonify, request\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/add', methods=['POST'])\ndef add():\n"
        "    a = request.form.get('a', 0, type=float)\n    b = request.args.get('b', 1, type=int)\n"
        "    return jsonify(result=a + b)\n"
    )
    flask_app = load(tmp_path / "src", "lenient")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "lenient")
    assert_same(
        flask_app,
        fastapi_app,
        [("POST", "/add?b=x", {"data": {"a": "y"}}), ("POST", "/add?b=2", {"data": {"a": "1.5"}}), ("POST", "/add")],
    )


def test_items_multi_true_becomes_multi_items():
    """Werkzeug's ``request.args.items(multi=True)`` is every pair; Starlette's ``items()`` takes no ``multi``."""
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, request

        app = Flask(__name__)


        def pairs():
            return list(request.form.items(multi=True))


        @app.route('/headers')
        def headers():
            return {'args': list(request.args.items(multi=True)), 'form': pairs()}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, request_form

        app = FastAPI()
        init_app(app, __name__)


        def pairs(request: Request):
            return list(request_form(request).multi_items())


        @app.get('/headers')
        def headers(request: Request):
            return JSONResponse({'args': list(request.query_params.multi_items()), 'form': pairs(request)})
        """,  # noqa: E501
    )
