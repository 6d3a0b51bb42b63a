"""``jsonify(code=code, **extra)`` is one object with the spread keys, as Flask's ``dict(**kwargs)``; a
``jsonify(*items)`` is left to the helper's jsonify at run time. The ``**extra`` was read as a positional
argument: ``JSONResponse([extra])``, a list without the named keys (todoism's api_abort)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

SOURCE = textwrap.dedent("""\
    from flask import Flask, jsonify

    app = Flask(__name__)


    def api_abort(code, message=None, **kwargs):
        response = jsonify(code=code, message=message, **kwargs)
        response.status_code = code
        return response


    @app.route("/abort")
    def aborted():
        return api_abort(403, "no", error="denied")


    @app.route("/spread")
    def spread():
        extra = {"b": 2}
        return jsonify(**extra)


    @app.route("/args")
    def args():
        items = [1, 2]
        return jsonify(*items)
""")


def test_spread_keywords_stay_in_one_object_and_star_args_go_to_the_helper():
    check_transformed(
        CODEMOD,
        SOURCE,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, jsonify, make_response

        app = FastAPI()
        init_app(app, __name__)


        def api_abort(code, message=None, **kwargs):
            response = JSONResponse({"code": code, "message": message, **kwargs})
            response.status_code = code
            return response


        @app.get("/abort")
        def aborted():
            return make_response(api_abort(403, "no", error="denied"))


        @app.get("/spread")
        async def spread():
            extra = {"b": 2}
            return JSONResponse({**extra})


        @app.get("/args")
        def args():
            items = [1, 2]
            return jsonify(*items)
""",  # noqa: E501
    )


def test_the_answers_are_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "spreadapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "spreadapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "spreadapp")
    assert_same(flask_app, fastapi_app, [("GET", "/abort"), ("GET", "/spread"), ("GET", "/args")])
