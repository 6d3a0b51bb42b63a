"""Responses: jsonify, tuples, redirect/url_for, abort, make_response, Response, send_file, render_template."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_response_helpers_that_are_not_flasks_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_like import abort, jsonify, redirect


        def view(found):
            if not found:
                abort(404)
            return jsonify(a=1), 201
        """,
    )


def test_jsonify_return_of_values_answers_flasks_json_bytes():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return jsonify({'a': 1})
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return {'a': 1}
        """,  # noqa: E501
    )
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            x = 2
            return jsonify(a=1, b=x)
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            x = 2
            return JSONResponse({"a": 1, "b": x})
        """,  # noqa: E501
    )


def test_tuple_with_status_becomes_json_response():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return jsonify(error='missing'), 404
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return JSONResponse({"error": 'missing'}, status_code=404)
        """,  # noqa: E501
    )


def test_non_literal_payload_is_encoded_like_flask():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            data = load()
            return jsonify(data), 201
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        def view():
            data = load()
            return JSONResponse(data, status_code=201)
        """,  # noqa: E501
    )


def test_strings_become_html_responses():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return '<p>hi</p>'
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return HTMLResponse('<p>hi</p>')
        """,  # noqa: E501
    )
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return 'gone', 410, {'X-A': '1'}
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return HTMLResponse('gone', status_code=410, headers={'X-A': '1'})
        """,  # noqa: E501
    )


def test_unknown_body_with_status_uses_flask_rules_at_run_time():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return body(), 202
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        def view():
            return make_response(body(), 202)
        """,  # noqa: E501
    )


def test_redirect_and_url_for():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, redirect, url_for

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return redirect(url_for('index', page=2))
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, redirect, url_for

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(request: Request):
            return redirect(url_for(request, 'index', page=2))
        """,  # noqa: E501
    )


def test_redirect_code_is_kept():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, redirect

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return redirect('/new', code=301)
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, redirect

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return redirect('/new', code=301)
        """,  # noqa: E501
    )


def test_abort_becomes_http_exception():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, abort

        app = Flask(__name__)


        @app.route('/x')
        def view():
            abort(404)
            abort(403, 'nope')
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import HTTPException, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            raise HTTPException(status_code=404)
            raise HTTPException(status_code=403, detail='nope')
        """,  # noqa: E501
    )


def test_render_template_gets_the_request_and_an_html_response():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return render_template('a.html', x=1)
        """,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, render_template

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view(request: Request):
            return HTMLResponse(render_template(request, 'a.html', x=1))
        """,  # noqa: E501
    )


def test_flask_response_object_maps_keywords():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, Response

        app = Flask(__name__)


        @app.route('/x')
        def view():
            return Response('a,b', mimetype='text/csv', status=200)
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import Response
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            return Response('a,b', media_type='text/csv', status_code=200)
        """,  # noqa: E501
    )


def test_a_response_of_a_generators_output_streams():
    """Werkzeug streams ``Response(generate())``; Starlette's ``Response`` takes bytes or str only (it raised)."""
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, Response

        app = Flask(__name__)


        @app.route('/stream/<int:n>')
        def stream(n):
            def generate():
                for i in range(n):
                    yield str(i)

            return Response(generate(), headers={'Content-Type': 'application/json'})


        @app.route('/lines')
        def lines():
            return Response((str(i) for i in range(3)), mimetype='text/plain')
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import StreamingResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/stream/{n:int}')
        def stream(n: int):
            def generate():
                for i in range(n):
                    yield str(i)

            return StreamingResponse(generate(), headers={'Content-Type': 'application/json'}, media_type="text/html")


        @app.get('/lines')
        def lines():
            return StreamingResponse((str(i) for i in range(3)), media_type='text/plain')
        """,  # noqa: E501
    )


def test_make_response_and_send_file_use_the_helper():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, make_response

        app = Flask(__name__)


        @app.route('/x')
        def view():
            resp = make_response('x')
            resp.headers['X'] = 'y'
            return resp
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/x')
        async def view():
            resp = make_response('x')
            resp.headers['X'] = 'y'
            return make_response(resp)
        """,  # noqa: E501
    )
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, make_response
        app = Flask(__name__)
        @app.route('/')
        def v():
            return make_response('x')
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, make_response
        app = FastAPI()
        init_app(app, __name__)
        @app.get('/')
        async def v():
            return make_response('x')
        """,  # noqa: E501
    )


def test_what_a_helper_returns_goes_through_flasks_rules():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)


        def error(message):
            return jsonify(error=message), 500


        @app.route("/x")
        def view():
            return error("boom")
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        def error(message):
            return JSONResponse({"error": message}), 500


        @app.get("/x")
        def view():
            return make_response(error("boom"))
        """,  # noqa: E501
    )


def test_flasks_alias_is_kept_where_the_module_defines_the_helpers_name():
    """``from flask import jsonify as flask_jsonify`` beside the module's own ``def jsonify`` (a wrapper): the
    helper keeps the alias (as ``jsonify`` it was shadowed by the wrapper, which then called itself forever)."""
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, jsonify as flask_jsonify, url_for as flask_url_for

        app = Flask(__name__)


        def jsonify(*args, **kwargs):
            response = flask_jsonify(*args, **kwargs)
            response.headers['X-Wrapped'] = '1'
            return response


        def url_for(endpoint):
            return flask_url_for(endpoint) + '#top'


        @app.route('/json')
        def data():
            return jsonify(a=1, where=url_for('data'))
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import jsonify as flask_jsonify, url_for as flask_url_for, init_app, make_response, request

        app = FastAPI()
        init_app(app, __name__)


        def jsonify(*args, **kwargs):
            response = flask_jsonify(*args, **kwargs)
            response.headers['X-Wrapped'] = '1'
            return response


        def url_for(endpoint):
            return flask_url_for(request, endpoint) + '#top'


        @app.get('/json')
        def data():
            return make_response(jsonify(a=1, where=url_for('data')))
        """,  # noqa: E501
    )
