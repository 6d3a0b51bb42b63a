"""What Werkzeug's request parses from a header (``if_none_match``'s ETags, ``if_modified_since``'s datetime,
``range``, ``cache_control``) answers as Flask's request did: each was a TODO that raised ("'Request' object has no
attribute 'if_none_match'"), so a feed's conditional GET answered 500. They are read on Werkzeug's own request over
the WSGI environ rebuilt from the scope (``werkzeug_request``), in a view and in a function it calls alike."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from datetime import datetime

from flask import Flask, Response, request

app = Flask(__name__)
ETAG = "v1"
CHANGED = datetime(2024, 5, 1, 12, 0, 0)


def fresh():
    if request.if_none_match and ETAG in request.if_none_match:
        return True
    since = request.if_modified_since
    return since is not None and since.replace(tzinfo=None) >= CHANGED


@app.route("/feed.xml")
def feed():
    if fresh():
        return "", 304
    return Response("<rss/>", mimetype="application/rss+xml", headers={"ETag": ETAG})


@app.route("/parts")
def parts():
    span = request.range
    return {
        "range": None if span is None else [list(r) for r in span.ranges],
        "max_age": request.cache_control.max_age,
        "no_cache": request.cache_control.no_cache,
        "if_match": sorted(request.if_match.as_set()),
        "unmodified": str(request.if_unmodified_since),
    }
"""


def test_header_values_werkzeug_parses_answer_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "feedapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "feedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "feedapp")
    requests = [
        ("GET", "/feed.xml"),
        ("GET", "/feed.xml", {"headers": {"If-None-Match": '"v1"'}}),
        ("GET", "/feed.xml", {"headers": {"If-None-Match": '"v0", "v2"'}}),
        ("GET", "/feed.xml", {"headers": {"If-Modified-Since": "Wed, 01 May 2024 13:00:00 GMT"}}),
        ("GET", "/feed.xml", {"headers": {"If-Modified-Since": "Tue, 30 Apr 2024 13:00:00 GMT"}}),
        ("GET", "/parts"),
        (
            "GET",
            "/parts",
            {
                "headers": {
                    "Range": "bytes=0-99,200-",
                    "Cache-Control": "max-age=60, no-cache",
                    "If-Match": '"a", "b"',
                    "If-Unmodified-Since": "Wed, 01 May 2024 13:00:00 GMT",
                }
            },
        ),
    ]
    assert_same(flask_app, fastapi_app, requests)
    converted = (tmp_path / "out" / "feedapp.py").read_text()
    assert converted.count("TODO(asyncshift)") == 1  # the helper's own note above its import, no attribute's
