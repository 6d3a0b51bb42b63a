"""A class view returning Flask's own ``render_template(...)`` (its kind known: the conversion writes ``return
HTMLResponse(render_template(...))``), called by hand in a test (``Cls.as_view("overview")()`` in
``app.test_request_context()``), then read as text (``assert 'Overview' in resp``).

Flask's view returned the str; the converted one gave the HTMLResponse ("argument of type 'HTMLResponse' is not
iterable"). ``as_view``'s view called by hand now gives that response and its text at once; served, the route
answers as before (a JSON view's too). (A view whose page is known only at run time goes through ``make_response``,
which does the same: ``test_template_view_text_by_hand``.)
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

SOURCE = textwrap.dedent("""\
    from flask import Flask, jsonify, render_template_string
    from flask.views import MethodView

    app = Flask(__name__)


    class Overview(MethodView):
        def get(self):
            return render_template_string("<h1>Overview {{ count }}</h1>", count=3)


    class Count(MethodView):
        def get(self):
            return jsonify(count=3)


    app.add_url_rule("/overview", view_func=Overview.as_view("overview"))
    app.add_url_rule("/count", view_func=Count.as_view("count"))
""")


def _seen(app, module, client) -> list:
    with app.test_request_context():
        page = module.Overview.as_view("overview")()
    seen = [("Overview 3" in page, str(page), page.upper())]
    for path in ("/overview", "/count"):
        response = client.get(path)
        seen.append((response.status_code, response.headers["content-type"], response.get_data(as_text=True)))
    return seen


def test_a_class_view_s_page_called_by_hand_is_its_text(tmp_path):
    (tmp_path / "src" / "pages").mkdir(parents=True)
    (tmp_path / "src" / "pages" / "__init__.py").write_text(SOURCE)
    before = _seen(flask_app := load(tmp_path / "src", "pages"), sys.modules["pages"], flask_app.test_client())
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "pages" / "__init__.py").read_text()
    assert "return HTMLResponse(render_template_string(" in converted, converted
    after = _seen(app := load(tmp_path / "out", "pages"), sys.modules["pages"], FlaskStyleClient(app))
    assert before[0] == (True, "<h1>Overview 3</h1>", "<H1>OVERVIEW 3</H1>")
    assert before[1] == (200, "text/html; charset=utf-8", "<h1>Overview 3</h1>")
    assert after == before
