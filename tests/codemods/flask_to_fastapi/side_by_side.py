"""Serve a Flask app and its conversion side by side and ask both the same requests.

The converted copy is made by the real runner (in place, on a copy), which also writes the helper
module beside each converted file; both apps are imported under the same names, one after the other.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemods import runner
from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def convert_tree(source: Path, target: Path) -> runner.RunResult:
    """Copy ``source`` to ``target`` and convert the copy in place."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "test_*.py", "conftest.py"))
    return runner.run("flask-to-fastapi", [target])  # the runner writes the helper beside converted files


def _purge(top: str) -> None:
    for name in list(sys.modules):
        helper = name == "_flask_compat" or name.startswith("_flask_compat.") or "._flask_compat" in name
        if name == top or name.startswith(top + ".") or helper:  # the helper package and its modules
            del sys.modules[name]


def load(folder: Path, module: str, attribute: str = "app", *args: Any) -> Any:
    """Import ``module`` from ``folder`` (fresh) and return its app, calling a factory with ``args``."""
    top = module.split(".")[0]
    _purge(top)
    sys.path.insert(0, str(folder))
    try:  # a factory may import the app's modules as it runs
        target = getattr(importlib.import_module(module), attribute)
        return (
            target(*args)
            if callable(target) and not hasattr(target, "routes") and not hasattr(target, "url_map")
            else target
        )
    finally:
        sys.path.remove(str(folder))


@contextlib.contextmanager
def converted_with_library(root: Path, library: dict[str, str], files: dict[str, str], module: str) -> Iterator[Any]:
    """The app of ``module`` from ``files`` (paths under ``src``) converted, with ``library`` (extension modules:
    installed, not converted) importable while it is used; the modules of both forgotten after."""
    (root / "lib").mkdir()
    for name, text in library.items():
        (root / "lib" / f"{name}.py").write_text(text)
    for path, text in files.items():
        (root / "src" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / path).write_text(text)
    convert_tree(root / "src", root / "out")
    sys.path.insert(0, str(root / "lib"))
    top = module.split(".")[0]
    try:
        yield load(root / "out", module)
    finally:
        sys.path.remove(str(root / "lib"))
        for name in [n for n in sys.modules if n in (top, *library) or n.startswith(top + ".")]:
            del sys.modules[name]


def page_text(body: str) -> str:
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@dataclass
class Answer:
    status: int
    location: str | None
    json: Any
    text: str | None
    headers: dict = field(default_factory=dict, compare=False)  # every header, lower-cased names (compare by hand)
    body: bytes = field(default=b"", compare=False)  # the bytes as sent (compare by hand)

    @classmethod
    def of(cls, response: Any) -> Answer:
        kind = (response.headers.get("content-type") or "").split(";")[0]
        payload = _json(response) if kind.endswith("json") else None
        redirect = 300 <= response.status_code < 400
        text = page_text(response.get_data(as_text=True)) if kind == "text/html" and not redirect else None
        location = response.headers.get("location")
        if location and location.startswith("http://localhost"):
            location = location[len("http://localhost") :] or "/"
        headers = {k.lower(): v for k, v in response.headers.items()}
        return cls(response.status_code, location, payload, text, headers, response.get_data())


def _json(response: Any) -> Any:
    """The JSON body; Flask 0.12's responses have no ``get_json`` (Flask 1.0 added it)."""
    if hasattr(response, "get_json"):
        return response.get_json(silent=True)
    try:
        return json.loads(response.get_data(as_text=True))
    except ValueError:
        return None


def ask_both(flask_app: Any, fastapi_app: Any, requests: list[tuple]) -> list[tuple[tuple, Answer, Answer]]:
    """Each request is ``(method, path, kwargs)``; clients keep cookies across the list."""
    flask_client = flask_app.test_client()
    fastapi_client = FlaskStyleClient(fastapi_app)
    answers = []
    for method, path, *rest in requests:
        kwargs = rest[0] if rest else {}
        before = flask_client.open(path, method=method, **kwargs)
        after = fastapi_client.open(path, method=method, **kwargs)
        answers.append(((method, path), Answer.of(before), Answer.of(after)))
    return answers


def assert_same(flask_app: Any, fastapi_app: Any, requests: list[tuple]) -> None:
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, f"{request}: flask {before} != fastapi {after}"
