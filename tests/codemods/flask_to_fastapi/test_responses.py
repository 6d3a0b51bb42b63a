"""Responses: jsonify, tuples, redirect/url_for, abort, make_response, Response, send_file, render_template."""

from __future__ import annotations

from codemods.flask_to_fastapi import CODEMOD


def convert(body: str, imports: str = "jsonify") -> str:
    source = f"from flask import Flask, {imports}\n\napp = Flask(__name__)\n\n\n@app.route('/x')\ndef view():\n" + body
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after.split("@app.", 1)[1]


def test_jsonify_return_becomes_plain_data():
    assert "return {'a': 1}" in convert("    return jsonify({'a': 1})\n")
    assert 'return {"a": 1, "b": x}' in convert("    x = 2\n    return jsonify(a=1, b=x)\n")


def test_tuple_with_status_becomes_json_response():
    out = convert("    return jsonify(error='missing'), 404\n")
    assert 'return JSONResponse({"error": \'missing\'}, status_code=404)' in out


def test_non_literal_payload_is_encoded_like_flask():
    out = convert("    data = load()\n    return jsonify(data), 201\n")
    assert "return JSONResponse(jsonable_encoder(data), status_code=201)" in out


def test_strings_become_html_responses():
    assert "return HTMLResponse('<p>hi</p>')" in convert("    return '<p>hi</p>'\n")
    assert "return HTMLResponse('gone', status_code=410, headers={'X-A': '1'})" in convert("    return 'gone', 410, {'X-A': '1'}\n")


def test_unknown_body_with_status_uses_flask_rules_at_run_time():
    assert "return make_response(body(), 202)" in convert("    return body(), 202\n")


def test_redirect_and_url_for():
    out = convert("    return redirect(url_for('index', page=2))\n", "redirect, url_for")
    assert "return RedirectResponse(url_for(request, 'index', page=2), status_code=302)" in out
    assert "def view(request: Request)" in out


def test_redirect_code_is_kept():
    assert "status_code=301" in convert("    return redirect('/new', code=301)\n", "redirect")


def test_abort_becomes_http_exception():
    out = convert("    abort(404)\n    abort(403, 'nope')\n", "abort")
    assert "raise HTTPException(status_code=404)\n    raise HTTPException(status_code=403, detail='nope')" in out


def test_render_template_gets_the_request_and_an_html_response():
    out = convert("    return render_template('a.html', x=1)\n", "render_template")
    assert "return HTMLResponse(render_template(request, 'a.html', x=1))" in out


def test_flask_response_object_maps_keywords():
    out = convert("    return Response('a,b', mimetype='text/csv', status=200)\n", "Response")
    assert "Response('a,b', media_type='text/csv', status_code=200)" in out


def test_make_response_and_send_file_use_the_helper():
    out = convert("    resp = make_response('x')\n    resp.headers['X'] = 'y'\n    return resp\n", "make_response")
    assert "from _flask_compat import init_app, make_response" in CODEMOD.apply("from flask import Flask, make_response\napp = Flask(__name__)\n@app.route('/')\ndef v():\n    return make_response('x')\n")[0]
    assert "resp = make_response('x')" in out
