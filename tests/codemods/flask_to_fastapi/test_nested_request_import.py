"""``from flask import request`` inside a function that only registers hooks reading it: the import is no read.

A setup helper (``install_counter(app)``) imports the request in its body for the hooks and helpers it defines there;
the name in the import statement was counted as the helper reading the request, so it took the request first, and
so did every caller up to the app factory (``create_app(request, config=None)``) and a module's PEP 562
``__getattr__``, which Python calls with the attribute's name alone: ``from pkg import app`` then raised TypeError
(and ``create_app(config)`` handed its config in as the request). An import reads nothing: what reads the request
is the nested functions, which get it as hooks and helpers do.
"""

from __future__ import annotations

import ast
import textwrap

from side_by_side import assert_same, convert_tree, load

APP = textwrap.dedent("""\
    from flask import Flask, jsonify


    def install_counter(app):
        from flask import request

        seen = []

        def path_of():
            return request.path

        @app.before_request
        def count():
            seen.append(path_of())

        @app.route("/seen")
        def seen_view():
            return jsonify(seen=seen, name=app.config["NAME"])


    def create_app(config=None):
        app = Flask(__name__)
        app.config["NAME"] = config or "default"
        install_counter(app)
        return app


    def __getattr__(name):
        if name == "app":
            return create_app("lazy")
        raise AttributeError(name)
""")


def _trees(tmp_path):
    (tmp_path / "src" / "napp").mkdir(parents=True)
    (tmp_path / "src" / "napp" / "__init__.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_signatures_kept(tmp_path):
    _, out = _trees(tmp_path)
    tree = ast.parse((out / "napp" / "__init__.py").read_text())
    top = {f.name: [a.arg for a in f.args.args] for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert top == {"install_counter": ["app"], "create_app": ["config"], "__getattr__": ["name"]}


def test_answers_as_flasks(tmp_path):
    src, out = _trees(tmp_path)
    requests = [("GET", "/seen"), ("GET", "/seen"), ("GET", "/nothing"), ("GET", "/seen")]
    assert_same(load(src, "napp", "create_app", "given"), load(out, "napp", "create_app", "given"), requests)
    assert_same(load(src, "napp", "app"), load(out, "napp", "app"), requests)  # the module's __getattr__
