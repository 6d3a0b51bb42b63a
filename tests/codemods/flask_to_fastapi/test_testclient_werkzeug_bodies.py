"""The Flask-style test client sends and hands back what Werkzeug's did: a bytes path (``client.get(b"/x/" + raw)``,
as Werkzeug 0.x took it: httpx raised TypeError), form fields with bytes values url-encoded as bytes (httpx sent
the Python literal ``b'\\x01...'``), and the body as the app sent it, its ``Content-Encoding`` not undone (a gzip
or deflate view's tests read the compressed bytes from Werkzeug's client; httpx decoded them)."""

from __future__ import annotations

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
import gzip
import zlib

from flask import Flask, request

app = Flask(__name__)


@app.route("/echo/<word>", methods=["GET", "POST"])
def echo(word):
    return {"word": word, "form": dict(request.form.items())}


@app.route("/gzip")
def gzipped():
    body = gzip.compress(b'{"gzipped": true}', mtime=0)
    return body, 200, {"Content-Encoding": "gzip", "Content-Type": "application/json"}


@app.route("/deflate")
def deflated():
    headers = {"Content-Encoding": "deflate", "Content-Type": "application/json"}
    return zlib.compress(b'{"deflated": true}'), 200, headers
"""


def test_bodies_and_paths_as_werkzeugs_client_had_them(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bodies_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "bodies_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "bodies_app")
    flask_client, client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    for path, kwargs in [
        (b"/echo/caf%C3%A9", {}),
        ("/echo/x", {"method": "POST", "data": {"file": b"\x01\x02caf\xc3\xa9", "name": "n"}}),
        ("/gzip", {}),
        ("/deflate", {}),
    ]:
        text = path.decode() if isinstance(path, bytes) else path  # Werkzeug 0.x took bytes, today's does not
        before, after = flask_client.open(text, **kwargs), client.open(path, **kwargs)
        assert (after.status_code, after.data) == (before.status_code, before.data), path
