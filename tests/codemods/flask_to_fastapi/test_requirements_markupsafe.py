"""A project on Jinja2 before 2.10 has its pin moved (the helper needs 2.10); its MarkupSafe pinned below 0.23 (that
Jinja2's floor) was then taken by pip to the newest release, whose 2.1 removed the ``soft_unicode`` Jinja2 2.x
imports: the converted app failed at import (``cannot import name 'soft_unicode' from 'markupsafe'``). MarkupSafe
is moved with it, to its last line of Jinja2 2's time, and only then."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = 'from flask import Flask, render_template\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n'
APP += '    return render_template("index.html")\n'


def run(tmp_path, pins: str) -> set[str]:
    write_tree(tmp_path, {"requirements.txt": pins, "web/app.py": APP, ".git": ""})
    return set(runner.run("flask-to-fastapi", [tmp_path / "web"]).requirements)


def test_markupsafe_below_jinja2s_floor_moves_with_jinja2(tmp_path):
    declared = run(tmp_path, "Flask==0.10.1\nJinja2==2.7.2\nMarkupSafe==0.19\n")
    assert "jinja2~=2.10.0" in declared
    assert "markupsafe~=1.1.1" in declared


def test_a_markupsafe_pin_jinja2_2_10_takes_is_kept(tmp_path):
    declared = run(tmp_path, "Flask==0.12.2\nJinja2==2.9.6\nMarkupSafe==1.0\n")
    assert "jinja2~=2.10.0" in declared
    assert not any(r.startswith("markupsafe~=") for r in declared)


def test_jinja2_that_needs_no_move_leaves_markupsafe_alone(tmp_path):
    declared = run(tmp_path, "Flask==1.1.2\nJinja2==2.11.3\nMarkupSafe==0.19\n")
    assert not any(r.startswith(("jinja2", "markupsafe~=")) for r in declared)
