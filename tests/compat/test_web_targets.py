"""RouteTargets names a request's route in one regex match: it must answer exactly as Starlette's
walk over the route table does, for every method and path, ids never seen included."""

from __future__ import annotations

import itertools

from fastapi import APIRouter, FastAPI
from starlette.routing import Host, Mount, Route

from compat.web import RouteTargets, flat_routes


async def endpoint(request):  # pragma: no cover - never called: only the table is read
    return None


def app_with_every_kind_of_route() -> FastAPI:
    app = FastAPI()
    router = APIRouter(prefix="/api")
    router.add_api_route("/items/new", endpoint, methods=["GET"])
    router.add_api_route("/items/{item_id:int}", endpoint, methods=["GET", "PUT"])
    router.add_api_route("/items/{item_id:int}", endpoint, methods=["DELETE"], name="delete_item")
    router.add_api_route("/items/{slug}", endpoint, methods=["GET"], name="by_slug")
    router.add_api_route("/files/{rest:path}", endpoint, methods=["GET"])
    router.add_api_route("/things", endpoint, methods=["POST"])
    app.include_router(router)
    app.add_api_websocket_route("/api/items/{item_id:int}/live", endpoint)
    app.add_route("/plain", endpoint)  # every method
    app.mount("/static", Mount("", routes=[Route("/x", endpoint)]), name="static")
    app.add_api_route("/", endpoint, methods=["GET"])
    return app


PATHS = [
    "/",
    "/plain",
    "/api/items/new",
    "/api/items/7",
    "/api/items/123456789",
    "/api/items/abc",
    "/api/items/7/live",
    "/api/files/a/b/c.txt",
    "/api/files/",
    "/api/things",
    "/static/x",
    "/static/",
    "/static",
    "/nope",
    "/api/items/",
    "/api/items/7\n",
    "/docs",
    "/openapi.json",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]


def names(route) -> str | None:
    return f"web.{getattr(route, 'name', None) or 'x'}"


def test_one_regex_answers_as_starlettes_walk_for_every_method_and_path():
    targets = RouteTargets(flat_routes(app_with_every_kind_of_route()), names)
    assert targets._table is not None  # the table is in use: this compares it with the walk
    for method, path in itertools.product(METHODS, PATHS):
        assert targets(method, path) == targets._resolve(method, path), (method, path)


def test_a_route_matched_otherwise_than_by_its_path_is_left_to_the_walk():
    routes = [Host("api.example.com", app=endpoint), Route("/a", endpoint)]
    targets = RouteTargets(routes, names)
    assert targets._table is None
    assert targets("GET", "/a") == ("web.endpoint", "/a")


def test_new_ids_do_not_fill_the_cache():
    targets = RouteTargets(flat_routes(app_with_every_kind_of_route()), names)
    for item in range(1000):
        assert targets("GET", f"/api/items/{item}")[1] == "/api/items/{item_id:int}"
    assert len(targets._cache) == 0
