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
