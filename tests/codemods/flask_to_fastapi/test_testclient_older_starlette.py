"""The Flask-style test client on the Starlette FastAPI 0.100 takes (0.27), with httpx 0.28 or later installed.

Starlette 0.27's ``TestClient`` hands ``httpx.Client`` its app (``app=self.app``), an argument httpx 0.28 took away:
every client failed as it was made (TypeError: __init__() got an unexpected keyword argument 'app'), so no request
of a converted suite was made. Starlette's clients are not handed it now (their transport carries the app); any
other ``httpx.Client`` still is, and refuses it as before.
"""

from __future__ import annotations

import inspect

import pytest
from fastapi import FastAPI

from codemods.flask_to_fastapi.starlette_client import TestClient, httpx


class OldStarletteClient(TestClient):
    """Starlette's client as 0.27 built it: its ``httpx.Client.__init__`` is handed ``app=``."""

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        httpx.Client.__init__(self, app=self.app, base_url="http://testserver", transport=self._transport)


def test_a_starlette_client_handing_httpx_its_app_is_made_and_answers():
    if "app" in inspect.signature(httpx.Client.__init__).parameters:
        pytest.skip("this httpx still takes app=")
    app = FastAPI()

    @app.get("/things")
    def things():
        return {"things": ["lamp"]}

    client = OldStarletteClient(app)
    assert client.get("/things").json() == {"things": ["lamp"]}
    with pytest.raises(TypeError):
        httpx.Client(app=app)  # not one of Starlette's clients: httpx's own refusal
