"""Flask's ``render_template`` sends ``before_render_template`` and ``template_rendered`` for the app; a test records
them (``template_rendered.connect(record, app)``) to assert which templates a view, or a helper it calls (a mail
helper rendering the message's body), rendered and with what context. The converted ``render_template`` sent
neither: the test's list stayed empty (issue 14). Side by side with Flask: a view's page, a helper's mail body and
a ``render_template_string``."""

from __future__ import annotations

from side_by_side import convert_tree, load

VIEWS = """\
from flask import Flask, render_template, render_template_string


def mail_body(name):
    return render_template("mail.html", name=name)


def create_app():
    app = Flask(__name__)

    @app.context_processor
    def site():
        return {"site": "Board"}

    @app.route("/page")
    def page():
        return render_template("page.html", title="Home")

    @app.route("/contact", methods=["POST"])
    def contact():
        body = mail_body("ann")
        return {"sent": len(body)}, 201

    @app.route("/inline")
    def inline():
        return render_template_string("<b>{{ title }}</b>", title="Inline")

    return app
"""


def _record(app, client_of) -> list:
    from flask import before_render_template, template_rendered

    seen = []

    def rendered(sender, template, context, **extra):
        seen.append(("rendered", template.name, context.get("title") or context.get("name"), context.get("site")))

    def before(sender, template, context, **extra):
        seen.append(("before", template.name))

    with template_rendered.connected_to(rendered, app), before_render_template.connected_to(before, app):
        client = client_of(app)
        assert client.get("/page").status_code == 200
        assert client.post("/contact").status_code == 201
        assert client.get("/inline").status_code == 200
    return seen


def test_render_template_sends_flasks_signals_for_the_app(tmp_path):
    (tmp_path / "src" / "boards" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "boards" / "__init__.py").write_text(VIEWS)
    (tmp_path / "src" / "boards" / "templates" / "page.html").write_text("<p>{{ site }} {{ title }}</p>")
    (tmp_path / "src" / "boards" / "templates" / "mail.html").write_text("Hello {{ name }}")
    flask_app = load(tmp_path / "src", "boards", "create_app")
    expected = _record(flask_app, lambda app: app.test_client())
    assert expected == [
        ("before", "page.html"),
        ("rendered", "page.html", "Home", "Board"),
        ("before", "mail.html"),
        ("rendered", "mail.html", "ann", "Board"),
        ("before", None),
        ("rendered", None, "Inline", "Board"),
    ]
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "boards", "create_app")
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    assert _record(fastapi_app, FlaskStyleClient) == expected
