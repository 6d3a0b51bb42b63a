"""``request.<attr>`` in a callback an extension registers (the helper's request proxy) that Starlette's
request lacks gets a TODO at the line, as it does in views: it raised AttributeError without one (silent).
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD

HELPER_TODO = (
    "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; "
    "end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"
)
BABEL_TODO = (
    "# TODO(asyncshift): Flask-Babel: init_app(app) runs on the app's Flask-shaped face (config, extensions, "
    "jinja_env, hooks); its hooks run in Flask's request context, a failing one logged and skipped: check what it "
    "does for this app"
)


def test_an_attribute_starlette_lacks_gets_a_todo_and_its_own_attributes_none():
    check_transformed(
        CODEMOD,
        """\
        from flask import request
        from flask_babel import Babel

        babel = Babel()


        @babel.localeselector
        def get_locale():
            return request.is_multithread or 'en'


        @babel.timezoneselector
        def get_timezone():
            return request.cookies.get('tz')
        """,
        f"""\
        {HELPER_TODO}
        try:
            from ._flask_compat import request
        except ImportError:
            from _flask_compat import request
        from flask_babel import Babel  {BABEL_TODO}

        babel = Babel()


        @babel.localeselector
        def get_locale():
            return request.is_multithread or 'en'  # TODO(asyncshift): request.is_multithread has no direct Starlette twin: read it from the Request object by hand


        @babel.timezoneselector
        def get_timezone():
            return request.cookies.get('tz')
        """,  # noqa: E501
    )
