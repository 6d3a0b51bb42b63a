"""``request.accept_mimetypes`` / ``accept_languages`` (and charsets, encodings) are Werkzeug's Accept objects,
parsed by the helper from the headers (``best_match``, ``best``, ``in``, ``accept_json``): in views, error
handlers and helpers alike. They had no twin (a TODO, and an AttributeError: a 404 page answering 500)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

SOURCE = textwrap.dedent("""\
    from flask import Flask, jsonify, request

    app = Flask(__name__)


    def preferred_language():
        return request.accept_languages.best_match(["en", "fr"])


    @app.route("/lang")
    def lang():
        return preferred_language() or "none"


    @app.errorhandler(404)
    def not_found(e):
        if request.accept_mimetypes.accept_json and not request.accept_mimetypes.accept_html:
            return jsonify(message="not found"), 404
        return "page not found", 404


    @app.route("/kind")
    def kind():
        return str(request.accept_mimetypes.best) + " " + str("text/html" in request.accept_mimetypes)
""")


def test_accept_attributes_become_the_helpers_accept_objects():
    check_transformed(
        CODEMOD,
        SOURCE,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, accept_languages, accept_mimetypes, init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        def preferred_language(request: Request):
            return accept_languages(request).best_match(["en", "fr"])


        @app.get("/lang")
        def lang(request: Request):
            return make_response(preferred_language(request) or "none")


        @app.exception_handler(404)
        def not_found(request: Request, e):
            if accept_mimetypes(request).accept_json and not accept_mimetypes(request).accept_html:
                return JSONResponse({"message": "not found"}, status_code=404)
            return HTMLResponse("page not found", status_code=404)


        @app.get("/kind")
        def kind(request: Request):
            return make_response(str(accept_mimetypes(request).best) + " " + str("text/html" in accept_mimetypes(request)))
""",  # noqa: E501
    )


def test_negotiation_answers_as_flask_does(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "acceptapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "acceptapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "acceptapp")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/lang", {"headers": {"Accept-Language": "fr;q=0.9, en;q=0.5"}}),
            ("GET", "/lang"),
            ("GET", "/nope", {"headers": {"Accept": "application/json"}}),
            ("GET", "/nope"),
            ("GET", "/kind", {"headers": {"Accept": "text/html,application/json;q=0.5"}}),
        ],
    )
