"""Request access: query, form, JSON, files, headers and cookies to typed parameters; dynamic uses to the Request."""

from __future__ import annotations

from codemods.flask_to_fastapi import CODEMOD


def convert(body: str, methods: str = "") -> str:
    source = f"from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route('/x'{methods})\ndef view():\n" + body
    after, _ = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after.split("@app.", 1)[1]


def test_query_get_with_type_and_default_becomes_typed_parameter():
    out = convert("    page = request.args.get('page', 1, type=int)\n    return {'page': page}\n")
    assert "async def view(page: Annotated[int, Query(), or_default(1)] = 1):\n    return {'page': page}" in out


def test_query_without_default_is_optional_str():
    out = convert("    q = request.args.get('q')\n    return {'q': q}\n")
    assert "q: str | None = None" in out


def test_query_key_that_is_not_an_identifier_gets_an_alias():
    out = convert("    return {'n': request.args.get('per-page', 10, type=int)}\n")
    assert 'per_page: Annotated[int, Query(alias="per-page"), or_default(10)] = 10' in out


def test_query_getlist_becomes_list():
    out = convert("    tags = request.args.getlist('tag')\n    return {'t': tags}\n")
    assert 'tags: Annotated[list[str], Query(alias="tag")] = []' in out


def test_dynamic_query_use_falls_back_to_query_params():
    out = convert("    return dict(request.args)\n")
    assert "def view(request: Request):\n    return dict(request.query_params)" in out


def test_form_fields_post_only_are_required():
    out = convert("    name = request.form['name']\n    note = request.form.get('note', '')\n    return {'n': name}\n", ", methods=['POST']")
    assert 'name: Annotated[str, Form()], note: Annotated[str, Form()] = ""' in out.replace("''", '""')


def test_form_fields_on_get_and_post_are_optional():
    out = convert("    if request.method == 'POST':\n        name = request.form['name']\n        return {'n': name}\n    return {}\n", ", methods=['GET', 'POST']")
    assert 'name: Annotated[str, Form()] = ""' in out
    assert "if request.method == 'POST':\n        return {'n': name}" in out


def test_whole_form_goes_through_a_dependency():
    out = convert("    return dict(request.form)\n", ", methods=['POST']")
    assert "form_data: Annotated[FormData, Depends(read_form)]" in out
    assert "return dict(form_data)" in out


def test_json_body_becomes_body_parameter():
    out = convert("    data = request.get_json()\n    return data\n", ", methods=['POST']")
    assert "data: Annotated[Any, Body()] = None" in out


def test_json_with_form_uses_dependencies():
    out = convert("    data = request.get_json(silent=True) or request.form\n    return dict(data)\n", ", methods=['POST']")
    assert "Depends(read_json)" in out and "Depends(read_form)" in out


def test_files_become_uploads_and_save_uses_the_helper():
    out = convert("    f = request.files['file']\n    f.save('/tmp/x')\n    return {'name': f.filename}\n", ", methods=['POST']")
    assert 'f: Annotated[UploadFile, File(alias="file")]' in out
    assert "save_upload(f, '/tmp/x')" in out


def test_headers_and_cookies_become_parameters():
    out = convert("    token = request.headers.get('X-Api-Key')\n    theme = request.cookies.get('theme', 'light')\n    return {'t': token, 'th': theme}\n")
    assert 'token: Annotated[str | None, Header(alias="X-Api-Key")] = None' in out
    assert "theme: Annotated[str, Cookie()] = 'light'" in out


def test_request_attributes_map_to_starlette():
    out = convert("    return {'p': request.path, 'm': request.method, 'ip': request.remote_addr}\n")
    assert "request.url.path" in out and "request.method" in out and "request.client.host" in out


def test_unknown_request_attribute_gets_a_todo():
    out = convert("    return {'v': request.values.get('x')}\n")
    assert "# TODO(asyncshift): request.values" in out


def test_source_used_as_a_whole_is_read_through_its_mapping_everywhere():
    body = "    if 'file' not in request.files:\n        return {}, 400\n    f = request.files['file']\n    f.save('/tmp/x')\n    return {}\n"
    out = convert(body, ", methods=['POST']")
    assert "if 'file' not in form_data:" in out and "f = form_data['file']" in out
    assert "save_upload(f, '/tmp/x')" in out


def test_typed_get_without_default_stays_strict():
    out = convert("    page = request.args.get('page', type=int)\n    return {'page': page}\n")
    assert "async def view(page: int | None = None):" in out


def test_value_that_does_not_convert_gives_the_default_as_in_flask(tmp_path):
    from side_by_side import assert_same, convert_tree, load

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lenient.py").write_text(
        "from flask import Flask, jsonify, request\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/add', methods=['POST'])\ndef add():\n"
        "    a = request.form.get('a', 0, type=float)\n    b = request.args.get('b', 1, type=int)\n"
        "    return jsonify(result=a + b)\n"
    )
    flask_app = load(tmp_path / "src", "lenient")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "lenient")
    assert_same(flask_app, fastapi_app, [("POST", "/add?b=x", {"data": {"a": "y"}}), ("POST", "/add?b=2", {"data": {"a": "1.5"}}), ("POST", "/add")])
