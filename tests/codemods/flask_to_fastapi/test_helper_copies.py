"""A project converted in two runs (its package, then the ``run.py`` that builds the app) has two copies of the
helper package, one per run: the request the middleware of one copy sets is the one the other copy's proxies read
(a helper of the package handing ``request`` to ``render_template``, served by the app ``run.py`` made)."""

from __future__ import annotations

import sys

from codemod_helpers import write_tree
from side_by_side import _purge, load

from codemods import runner
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

FILES = {
    "greeter/__init__.py": (
        "from flask import Blueprint\n\nbp = Blueprint('greeter', __name__)\n\nfrom greeter import views  # noqa\n"
    ),
    "greeter/mail.py": (
        "from flask import render_template_string\n\n\n"
        "def greeting(name):\n"
        "    return render_template_string('{{ name }} at {{ request.path }}', name=name)\n"
    ),
    "greeter/views.py": (
        "from flask import jsonify\n\nfrom greeter import bp\nfrom greeter.mail import greeting\n\n\n"
        "@bp.route('/hello/<name>')\n"
        "def hello(name):\n"
        "    return jsonify(text=greeting(name))\n"
    ),
    "run.py": (
        "from flask import Flask\n\nfrom greeter import bp\n\n\n"
        "def create_app():\n"
        "    app = Flask(__name__)\n"
        "    app.register_blueprint(bp)\n"
        "    return app\n"
    ),
}


def test_the_packages_helper_copy_reads_the_request_the_run_scripts_copy_serves(tmp_path):
    write_tree(tmp_path, FILES)
    runner.run("flask-to-fastapi", [tmp_path / "greeter"])  # two runs, as a user converting one path at a time
    runner.run("flask-to-fastapi", [tmp_path / "run.py"])
    assert (tmp_path / "greeter/_flask_compat").is_dir() and (tmp_path / "_flask_compat").is_dir()
    try:
        app = load(tmp_path, "run", "create_app")
        answer = FlaskStyleClient(app).get("/hello/ann")
        assert (answer.status_code, answer.get_json()) == (200, {"text": "ann at /hello/ann"})
    finally:
        _purge("run")
        _purge("greeter")
        sys.path[:] = [p for p in sys.path if p != str(tmp_path)]
