"""``/docs`` works under the app's own CSP: every asset it names is same-origin and answers 200.

Run on FastAPI alone and on the strangler at every stage (``/docs`` is the new side's own), on
both databases. Flask alone has no ``/docs``: it answers 404 in the error shape.
"""

from __future__ import annotations

import re

import httpx
import pytest
from web.conftest import Stack

from admin_assistant.presentation.webcommon import CONTENT_SECURITY_POLICY

ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


async def test_docs_names_only_same_origin_assets_and_each_answers(stack: Stack, client: httpx.AsyncClient) -> None:
    if stack.variant == "flask":
        assert (await client.get("/docs")).status_code == 404
        return
    page = await client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY  # the same CSP as every page
    assets = ASSET.findall(page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets) and any(a.endswith(".css") for a in assets)
    for attributes, body in SCRIPT.findall(page.text):
        assert "src=" in attributes and not body.strip(), "an inline script: the CSP would block it"
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), f"{asset} is not same-origin"
        answer = await client.get(asset)
        assert answer.status_code == 200, asset
        kind = next(v for k, v in TYPES.items() if asset.endswith(k))
        assert kind in answer.headers["content-type"], (asset, answer.headers["content-type"])
        assert len(answer.content) > 100, asset
    started = (await client.get("/docs/swagger-init.js")).text
    assert 'url: "/openapi.json"' in started
    assert (await client.get("/openapi.json")).json()["openapi"].startswith("3.1")


@pytest.mark.parametrize("path", ["/docs/assets/../../../pyproject.toml", "/docs/assets/nope.js"])
async def test_docs_assets_serve_nothing_else(stack: Stack, client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404
