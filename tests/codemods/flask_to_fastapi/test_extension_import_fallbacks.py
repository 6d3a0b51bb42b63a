"""An extension's names imported across its versions (``try: from flask_wtf import FlaskForm`` / ``except
ImportError: from flask_wtf import Form as FlaskForm``) come from the helper in both blocks, as a plain import does.
Left on the extension, a form built in a converted view read Flask's session for its CSRF token outside any Flask
request context: "Working outside of request context", a 500 where Flask answered the page.
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD

HELPER = "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"  # noqa: E501
TODO = "# TODO(asyncshift): _flask_wtf.py (written with the converted code) is Flask-WTF on WTForms: forms read the request's form, CSRF in the session; end state: wtforms.Form(formdata=await request.form()) and a CSRF dependency"  # noqa: E501


def test_an_extension_import_in_a_try_except_import_error_comes_from_the_helper():
    check_transformed(
        CODEMOD,
        """\
        try:
            from flask_wtf import FlaskForm
        except ImportError:
            from flask_wtf import Form as FlaskForm
        from wtforms import StringField


        class NameForm(FlaskForm):
            name = StringField("Name")
        """,
        f"""\
        try:
            {TODO}
            try:
                from ._flask_wtf import FlaskForm
            except ImportError:
                from _flask_wtf import FlaskForm
        except ImportError:
            try:
                from ._flask_wtf import Form as FlaskForm
            except ImportError:
                from _flask_wtf import Form as FlaskForm
        from wtforms import StringField


        class NameForm(FlaskForm):
            name = StringField("Name")
        """,
    )


def test_a_try_of_other_imports_is_left_alone():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        try:
            import simplejson as json
        except ImportError:
            import json

        app = Flask(__name__)
        """,
        f"""\
        from fastapi import FastAPI
        {HELPER}
        from _flask_compat import init_app

        try:
            import simplejson as json
        except ImportError:
            import json

        app = FastAPI()
        init_app(app, __name__)
        """,
    )
