"""The Flask-style test client on Starlette 1.10, which builds its TestClient on ``httpx2`` (``starlette_client``).

Three environments, each in a fresh interpreter run with warnings as errors (a suite's ``filterwarnings = error``):
only ``httpx`` installed (Starlette warns ``StarletteDeprecationWarning`` at import: the suite stopped at
collection); ``httpx2`` beside ``httpx`` (responses are ``httpx2.Response``: wrapped in ``httpx.Headers``, two
``Set-Cookie`` headers read as one joined value); ``httpx2`` alone (``import httpx`` failed). httpx2 is not in this
environment: a second copy of the installed httpx package, imported under the name ``httpx2`` (its own classes,
as httpx2's are), stands in for it, and ``httpx`` is made unimportable for the third case.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import starlette

ASYNCSHIFT = Path(__file__).resolve().parents[3] / "asyncshift"

STAND_IN = """
import importlib.util, os, sys
import httpx
spec = importlib.util.spec_from_file_location(
    "httpx2", os.path.join(os.path.dirname(httpx.__file__), "__init__.py"),
    submodule_search_locations=[os.path.dirname(httpx.__file__)])
module = importlib.util.module_from_spec(spec)
sys.modules["httpx2"] = module
spec.loader.exec_module(module)
for name in [n for n in sys.modules if n == "httpx" or n.startswith("httpx.")]:
    del sys.modules[name]
"""

ONLY_HTTPX2 = 'sys.modules["httpx"] = None\n'

CHECK = """
import warnings
warnings.simplefilter("error")
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

app = FastAPI()

@app.get("/")
def two_cookies():
    response = PlainTextResponse("ok")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2")
    return response

response = FlaskStyleClient(app).get("/")
import sys
stand_in = sys.modules.get("httpx2")
made_by = "httpx2" if stand_in and type(response._response) is stand_in.Response else "httpx"
print(made_by, len(response.headers.get_all("Set-Cookie")))
"""

starlette_on_httpx2 = pytest.mark.skipif(
    tuple(int(p) for p in starlette.__version__.split(".")[:2]) < (1, 10), reason="Starlette before 1.10: httpx only"
)


def run(preamble: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ASYNCSHIFT)}
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", preamble + CHECK], capture_output=True, text=True, env=env, timeout=120
    )


def test_only_httpx_installed_imports_without_the_deprecation_warning():
    done = run("")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["httpx", "2"]


@starlette_on_httpx2
def test_httpx2_beside_httpx_keeps_repeated_headers_apart():
    done = run(STAND_IN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["httpx2", "2"]


@starlette_on_httpx2
def test_httpx2_alone_needs_no_httpx():
    done = run(STAND_IN + ONLY_HTTPX2)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["httpx2", "2"]


def test_a_starlette_client_not_built_on_httpx_falls_back_to_httpx():
    """Starlette before 0.21 built its client on requests: ``starlette.testclient`` had no ``httpx``."""
    code = (
        "import sys, types\n"
        "old = types.ModuleType('starlette.testclient')\n"
        "old.TestClient = type('TestClient', (), {})\n"
        "sys.modules['starlette.testclient'] = old\n"
        "import httpx\n"
        "from codemods.flask_to_fastapi import starlette_client\n"
        "print(starlette_client.httpx is httpx)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ASYNCSHIFT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]
