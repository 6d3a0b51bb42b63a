"""Flask-WTF via _flask_wtf.py: FlaskForm reads the request's form, CSRF in the session, CSRFProtect, file fields."""

from __future__ import annotations

import re
import textwrap

import pytest
from codemod_helpers import check_noop, check_transformed
from side_by_side import Answer, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = textwrap.dedent("""\
    from flask import Flask, redirect, render_template, url_for
    from flask_wtf import FlaskForm
    from flask_wtf.csrf import CSRFProtect
    from flask_wtf.file import FileField, FileRequired
    from wtforms import StringField
    from wtforms.validators import DataRequired

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "secret"
    csrf = CSRFProtect(app)


    class NameForm(FlaskForm):
        name = StringField("Name", validators=[DataRequired()])


    class UploadForm(FlaskForm):
        upload = FileField("File", validators=[FileRequired()])


    @app.route("/", methods=["GET", "POST"])
    def index():
        form = NameForm()
        if form.validate_on_submit():
            return redirect(url_for("done", name=form.name.data))
        return render_template("index.html", form=form, errors=form.errors, submitted=form.is_submitted())


    @app.route("/done/<name>")
    def done(name):
        return "hello " + name


    @app.route("/upload", methods=["GET", "POST"])
    def upload():
        form = UploadForm()
        if form.validate_on_submit():
            return "got " + form.upload.data.filename
        return render_template("index.html", form=form, errors=form.errors, submitted=form.is_submitted())


    @app.route("/api", methods=["POST"])
    @csrf.exempt
    def api():
        return "exempt"


    @app.route("/plain", methods=["POST"])
    def plain():
        return "protected"
""")

TEMPLATE = (
    '<form method="post">{{ form.hidden_tag() }}'
    "{% for f in form %}{% if f.widget.input_type != 'hidden' %}{{ f.label }} {{ f() }}{% endif %}{% endfor %}</form>\n"
    '<p>errors: {{ errors }}</p><p>submitted: {{ submitted }}</p><p id="token">{{ csrf_token() }}</p>\n'
)


def test_noop_plain_wtforms_is_untouched():
    check_noop(
        CODEMOD, "from wtforms import Form, StringField\n\n\nclass NameForm(Form):\n    name = StringField('Name')\n"
    )


FORMS = textwrap.dedent(
    """\
    from flask_wtf import FlaskForm
    from flask_wtf.file import FileField, FileRequired
    from wtforms import StringField


    class NameForm(FlaskForm):
        name = StringField('Name')
    """
)


def test_forms_module_imports_come_from_the_helper():
    check_transformed(
        CODEMOD,
        FORMS,
        """\
        # TODO(asyncshift): _flask_wtf.py (written with the converted code) is Flask-WTF on WTForms: forms read the request's form, CSRF in the session; end state: wtforms.Form(formdata=await request.form()) and a CSRF dependency
        try:
            from ._flask_wtf import FlaskForm
        except ImportError:
            from _flask_wtf import FlaskForm
        try:
            from ._flask_wtf import FileField, FileRequired
        except ImportError:
            from _flask_wtf import FileField, FileRequired
        from wtforms import StringField


        class NameForm(FlaskForm):
            name = StringField('Name')
        """,  # noqa: E501
    )
    assert {"_flask_wtf.py", "_flask_compat/__init__.py"} <= set(CODEMOD.apply(FORMS)[1].files)


def test_app_lines_convert_without_todo():
    after = check_transformed(
        CODEMOD,
        APP,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app, redirect, render_template, url_for
        # TODO(asyncshift): _flask_wtf.py (written with the converted code) is Flask-WTF on WTForms: forms read the request's form, CSRF in the session; end state: wtforms.Form(formdata=await request.form()) and a CSRF dependency
        from _flask_wtf import FlaskForm
        from _flask_wtf import CSRFProtect
        from _flask_wtf import FileField, FileRequired
        from wtforms import StringField
        from wtforms.validators import DataRequired

        app = FastAPI()
        init_app(app, __name__)
        app.config["SECRET_KEY"] = "secret"
        csrf = CSRFProtect(app)


        class NameForm(FlaskForm):
            name = StringField("Name", validators=[DataRequired()])


        class UploadForm(FlaskForm):
            upload = FileField("File", validators=[FileRequired()])


        @app.api_route("/", methods=["GET", "POST"])
        def index(request: Request):
            form = NameForm()
            if form.validate_on_submit():
                return redirect(url_for(request, "done", name=form.name.data))
            return HTMLResponse(render_template(request, "index.html", form=form, errors=form.errors, submitted=form.is_submitted()))


        @app.get("/done/{name}")
        async def done(name: str):
            return HTMLResponse("hello " + name)


        @app.api_route("/upload", methods=["GET", "POST"])
        def upload(request: Request):
            form = UploadForm()
            if form.validate_on_submit():
                return HTMLResponse("got " + form.upload.data.filename)
            return HTMLResponse(render_template(request, "index.html", form=form, errors=form.errors, submitted=form.is_submitted()))


        @app.post("/api")
        @csrf.exempt
        def api():
            return HTMLResponse("exempt")


        @app.post("/plain")
        async def plain():
            return HTMLResponse("protected")
        """,  # noqa: E501
    )
    assert "TODO(asyncshift)" not in after.split("@app.", 1)[1]


def _token(answer) -> str:
    return re.search(r'<p id="token">([^<]*)</p>', answer.get_data(as_text=True)).group(1)


def _session(client) -> list:
    first = client.get("/")
    token = _token(first)
    answers = [first]
    answers.append(client.post("/", data={"name": "ann", "csrf_token": token}))
    answers.append(client.post("/", data={"name": "", "csrf_token": token}))
    answers.append(client.post("/", data={"name": "ann", "csrf_token": "forged"}))  # CSRFProtect: 400
    answers.append(client.post("/api", data={}))  # exempt
    answers.append(client.post("/plain", data={}))  # no token: 400
    answers.append(client.post("/plain", headers={"X-CSRFToken": token}))
    answers.append(client.post("/upload", data={"csrf_token": token}))
    answers.append(
        client.post(
            "/upload",
            data={"csrf_token": token, "upload": (__import__("io").BytesIO(b"data"), "a.txt")},
            content_type="multipart/form-data",
        )
    )
    return [Answer.of(a) for a in answers]


@pytest.fixture()
def apps(tmp_path):
    pytest.importorskip("flask_wtf")
    (tmp_path / "src" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "wtfapp.py").write_text(APP)
    (tmp_path / "src" / "templates" / "index.html").write_text(TEMPLATE)
    flask_app = load(tmp_path / "src", "wtfapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "wtfapp")


def _no_token(answers: list) -> list:
    return [
        a.__class__(
            a.status, a.location, a.json, re.sub(r"token: \S+|[\w.-]{40,}", "TOKEN", a.text) if a.text else a.text
        )
        for a in answers
    ]


def test_forms_and_csrf_answer_as_flask_wtf_does(apps):
    flask_app, fastapi_app = apps
    before = _no_token(_session(flask_app.test_client()))
    after = _no_token(_session(FlaskStyleClient(fastapi_app)))
    assert [a.status for a in before] == [200, 302, 200, 400, 200, 400, 200, 200, 200]
    assert after == before


def test_wtf_csrf_enabled_false_is_honoured(apps):
    flask_app, fastapi_app = apps
    for app in (flask_app, fastapi_app):
        app.config["WTF_CSRF_ENABLED"] = False
    requests = [("/", {"name": "ann"}), ("/plain", {})]
    before = [Answer.of(flask_app.test_client().post(p, data=d)) for p, d in requests]
    after = [Answer.of(FlaskStyleClient(fastapi_app).post(p, data=d)) for p, d in requests]
    assert [a.status for a in before] == [302, 200]
    assert after == before


def test_validate_on_submit_calls_a_wtforms_2_validate_without_extra_validators(monkeypatch):
    import importlib.util

    from codemods.flask_to_fastapi import support

    path = support.TEMPLATE.with_name("_flask_wtf.py")
    spec = importlib.util.spec_from_file_location("_flask_wtf_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "_is_submitted", lambda: True)

    class OldStyle(module.FlaskForm):
        def validate(self):  # WTForms 2.x: no extra_validators
            return True

    assert OldStyle.__new__(OldStyle).validate_on_submit() is True


def test_csrf_error_has_flask_wtf_s_class_description():
    """An app reading the class's default message at import (MESSAGE = CSRFError.description) as on Flask-WTF."""
    import importlib.util

    from flask_wtf.csrf import CSRFError as FlaskWTFCSRFError

    from codemods.flask_to_fastapi import support

    path = support.TEMPLATE.with_name("_flask_wtf.py")
    spec = importlib.util.spec_from_file_location("_flask_wtf_description_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.CSRFError.description == FlaskWTFCSRFError.description
    assert module.CSRFError("The CSRF token has expired.").description == "The CSRF token has expired."
