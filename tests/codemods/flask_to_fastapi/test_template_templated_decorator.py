"""Flask's "templated" view decorator pattern: the view returns its template context, the wrapper renders it
(``return render_template(name, **ctx)``) or hands on what is not a dict (``return ctx``, a redirect).

The wrapper returned ``make_response(render_template(...))`` (an HTMLResponse where a test calling a decorated
function inside ``app.test_request_context()`` compared the str), and a view class's methods under
``decorators = [templated()]`` returned ``JSONResponse(context)`` (the wrapper got no dict: a context holding an
object answered 500, "not JSON serializable"). The wrapper now returns what Flask's did and the route makes the
response as Flask did (the app's default response class answers a str as text/html); the class's methods keep
their returns, as a function view's under such a decorator already did (``Base.decorators + [templated()]`` too).
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from functools import wraps

    from flask import Flask, jsonify, redirect, render_template, request, url_for
    from flask.views import MethodView


    def templated(template=None):
        def decorator(f):
            @wraps(f)
            def decorated_function(*args, **kwargs):
                template_name = template
                if template_name is None:
                    template_name = request.endpoint.replace(".", "/") + ".html"
                ctx = f(*args, **kwargs)
                if ctx is None:
                    ctx = {}
                elif not isinstance(ctx, dict):
                    return ctx
                return render_template(template_name, **ctx)

            return decorated_function

        return decorator


    class Thing:
        def __str__(self):
            return "a thing"


    class Page(MethodView):
        decorators = [templated()]

        def get(self, name):
            if name == "away":
                return redirect(url_for("index"))
            if name == "gone":
                return "gone", 410
            return {"thing": Thing(), "name": name}


    def once(view):
        return view


    class Base(MethodView):
        decorators = [once]


    class Release(Base):
        decorators = Base.decorators + [templated("page.html")]

        def get(self, name):
            return {"thing": Thing(), "name": name}


    def create_app():
        app = Flask(__name__)
        app.add_url_rule("/page/<name>", view_func=Page.as_view("page"))
        app.add_url_rule("/release/<name>", view_func=Release.as_view("release"))

        @app.route("/")
        @templated("index.html")
        def index():
            return {"title": "home"}

        @app.route("/said")
        def said():
            return jsonify("text")

        return app
""")

TEMPLATES = {"index.html": "<h1>{{ title }}</h1>", "page.html": "{{ name }}: {{ thing }}"}


def _write(root) -> None:
    (root / "pagemaker" / "templates").mkdir(parents=True)
    (root / "pagemaker" / "__init__.py").write_text(SOURCE)
    for name, text in TEMPLATES.items():
        (root / "pagemaker" / "templates" / name).write_text(text)


def _called_directly(app, module) -> list:
    """A test's calls: a function under the decorator, and the view class's method, inside a request context."""
    with app.test_request_context("/page/x"):
        rendered = module.templated("index.html")(lambda: {"title": "direct"})()
        context = module.Page().get(name="x")
        extended = module.Release().get(name="y")  # decorators = Base.decorators + [templated(...)]
        return [rendered, sorted(context), str(context["thing"]), sorted(extended)]


def test_templated_views_answer_and_return_as_in_flask(tmp_path):
    _write(tmp_path / "src")
    flask_app = load(tmp_path / "src", "pagemaker", "create_app")
    before = _called_directly(flask_app, sys.modules["pagemaker"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "pagemaker" / "__init__.py").read_text()
    assert "return render_template(request, template_name, **ctx)" in converted
    assert 'return {"thing": Thing(), "name": name}' in converted
    fastapi_app = load(tmp_path / "out", "pagemaker", "create_app")
    after = _called_directly(fastapi_app, sys.modules["pagemaker"])
    assert before == ["<h1>direct</h1>", ["name", "thing"], "a thing", ["name", "thing"]]
    assert after == before
    assert_same(
        flask_app,
        fastapi_app,
        [("GET", p) for p in ("/", "/page/x", "/page/away", "/page/gone", "/said", "/release/y")],
    )


PAIRS = textwrap.dedent("""\
    from functools import wraps

    from flask import Flask, render_template

    CALLS = []


    def templated(template):
        def decorator(f):
            @wraps(f)
            def decorated_function(*args, **kwargs):
                ctx = f(*args, **kwargs)
                if not isinstance(ctx, dict):
                    return ctx
                return render_template(template, **ctx)

            return decorated_function

        return decorator


    def counted(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            rv = f(*args, **kwargs)
            CALLS.append(f.__name__)
            return rv

        return wrapper


    def create_app():
        app = Flask(__name__)

        @app.route("/made")
        @templated("index.html")
        def made():
            return {"title": "made"}, 201

        @app.route("/headed")
        @templated("index.html")
        def headed():
            return "<p>headed</p>", 202, {"X-Kind": "pair"}

        @app.route("/counted")
        @counted
        def counted_view():
            return {"b": [1, 2], "a": None}

        @app.route("/listed")
        @counted
        def listed():
            return [3, 1, 2]

        return app
""")


def _values_returned(app, module) -> list:
    """A test calling a decorated function inside a request context: Flask's wrapper handed back the view's tuple,
    dict or list, or the Werkzeug response the test built, as they were; Flask made the response later."""
    import flask

    with app.test_request_context("/"):
        pair = module.templated("index.html")(lambda: ({"key": "value"}, 201))()
        built = module.templated("index.html")(lambda: flask.Response("direct response", status=203))()
        mapping = module.counted(lambda: {"key": "value"})()
        listed = module.counted(lambda: [1, 2])()
    return [pair, isinstance(pair, tuple), isinstance(built, flask.Response), built.data, built.status_code,
            mapping, isinstance(mapping, dict), listed, isinstance(listed, list)]  # fmt: skip


def test_a_direct_caller_gets_the_wrapper_s_value_and_the_route_its_response(tmp_path):
    """Before: the converted wrapper returned ``make_response(ctx)`` (view_value) for all of them, a JSONResponse
    where the test compared ``({"key": "value"}, 201)``, and a Starlette response for the test's ``flask.Response``."""
    (tmp_path / "src" / "pairmaker" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "pairmaker" / "__init__.py").write_text(PAIRS)
    (tmp_path / "src" / "pairmaker" / "templates" / "index.html").write_text("<h1>{{ title }}</h1>")
    flask_app = load(tmp_path / "src", "pairmaker", "create_app")
    before = _values_returned(flask_app, sys.modules["pairmaker"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "pairmaker", "create_app")
    after = _values_returned(fastapi_app, sys.modules["pairmaker"])
    assert before == [
        ({"key": "value"}, 201),
        True,
        True,
        b"direct response",
        203,
        {"key": "value"},
        True,
        [1, 2],
        True,
    ]
    assert after == before
    assert_same(flask_app, fastapi_app, [("GET", p) for p in ("/made", "/headed", "/counted", "/listed")])
