"""A file-like sent with ``send_file`` under a name (``download_name``; ``attachment_filename`` before Flask 2.0) has
the type that name says, as Werkzeug guesses it: an export's ``BytesIO`` sent as ``x-bills.json`` answers
``application/json``. The helper answered ``application/octet-stream``, so a client reading the answer as JSON
(``response.get_json()``, ``response.json``) found none where Flask's gave the list (ihatemoney's
``/<project>/export/bills.json``, issue 14). Side by side with Flask."""

from __future__ import annotations

from io import BytesIO

from side_by_side import ask_both, convert_tree, load

VIEWS = """\
from io import BytesIO

from flask import Flask, send_file

app = Flask(__name__)


@app.route("/export/<name>")
def export(name):
    data = b'[{"what": "fromage", "amount": 10.0}]' if name.endswith(".json") else b"what,amount\\nfromage,10.0\\n"
    return send_file(BytesIO(data), download_name=f"raclette-{name}", as_attachment=True)


@app.route("/typed")
def typed():
    return send_file(BytesIO(b"[1]"), mimetype="text/plain", download_name="a.json")
"""


def test_a_file_like_answers_the_type_its_name_says(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "exports.py").write_text(VIEWS)
    flask_app = load(tmp_path / "src", "exports")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "exports")
    paths = ["/export/bills.json", "/export/bills.csv", "/export/bills.unknownkind", "/typed"]
    answers = ask_both(flask_app, fastapi_app, [("GET", path) for path in paths])
    for (_, path), before, after in answers:
        assert after == before, path
        assert after.headers.get("content-type") == before.headers.get("content-type"), path
    assert answers[0][1].json == [{"what": "fromage", "amount": 10.0}]
    assert answers[0][1].headers["content-type"] == "application/json"


def test_flask_before_2_named_it_attachment_filename(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "exports.py").write_text(VIEWS)
    convert_tree(tmp_path / "src", tmp_path / "out")
    load(tmp_path / "out", "exports")
    import _flask_compat

    response = _flask_compat.send_file(BytesIO(b"[]"), as_attachment=True, attachment_filename="old.json")
    assert response.media_type == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="old.json"'
