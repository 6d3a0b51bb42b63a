"""``from flask_wtf import Form``: Flask-WTF's name for ``FlaskForm`` before 1.0 (0.13-0.15: a subclass of it, only
deprecated). The helper handed WTForms' plain ``Form`` under that name, which reads no request: a form built without
formdata (``form = PostForm()`` in a view) was empty on a POST, so ``validate()`` failed and the view answered its
page again (200 without the redirect; a non-owner got the page instead of 403) where Flask-WTF read the posted fields.
Flask-WTF 1.x has no ``Form``, so the Flask side of the comparison imports ``FlaskForm as Form``, as 0.14 gave it.
"""

from __future__ import annotations

import textwrap

import pytest
from side_by_side import assert_same, convert_tree, load

APP = textwrap.dedent("""\
    from flask import Flask, redirect, request
    from flask_wtf import Form
    from wtforms import StringField
    from wtforms.validators import DataRequired

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "secret"
    app.config["WTF_CSRF_ENABLED"] = False


    class PostForm(Form):
        title = StringField("Title", validators=[DataRequired()])


    class TokenForm(Form):
        title = StringField("Title")


    @app.route("/post", methods=["GET", "POST"])
    def post():
        form = PostForm()
        if request.method == "POST" and form.validate():
            return redirect("/posted/" + form.title.data)
        return {"errors": form.errors, "submitted": form.is_submitted(), "title": form.title.data}


    @app.route("/token", methods=["POST"])
    def token():
        form = TokenForm(meta={"csrf": True})
        return {"valid": form.validate(), "errors": sorted(form.errors)}
    """)


def test_flask_wtf_s_old_form_name_reads_the_request_as_flask_form_does(tmp_path):
    pytest.importorskip("flask_wtf")
    (tmp_path / "before").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "before" / "formapp.py").write_text(APP.replace("import Form\n", "import FlaskForm as Form\n"))
    (tmp_path / "src" / "formapp.py").write_text(APP)
    flask_app = load(tmp_path / "before", "formapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "formapp")
    requests = [
        ("GET", "/post", {}),
        ("POST", "/post", {"data": {"title": "first"}}),
        ("POST", "/post", {"data": {"title": ""}}),
        ("POST", "/token", {"data": {"title": "no token"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
