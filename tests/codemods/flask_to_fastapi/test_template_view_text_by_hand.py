"""A view returning what the app's own helper renders (``return render_template(...)`` through a theming wrapper:
its kind only shows at run time, so the conversion writes ``return make_response(...)``), called by hand in a test
(``Cls.as_view("overview")()`` or the function itself, in ``app.test_request_context()``).

Flask's view returned the helper's str, and the test read it (``assert 'Overview' in resp``: a forum's management
views); the converted view gave an HTMLResponse ("argument of type 'HTMLResponse' is not iterable"). The helper's
``make_response`` of text alone is now the response and the str at once: served, the route answers it as before
(status, content type, body); by hand, the test gets the text.
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

SOURCE = textwrap.dedent("""\
    from flask import Flask, render_template_string
    from flask.views import MethodView

    app = Flask(__name__)


    def themed(source, **context):
        return render_template_string("<h1>" + source + "</h1>", **context)


    class Overview(MethodView):
        def get(self):
            return themed("Overview {{ count }}", count=3)


    @app.route("/plain")
    def plain():
        return themed("Plain")


    app.add_url_rule("/overview", view_func=Overview.as_view("overview"))
""")


def _seen(app, module, client) -> list:
    with app.test_request_context():
        by_hand = [module.Overview.as_view("overview")(), module.plain()]
    seen = [("Overview 3" in by_hand[0], str(by_hand[0]), "Plain" in by_hand[1], str(by_hand[1]))]
    for path in ("/overview", "/plain"):
        response = client.get(path)
        seen.append((response.status_code, response.headers["content-type"], response.get_data(as_text=True)))
    return seen


def test_a_view_s_runtime_text_called_by_hand_is_the_text(tmp_path):
    (tmp_path / "src" / "byhand").mkdir(parents=True)
    (tmp_path / "src" / "byhand" / "__init__.py").write_text(SOURCE)
    before = _seen(flask_app := load(tmp_path / "src", "byhand"), sys.modules["byhand"], flask_app.test_client())
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "byhand" / "__init__.py").read_text()
    assert "return make_response(themed(" in converted, converted
    after = _seen(app := load(tmp_path / "out", "byhand"), sys.modules["byhand"], FlaskStyleClient(app))
    assert before[0] == (True, "<h1>Overview 3</h1>", True, "<h1>Plain</h1>")
    assert before[1] == (200, "text/html; charset=utf-8", "<h1>Overview 3</h1>")
    assert after == before
