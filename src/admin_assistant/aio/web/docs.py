"""``/docs``: Swagger UI served from a package, under the app's own Content-Security-Policy.

FastAPI's default page loads Swagger UI from a CDN and starts it with an inline script; the CSP
(``script-src 'self'``, ``style-src 'self'``) blocks both, so the page was blank. Here the assets
come from the ``flask-swagger-ui`` distribution's ``dist`` folder (Swagger UI 5, which reads the
OpenAPI 3.1 document FastAPI writes; ``swagger-ui-bundle`` ships 4.15, which cannot), located
without importing it, and the start-up is a script file, ``/docs/swagger-init.js``. Nothing
leaves the origin.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>admin-assistant API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/swagger-ui-standalone-preset.js"></script>
<script src="/docs/swagger-init.js"></script>
</body>
</html>
"""

START = """// Starts Swagger UI on /docs; a file, since the CSP allows no inline script.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


def swagger_ui_dist() -> Path:
    """The folder of Swagger UI's files in the installed ``flask-swagger-ui`` (a dependency)."""
    spec = importlib.util.find_spec("flask_swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("flask-swagger-ui is not installed; /docs needs its Swagger UI files (pip install .)")
    return Path(next(iter(spec.submodule_search_locations))) / "dist"


def mount(app: FastAPI) -> None:
    """``/docs`` and its assets on ``app`` (built with ``docs_url=None``). The route names are
    those the strangler knows as FastAPI's own docs (always served by the new side)."""

    async def swagger_ui_html() -> HTMLResponse:
        return HTMLResponse(PAGE)

    async def swagger_ui_init() -> Response:
        return Response(START, media_type="text/javascript")

    app.add_api_route("/docs", swagger_ui_html, include_in_schema=False, name="swagger_ui_html")
    app.add_api_route("/docs/swagger-init.js", swagger_ui_init, include_in_schema=False, name="swagger_ui_init")
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_dist()), name="swagger_ui_assets")
