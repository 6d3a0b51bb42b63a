"""A multipart body whose boundary follows a bare ``\\n`` (built by hand in a test) parses as Werkzeug parsed it:
python-multipart, under Starlette, wants ``\\r\\n`` there, and the parts came out wrong with no
error (an upload missing, a field running on past its boundary)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/post", methods=["POST"])
def post():
    return {"form": dict(request.form.items())}
"""


def test_a_boundary_after_a_bare_line_feed(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "uploadapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "uploadapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "uploadapp")
    bare = (
        '--bound\r\nContent-Disposition: form-data; name="a"\r\n\r\none\n--bound\r\n'
        'Content-Disposition: form-data; name="b"\r\n\r\ntwo\n--bound--\r\n'
    )
    mixed = (
        '--b2\r\nContent-Disposition: form-data; name="a"\r\n\r\none\n--b2\r\n'
        'Content-Disposition: form-data; name="b"\r\n\r\ntwo\r\n--b2--\r\n'
    )
    requests = [
        ("POST", "/post", {"data": bare, "content_type": "multipart/form-data; boundary=bound"}),
        ("POST", "/post", {"data": mixed, "content_type": "multipart/form-data; boundary=b2"}),
    ]
    assert_same(flask_app, fastapi_app, requests)
