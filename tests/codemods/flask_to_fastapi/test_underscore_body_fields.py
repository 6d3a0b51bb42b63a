"""A form or file field assigned to a name with a leading underscore (``_file = request.files["avatar"]``, a key
starting with a digit): the view's parameter took that name, and FastAPI's pydantic body model refused it when the
route was added, at import ("Fields must not use names with leading underscores"; pybossa's project update view).
The parameter now takes the key's name (``field_`` before a digit) and the variable is assigned from it."""

from __future__ import annotations

import ast
import io
import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, jsonify, request

    app = Flask(__name__)


    @app.route("/upload", methods=["POST"])
    def upload():
        _file = request.files["avatar"]
        _title = request.form["title"]
        _1st = request.form.get("1st", "none")
        _file.filename = "renamed_" + _file.filename
        return jsonify(name=_file.filename, title=_title, first=_1st)
""")


class _Upload(io.BytesIO):
    """A file both clients send: Flask's test client closes what it sent."""

    def close(self) -> None:
        self.seek(0)


def test_underscored_body_fields_are_named_after_their_keys(tmp_path):
    (tmp_path / "src" / "underapp").mkdir(parents=True)
    (tmp_path / "src" / "underapp" / "__init__.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "underapp" / "__init__.py").read_text()
    signature = next(
        n
        for n in ast.walk(ast.parse(converted))
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "upload"
    )
    assert not [a.arg for a in signature.args.args if a.arg.startswith("_")]
    assert "_file = avatar" in converted
    assert_same(
        load(tmp_path / "src", "underapp"),
        load(tmp_path / "out", "underapp"),
        [
            ("POST", "/upload", {"data": {"avatar": (_Upload(b"x"), "a.png"), "title": "t", "1st": "one"}}),
            ("POST", "/upload", {"data": {"avatar": (_Upload(b"x"), "b.png"), "title": "u"}}),
        ],
    )
