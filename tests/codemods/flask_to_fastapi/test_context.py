"""Flask's context globals: ``g``, ``session``, ``current_app`` and ``flash``, in views and in plain helpers.

In a view they become the request's (``request.state``, ``request.session``, ``request.app``); outside
views the helper's proxies keep the same names.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_globals_that_are_not_flasks_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_globals import g, session


        def current_user():
            return g.user or session.get("user")
        """,
    )


def test_attributes_and_keywords_named_like_flask_globals_are_left_alone():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session

        app = Flask(__name__)


        @app.route("/")
        def view():
            db.session.add(item)
            tracer.g.flush(session=1)
            return {"n": len(session)}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get("/")
        def view(request: Request):
            db.session.add(item)
            tracer.g.flush(session=1)
            return JSONResponse({"n": len(request.session)})
        """,  # noqa: E501
    )


def test_g_session_current_app_in_views_use_the_request():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.route('/')
        def view():
            g.user = session.get('user')
            return {'debug': current_app.config['DEBUG'], 'u': g.user}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/')
        async def view(request: Request):
            request.state.user = request.session.get('user')
            return JSONResponse({'debug': request.app.config['DEBUG'], 'u': request.state.user})
        """,  # noqa: E501
    )


def test_g_get_and_in_use_state():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.route('/')
        def view():
            if 'user' in g:
                return {'u': g.get('user')}
            return {}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get('/')
        async def view(request: Request):
            if hasattr(request.state, 'user'):
                return JSONResponse({'u': getattr(request.state, 'user', None)})
            return {}
        """,  # noqa: E501
    )


def test_helpers_outside_views_use_the_proxies():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        def get_db():
            if 'db' not in g:
                g.db = connect(current_app.config['DATABASE'])
            return g.db
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import current_app, g, init_app

        app = FastAPI()
        init_app(app, __name__)


        def get_db():
            if 'db' not in g:
                g.db = connect(current_app.config['DATABASE'])
            return g.db
        """,  # noqa: E501
    )


def test_flash_and_session_in_views():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.route('/', methods=['POST'])
        def view():
            session.clear()
            flash('bye', 'info')
            return {}
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import flash, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.post('/')
        def view(request: Request):
            request.session.clear()
            flash(request, 'bye', 'info')
            return {}
        """,  # noqa: E501
    )
