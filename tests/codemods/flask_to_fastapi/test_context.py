"""Hooks, error handlers, config, g, session, flash, current_app: in views and in plain helpers."""

from __future__ import annotations

from codemods.flask_to_fastapi import CODEMOD


def convert(source: str) -> str:
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after


APP = "from flask import Flask, g, session, current_app, flash, request, render_template\n\napp = Flask(__name__)\n\n\n"


def test_g_session_current_app_in_views_use_the_request():
    out = convert(APP + "@app.route('/')\ndef view():\n    g.user = session.get('user')\n    return {'debug': current_app.config['DEBUG'], 'u': g.user}\n")
    assert "request.state.user = request.session.get('user')" in out
    assert "request.app.config['DEBUG']" in out


def test_g_get_and_in_use_state():
    out = convert(APP + "@app.route('/')\ndef view():\n    if 'user' in g:\n        return {'u': g.get('user')}\n    return {}\n")
    assert "if hasattr(request.state, 'user'):" in out
    assert "getattr(request.state, 'user', None)" in out


def test_helpers_outside_views_use_the_proxies():
    out = convert(APP + "def get_db():\n    if 'db' not in g:\n        g.db = connect(current_app.config['DATABASE'])\n    return g.db\n")
    assert "from _flask_compat import current_app, g" in out
    assert "g.db = connect(current_app.config['DATABASE'])" in out


def test_flash_and_session_in_views():
    out = convert(APP + "@app.route('/', methods=['POST'])\ndef view():\n    session.clear()\n    flash('bye', 'info')\n    return {}\n")
    assert "request.session.clear()\n    flash(request, 'bye', 'info')" in out


def test_hooks_use_helper_decorators_and_receive_the_request():
    out = convert(APP + "@app.before_request\ndef load_user():\n    g.user = session.get('uid')\n\n\n@app.after_request\ndef headers(response):\n    response.headers['X-Frame-Options'] = 'DENY'\n    return response\n")
    assert "@before_request(app)\ndef load_user(request: Request):\n    request.state.user = request.session.get('uid')" in out
    assert "@after_request(app)\ndef headers(response):" in out


def test_errorhandler_becomes_exception_handler():
    out = convert(APP + "@app.errorhandler(404)\ndef not_found(e):\n    return render_template('404.html', msg=e.description), 404\n")
    assert "@app.exception_handler(404)\ndef not_found(request: Request, e):" in out
    assert "HTMLResponse(render_template(request, '404.html', msg=e.detail), status_code=404)" in out


def test_werkzeug_errors_map_to_status_codes():
    out = convert("from flask import Flask\nfrom werkzeug.exceptions import NotFound\n\napp = Flask(__name__)\n\n\n@app.errorhandler(NotFound)\ndef nf(e):\n    return {'e': 1}, 404\n\n\n@app.route('/')\ndef v():\n    raise NotFound('no')\n")
    assert "@app.exception_handler(404)" in out
    assert "raise HTTPException(status_code=404, detail='no')" in out


def test_context_processor_and_template_filter():
    out = convert(APP + "@app.context_processor\ndef inject():\n    return {'year': 2024}\n\n\n@app.template_filter('upper')\ndef up(s):\n    return s.upper()\n")
    assert "@context_processor(app)" in out and "@template_filter(app, 'upper')" in out


def test_function_given_to_register_error_handler_becomes_a_handler():
    source = (
        "from flask import Flask\nfrom werkzeug.exceptions import HTTPException\n\n\n"
        "def handle(exc):\n    if isinstance(exc, HTTPException):\n        return 'http', exc.code\n    return 'other', 500\n\n\n"
        "def register(app: Flask) -> None:\n    app.register_error_handler(Exception, handle)\n"
    )
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert "def handle(request: Request, exc):\n    if isinstance(exc, StarletteHTTPException):" in after
    assert "app.add_exception_handler(Exception, handle)" in after
    assert CODEMOD.apply(after)[0] == after
