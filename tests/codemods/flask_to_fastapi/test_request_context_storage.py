"""Flask's request context as per-request storage: ``has_request_context()``, ``_request_ctx_stack.top`` and
``request_ctx`` (a row loaded once per request and kept on the context, as a forum's ``current_forum`` is).

They were left on Flask with a TODO: the converted app serves outside Flask's request context, so
``has_request_context()`` was False and ``_request_ctx_stack.top`` None in every request (the cache never held
anything, every ``current_forum`` None). The helper's answer for the request being served.
"""

from __future__ import annotations

from codemod_helpers import check_transformed
from fastapi.testclient import TestClient
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

STACK = """\
from flask import _request_ctx_stack, has_request_context, request


def current_item(name):
    if has_request_context() and not getattr(_request_ctx_stack.top, name, None):
        setattr(_request_ctx_stack.top, name, request.view_args.get(name))
    return getattr(_request_ctx_stack.top, name, None)
"""


def test_flasks_request_context_names_are_the_helpers():
    check_transformed(
        CODEMOD,
        STACK,
        """\
        from fastapi import Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        try:
            from ._flask_compat import _request_ctx_stack, has_request_context
        except ImportError:
            from _flask_compat import _request_ctx_stack, has_request_context


        def current_item(request: Request, name):
            if has_request_context() and not getattr(_request_ctx_stack.top, name, None):
                setattr(_request_ctx_stack.top, name, request.path_params.get(name))
            return getattr(_request_ctx_stack.top, name, None)
        """,  # noqa: E501
    )


CACHE = """\
from flask import has_request_context
from flask.globals import request_ctx

LOADS = []


def current_thing(thing_id):
    if not has_request_context():
        return None
    if getattr(request_ctx, "thing", None) is None:
        LOADS.append(thing_id)
        request_ctx.thing = {"id": thing_id}
    return request_ctx.thing
"""

APP = """\
from flask import Flask

from ctxstore.cache import LOADS, current_thing

app = Flask(__name__)


@app.route("/things/<thing_id>")
def thing(thing_id):
    first, again = current_thing(thing_id), current_thing(thing_id)
    return {"thing": first, "same": first is again, "loads": len(LOADS)}


@app.route("/outside")
def outside():
    return {"outside": current_thing("x") is not None}
"""


def test_side_by_side_a_value_kept_on_the_request_context_lasts_one_request(tmp_path):
    package = tmp_path / "src" / "ctxstore"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cache.py").write_text(CACHE)
    (package / "app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "ctxstore.app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ctxstore.app")
    assert_same(flask_app, fastapi_app, [("GET", "/things/7"), ("GET", "/things/8"), ("GET", "/outside")])


def test_the_stack_top_is_none_outside_a_request_and_kept_per_request_inside(tmp_path):
    package = tmp_path / "src" / "ctxstack"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "locals.py").write_text(STACK)
    (package / "app.py").write_text(
        "from flask import Flask\n\nfrom ctxstack.locals import current_item\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/items/<item>")\ndef item(item):\n    return {"item": current_item("item")}\n'
    )
    convert_tree(tmp_path / "src", tmp_path / "out")
    app = load(tmp_path / "out", "ctxstack.app")
    from ctxstack._flask_compat import _request_ctx_stack, has_request_context

    assert (has_request_context(), _request_ctx_stack.top) == (False, None)
    client = TestClient(app)
    assert [client.get(f"/items/{n}").json() for n in (1, 2)] == [{"item": "1"}, {"item": "2"}]
