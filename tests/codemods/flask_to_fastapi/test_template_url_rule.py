"""A template reading Flask's ``request.url_rule`` (``{% if request.url_rule.endpoint == 'main.home' %}``, the
rule's path): the template's request had no ``url_rule`` (Jinja's UndefinedError: every page rendering the
layout answered 500). It is the matched route as Werkzeug's Rule shows it (``endpoint``, ``rule`` in Flask's
syntax, ``methods``, ``arguments``), None where no route matched, as in Flask."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Blueprint, Flask, render_template

main = Blueprint("main", __name__)


@main.route("/")
def home():
    return render_template("page.html")


@main.route("/item/<int:n>/<name>")
def item(n, name):
    return render_template("page.html")


app = Flask(__name__)
app.register_blueprint(main)


@app.errorhandler(404)
def missing(error):
    return render_template("page.html"), 404
"""
PAGE = """\
{% if request.url_rule.endpoint == 'main.home' %}home{% else %}other{% endif %}
{% if request.url_rule %}{{ request.url_rule.endpoint }} {{ request.url_rule.rule }} {{ request.url_rule }}
{{ request.url_rule.arguments | sort | join(',') }} {{ 'GET' in request.url_rule.methods }}{% else %}no rule{% endif %}
"""


def test_a_template_reads_the_matched_url_rule(tmp_path):
    (tmp_path / "src" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "ruleapp.py").write_text(APP)
    (tmp_path / "src" / "templates" / "page.html").write_text(PAGE)
    flask_app = load(tmp_path / "src", "ruleapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ruleapp")
    assert_same(flask_app, fastapi_app, [("GET", "/"), ("GET", "/item/3/pen"), ("GET", "/nowhere")])
