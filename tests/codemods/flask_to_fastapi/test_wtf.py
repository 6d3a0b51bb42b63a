"""Flask-WTF is not converted yet, and never silently: its imports and the calls that need Flask's request are marked."""

from __future__ import annotations

import textwrap

from codemods.flask_to_fastapi import CODEMOD

APP = textwrap.dedent('''\
    from flask import Flask, render_template
    from flask_wtf import FlaskForm
    from flask_wtf.csrf import CSRFProtect
    from wtforms import StringField

    app = Flask(__name__)
    csrf = CSRFProtect(app)


    class NameForm(FlaskForm):
        name = StringField("Name")


    @app.route("/", methods=["GET", "POST"])
    def index():
        form = NameForm()
        if form.validate_on_submit():
            return "ok"
        return render_template("index.html", form=form)
''')


def convert(source: str) -> str:
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after


def test_noop_plain_wtforms_is_untouched():
    source = "from wtforms import Form, StringField\n\n\nclass NameForm(Form):\n    name = StringField('Name')\n"
    assert CODEMOD.apply(source)[0] == source


def test_forms_module_imports_are_marked():
    after = convert("from flask_wtf import FlaskForm\nfrom wtforms import StringField\n\n\nclass NameForm(FlaskForm):\n    name = StringField('Name')\n")
    assert "from flask_wtf import FlaskForm  # TODO(asyncshift): Flask-WTF needs Flask's request and app" in after
    assert "from wtforms import StringField\n" in after


def test_app_lines_that_need_flask_are_marked():
    after = convert(APP)
    lines = after.splitlines()
    marked = lambda text: any(text in line for line in lines) and "TODO(asyncshift)" in lines[next(i for i, line in enumerate(lines) if text in line) - 1] + lines[next(i for i, line in enumerate(lines) if text in line)]  # noqa: E731
    assert marked("from flask_wtf import FlaskForm")
    assert marked("from flask_wtf.csrf import CSRFProtect")
    assert marked("csrf = CSRFProtect(app)")
    assert marked("if form.validate_on_submit():")
