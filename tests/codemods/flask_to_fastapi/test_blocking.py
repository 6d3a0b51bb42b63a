"""The blocking-vs-async decision: async def only when nothing in the view can block."""

from __future__ import annotations

from codemods.flask_to_fastapi import CODEMOD

APP = "from flask import Flask, jsonify, request\n\napp = Flask(__name__)\n\n\n@app.route('/', methods=['POST'])\n"


def convert(body: str) -> str:
    after, _ = CODEMOD.apply(APP + body)
    compile(after, "<converted>", "exec", dont_inherit=True)
    return after


def test_pure_view_becomes_async():
    assert "async def view(" in convert("def view():\n    data = request.get_json()\n    return jsonify(name=data.get('name', '').upper())\n")


def test_database_call_keeps_def():
    out = convert("def view():\n    return jsonify([u.to_dict() for u in User.query.all()])\n")
    assert "\ndef view(" in out and "async def" not in out


def test_open_and_sleep_keep_def():
    assert "async def" not in convert("def view():\n    with open('f') as fh:\n        return fh.read()\n")
    assert "async def" not in convert("def view():\n    time.sleep(1)\n    return {}\n")


def test_already_async_view_stays_async():
    assert "async def view(" in convert("async def view():\n    return await thing()\n")


def test_login_required_view_keeps_def():
    source = "from flask import Flask\nfrom flask_login import login_required, current_user\n\napp = Flask(__name__)\n\n\n@app.route('/me')\n@login_required\ndef me():\n    return {'id': current_user.id}\n"
    after, _ = CODEMOD.apply(source)
    assert "\ndef me():" in after and "from _flask_compat import current_user, init_app, login_required" in after
