"""An extension's request hook that reads Flask's request runs in Flask's request context on the converted app.

Flask-Limiter checks the limits put on a whole blueprint (``limiter.limit("2/minute")(bp)``, ``limiter.exempt(bp)``)
and its default limits in a ``before_request`` hook: it reads ``request.endpoint`` and ``request.blueprint``, and
finds the blueprint in ``current_app.blueprints``. On the converted app the hook met no Flask request context: it
was logged and skipped, and every request was answered (no limit held, a silent change). It now runs in Flask's
request context routed to the request's route, with the endpoint's blueprint known to the Flask app behind the
extensions; its 429 answers as Flask's did, and its ``after_request`` hook reads what the ``before_request`` one kept
on the request context; a POST's body, read for that context, reaches the view. A stand-in extension
(``flask_ratelimits``, not converted) plays Flask-Limiter's part.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import Answer, _purge, converted_with_library, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

EXTENSION = """\
import flask
from flask.globals import request_ctx
from werkzeug.exceptions import TooManyRequests


class Limits:
    def __init__(self, default=None):
        self.default, self.blueprints, self.exempt_blueprints, self.spent = default, {}, set(), {}

    def init_app(self, app):
        app.before_request(self._check)
        app.after_request(self._headers)

    def limit(self, calls):
        def decorator(blueprint):
            if isinstance(blueprint, flask.Blueprint):
                self.blueprints[blueprint.name] = calls

        return decorator

    def exempt(self, blueprint):
        self.exempt_blueprints.add(blueprint.name)
        return blueprint

    def _check(self):
        endpoint, blueprint = flask.request.endpoint, flask.request.blueprint
        if not endpoint:
            return
        found = flask.current_app.blueprints.get(blueprint) if blueprint else None
        name = found.name if found is not None else None
        calls = None if name in self.exempt_blueprints else self.blueprints.get(name, self.default)
        if calls is None:
            return
        spent = self.spent[endpoint] = self.spent.get(endpoint, 0) + 1
        request_ctx.calls_left = max(calls - spent, 0)
        if spent > calls:
            raise TooManyRequests(f'{calls} per test')

    def _headers(self, response):
        left = getattr(request_ctx, 'calls_left', None)
        if left is not None:
            response.headers['X-Calls-Left'] = str(left)
        return response
"""
VIEWS = """\
from flask import Blueprint, Flask, jsonify, request
from flask_ratelimits import Limits

limits = Limits(default=3)
api = Blueprint('api', __name__)
free = Blueprint('free', __name__)
pages = Blueprint('pages', __name__)


@api.route('/items/<int:item_id>')
def item(item_id):
    return jsonify(id=item_id)


@api.route('/echo', methods=['POST'])
def echo():
    return jsonify(got=request.get_json())


@free.route('/free')
def open_():
    return jsonify(ok=True)


@pages.route('/page')
def page():
    return jsonify(ok=True)


limits.limit(2)(api)
limits.exempt(free)

app = Flask(__name__)
limits.init_app(app)


@app.route('/health')
def health():
    return jsonify(ok=True)


app.register_blueprint(api)
app.register_blueprint(free)
app.register_blueprint(pages)
"""
PATHS = ["/items/7", "/free", "/page", "/health", "/nowhere", "/echo"]


def _answers(client) -> dict[str, list[tuple]]:
    answers = {}
    for path in PATHS:
        asked = [client.post(path, json={"n": n}) if path == "/echo" else client.get(path) for n in range(4)]
        answers[path] = [(a.status, a.headers.get("x-calls-left"), a.json, a.text) for a in map(Answer.of, asked)]
    return answers


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("ratelimits")
    (root / "flask" / "shop").mkdir(parents=True)
    (root / "flask" / "flask_ratelimits.py").write_text(EXTENSION)
    (root / "flask" / "shop" / "__init__.py").write_text("")
    (root / "flask" / "shop" / "views.py").write_text(VIEWS)
    sys.path.insert(0, str(root / "flask"))
    try:
        before = _answers(load(root / "flask", "shop.views").test_client())
    finally:
        sys.path.remove(str(root / "flask"))
        _purge("shop")
        sys.modules.pop("flask_ratelimits", None)
    files = {"shop/__init__.py": "", "shop/views.py": VIEWS}
    (root / "fastapi").mkdir()
    with converted_with_library(root / "fastapi", {"flask_ratelimits": EXTENSION}, files, "shop.views") as app:
        yield before, _answers(FlaskStyleClient(app))


def test_the_original_holds_its_limits(both):
    before, _ = both
    assert [a[:2] for a in before["/items/7"]] == [(200, "1"), (200, "0"), (429, "0"), (429, "0")]
    assert [a[:2] for a in before["/page"]] == [(200, "2"), (200, "1"), (200, "0"), (429, "0")]
    assert [a[:2] for a in before["/free"]] == [(200, None)] * 4
    assert [a[2] for a in before["/echo"]][:2] == [{"got": {"n": 0}}, {"got": {"n": 1}}]


@pytest.mark.parametrize("path", PATHS)
def test_the_converted_app_holds_the_same_limits(both, path):
    before, after = both
    assert after[path] == before[path]
