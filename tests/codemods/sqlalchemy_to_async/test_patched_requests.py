"""A test's ``patch("pkg.mod.requests.post")`` where that module's requests calls became httpx: the patch
targets ``httpx.AsyncClient.post`` in that module (an ``AsyncMock``, called with the request's arguments)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from codemod_helpers import write_tree

from codemods.runner import run

SERVICE = """\
    import requests
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        email = db.Column(db.String(50))


    def sign_in(code):
        response = requests.post("https://idp/token", data={"code": code})
        if response.status_code != 200:
            return None
        db.session.add(User(email=response.json()["email"]))
        db.session.commit()
        return response.json()["email"]
    """

STATUS = """\
    def status(code):
        response = requests.get("https://idp/status", params={"code": code})
        return response.status_code
    """

TEST = """\
    from unittest import mock

    from app.service import sign_in


    def test_sign_in():
        with mock.patch("app.service.requests.post") as post:
            post.return_value.status_code = 401
            assert sign_in("abc") is None
            post.assert_called_with("https://idp/token", data={"code": "abc"})
    """


THROUGH_A_CLIENT = """\
    from unittest import mock

    from app.web import app


    def test_sign_in():
        with mock.patch("app.service.requests.post") as post:
            post.return_value.status_code = 401
            assert app.test_client().post("/sign-in", data={"code": "abc"}).status_code == 401
    """


def _converted(tmp_path, files):
    tree = write_tree(tmp_path / "src", {k: textwrap.dedent(v) for k, v in files.items()})
    result = run("sqlalchemy-to-async", [tree], out=tmp_path / "out")
    assert result.count("failed") == 0
    return tmp_path / "out"


def test_a_patch_of_requests_in_a_module_made_async_patches_the_httpx_client(tmp_path):
    out = _converted(tmp_path, {"app/__init__.py": "", "app/service.py": SERVICE, "tests/test_service.py": TEST})
    test = (out / "tests" / "test_service.py").read_text()
    assert 'mock.patch("app.service.httpx.AsyncClient.post", return_value=MagicMock()) as post:' in test
    assert "TODO" not in test.split("def test_sign_in", 1)[1].split("assert", 1)[0]


def test_a_test_module_naming_nothing_of_sqlalchemy_is_rewritten_for_its_patch(tmp_path):
    """The test reaches the converted code through a test client only: its patch is what makes it involved."""
    files = {"app/__init__.py": "", "app/service.py": SERVICE, "tests/test_web.py": THROUGH_A_CLIENT}
    test = (_converted(tmp_path, files) / "tests" / "test_web.py").read_text()
    assert 'mock.patch("app.service.httpx.AsyncClient.post", return_value=MagicMock()) as post:' in test


def test_a_module_with_requests_calls_left_sync_keeps_the_patch_with_a_todo(tmp_path):
    """``status`` stays sync (nothing of it awaits): the module still imports requests, but its ``post`` call
    is httpx now; the test is told, not rewritten."""
    out = _converted(
        tmp_path, {"app/__init__.py": "", "app/service.py": SERVICE + "\n\n" + STATUS, "tests/test_service.py": TEST}
    )
    test = (out / "tests" / "test_service.py").read_text()
    assert 'mock.patch("app.service.requests.post") as post:' in test
    assert "app.service's requests calls are httpx.AsyncClient calls now: patch those instead" in test


def test_a_patch_of_a_module_the_run_did_not_convert_is_left_alone(tmp_path):
    other = TEST.replace("app.service.requests.post", "vendor.client.requests.post")
    out = _converted(tmp_path, {"app/__init__.py": "", "app/service.py": SERVICE, "tests/test_service.py": other})
    test = (out / "tests" / "test_service.py").read_text()
    assert 'mock.patch("vendor.client.requests.post") as post:' in test


@pytest.mark.parametrize("status", [401, 200])
def test_the_rewritten_patch_holds_on_the_converted_code(tmp_path, status):
    """The converted module and test run: the AsyncMock's return_value is what ``await client.post`` gives, and
    it is called with the request's own arguments."""
    pytest.importorskip("httpx")
    pytest.importorskip("aiosqlite")
    pytest.importorskip("flask_sqlalchemy")
    out = _converted(tmp_path, {"app/__init__.py": "", "app/service.py": SERVICE, "tests/test_service.py": TEST})
    check = textwrap.dedent(
        f"""\
        import asyncio
        from unittest import mock
        from unittest.mock import MagicMock
        from flask import Flask
        from app.service import db, sign_in

        app = Flask("t")
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///{tmp_path / "app.db"}"
        db.init_app(app)
        with app.app_context():
            db.create_all()
            with mock.patch("app.service.httpx.AsyncClient.post", return_value=MagicMock()) as post:
                post.return_value.status_code = {status}
                post.return_value.json.return_value = {{"email": "a@b"}}
                got = asyncio.run(sign_in("abc"))
                post.assert_called_with("https://idp/token", data={{"code": "abc"}})
        print(got)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=out,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("None" if status == 401 else "a@b")
