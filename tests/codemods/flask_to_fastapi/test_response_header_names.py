"""A view listing a response's header names (``response.headers.keys()``) gets a TODO at the line: Starlette keeps
them lower-case, Werkzeug kept the case they were set with (httpbin-like ``/response-headers`` answered JSON with
``content-type`` for ``Content-Type``, a silent difference). The request's own headers are not flagged."""

from __future__ import annotations

import textwrap

from codemods.flask_to_fastapi import CODEMOD
from codemods.flask_to_fastapi.response_header_names import TODO

SOURCE = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/response-headers")
def response_headers():
    response = jsonify(dict(request.args.items()))
    names = {}
    for key in response.headers.keys():
        names[key] = response.headers.get(key)
    return jsonify(names)


@app.route("/request-headers")
def request_headers():
    return jsonify(sorted(request.headers.keys()))
"""


def test_listed_response_header_names_get_a_todo_at_the_line():
    after, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    lines = after.splitlines()
    loop = next(i for i, line in enumerate(lines) if "for key in response.headers.keys()" in line)
    assert lines[loop - 1].strip() == f"# TODO(asyncshift): {TODO}"
    assert after.count(TODO) == 1  # request.headers.keys() is the request's: Werkzeug's names, through the helper
    compile(after, "<fixture>", "exec", dont_inherit=True)
