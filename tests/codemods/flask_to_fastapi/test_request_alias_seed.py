"""A module that imports Flask's request under two names converts to the same text whatever the hash seed.

The view's request parameter was named after the first of a set of aliases (``from flask import request`` and
``from flask import request as r``), whose order changes with ``PYTHONHASHSEED``: two runs over the same code wrote
different files (a twin's ``--check`` would flap). ``request`` is taken where the module has it, else the first
alias by name. And the request read by another of its names (``r.path``) is converted as the view's own (it was
renamed, not converted: ``request.path``, an AttributeError on Starlette's request, with no TODO).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SOURCE = """\
from flask import Flask, jsonify
from flask import request
from flask import request as r
from flask import request as req

app = Flask(__name__)


@app.route('/who')
def who():
    return jsonify(agent=r.headers.get('User-Agent'), path=req.path, method=request.method)
"""
ALIASES_ONLY = SOURCE.replace("from flask import request\n", "").replace("method=request.method", "method=r.method")

CONVERT = """\
import json, sys
from codemods.flask_to_fastapi import CODEMOD
print(json.dumps([CODEMOD.apply(text)[0] for text in json.loads(sys.stdin.read())]))
"""


def _converted(seed: int) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", CONVERT],
        input=json.dumps([SOURCE, ALIASES_ONLY]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_output_does_not_depend_on_the_hash_seed():
    outputs = {tuple(_converted(seed)) for seed in range(8)}
    assert len(outputs) == 1
    with_request, aliases_only = outputs.pop()
    assert "async def who(request: Request," in with_request
    assert '"path": request_path(request), "method": request.method' in with_request  # r.path read as request's too
    assert "async def who(r: Request," in aliases_only
    assert '"path": request_path(r), "method": r.method' in aliases_only
