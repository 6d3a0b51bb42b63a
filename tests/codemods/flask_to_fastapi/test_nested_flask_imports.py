"""A Flask import inside a function or method (``from flask import session`` in a WTForms CSRF class) binds the
helper's proxy or the function's request, not Flask's own: Flask's ``session`` and ``request`` read outside Flask's
request context raised "Working outside of request context" (500 on every form), and a nested ``from flask import
request`` in a helper that now takes the request shadowed that parameter."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request, session

from nonceapp.forms import NonceForm

app = Flask(__name__)
app.secret_key = "k"


@app.route("/set")
def set_nonce():
    session["nonce"] = "abc"
    return "ok"


@app.route("/form", methods=["GET", "POST"])
def form():
    f = NonceForm(request.form)
    return {"nonce": f.nonce.current_token, "valid": f.validate(), "errors": f.errors, "where": where()}


def where():
    from flask import request, url_for

    return url_for("form") + request.path
"""

FORMS = """\
from wtforms import Form
from wtforms.csrf.core import CSRF
from wtforms.validators import ValidationError


class SessionCSRF(CSRF):
    def generate_csrf_token(self, csrf_token_field):
        from flask import session

        return session.get("nonce")

    def validate_csrf_token(self, form, field):
        from flask import session as flask_session

        if field.data != flask_session.get("nonce"):
            raise ValidationError("bad nonce")


class NonceForm(Form):
    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_field_name = "nonce"
"""


def test_flask_imports_inside_functions_and_methods(tmp_path):
    (tmp_path / "src" / "nonceapp").mkdir(parents=True)
    (tmp_path / "src" / "nonceapp" / "__init__.py").write_text(APP)
    (tmp_path / "src" / "nonceapp" / "forms.py").write_text(FORMS)
    flask_app = load(tmp_path / "src", "nonceapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    for module in ("__init__.py", "forms.py"):
        assert "from flask" not in (tmp_path / "out" / "nonceapp" / module).read_text()
    fastapi_app = load(tmp_path / "out", "nonceapp")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/set"),
            ("GET", "/form"),
            ("POST", "/form", {"data": {"nonce": "abc"}}),
            ("POST", "/form", {"data": {"nonce": "wrong"}}),
        ],
    )
