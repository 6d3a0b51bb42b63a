"""``asyncshift proxy nginx``: the strangler's routing, by the flags, at a real nginx."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from compat.control.nginx import Upstreams, location_regex, render, standalone
from compat.flags import parse_flags, set_rollback, set_stage

ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"), reason="nginx is not installed (.ci/run installs it)"
)

RULES = [
    ("^/api/items/(?P<item_id>[0-9]+)$", "web.routes.items", "/api/items/{item_id:int}"),
    ("^/api/users$", "web.routes.users", "/api/users"),
    ("^/docs$", "web.docs", "/docs"),
]
UPSTREAMS = Upstreams(sync="127.0.0.1:9001", asynchronous="127.0.0.1:9002", listen="127.0.0.1:9000")


def flags(text: str):
    return parse_flags("version: 1\nrollback: false\n" + text)


def test_each_route_goes_where_its_stage_says():
    text = render(
        RULES,
        flags("default: sync\ntargets:\n  web.routes.items: async\n"),
        UPSTREAMS,
        new_only=lambda target: target == "web.docs",
    )
    blocks = text.split("# ")
    items = next(b for b in blocks if b.startswith("/api/items"))
    users = next(b for b in blocks if b.startswith("/api/users"))
    docs = next(b for b in blocks if b.startswith("/docs"))
    assert 'location ~ "^/api/items/(?:[0-9]+)$"' in items and "proxy_pass http://asyncshift_async;" in items
    assert "proxy_pass http://asyncshift_sync;" in users and "X-Served-By sync" in users
    assert "asyncshift_async" in docs  # only the new app has it
    assert "mirror" not in text


def test_shadow_and_live_mirror_to_the_other_side_reads_only_sampled():
    text = render(
        RULES,
        flags(
            "default: sync\ntargets:\n  web.routes.items: shadow\n  web.routes.users: live\n"
            "shadow:\n  sample_rate: 0.25\n"
        ),
        UPSTREAMS,
    )
    assert "mirror /_asyncshift/mirror/async;" in text and "mirror /_asyncshift/mirror/sync;" in text
    assert 'split_clients "${request_id}" $asyncshift_sampled { 25% 1; * 0; }' in text
    assert text.count("if ($request_method !~ ^(GET|HEAD)$) { return 204; }") == 2
    assert "X-Asyncshift-Replay read" in text


def test_rollback_sends_everything_to_sync_but_new_only_targets():
    text = render(
        RULES,
        parse_flags("version: 1\nrollback: true\ndefault: async\n"),
        UPSTREAMS,
        new_only=lambda target: target == "web.docs",
    )
    assert text.count("proxy_pass http://asyncshift_async;") == 1  # /docs
    assert "rollback: on" in text


def test_named_groups_do_not_become_nginx_variables():
    assert location_regex("^/files/(?P<uri>.*)$") == '"^/files/(?:.*)$"'
    with pytest.raises(ValueError, match="cannot be written"):
        location_regex('^/a"b$')


# -- with a real nginx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, deadline: float = 10) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def upstreams(tmp_path):
    """Two HTTP servers answering with their name; the async one records mirrored requests."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[tuple[str, str, str | None]] = []

    def handler(name: str):
        class Answer(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))  # the next request follows it
                seen.append((name, f"{self.command} {self.path}", self.headers.get("X-Asyncshift-Replay")))
                body = f"{name} {self.path}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args) -> None:
                pass

        return Answer

    servers = {}
    for name in ("sync", "async"):
        port = free_port()
        server = ThreadingHTTPServer(("127.0.0.1", port), handler(name))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = (server, port)
    yield {name: port for name, (_s, port) in servers.items()}, seen
    for server, _port in servers.values():
        server.shutdown()


APP_MODULE = """
from starlette.applications import Starlette
from starlette.routing import Route
from compat.flags import FlagStore
from compat.web import RouteTargets, Strangler, tag_target

def view(request):
    return None

routes = [Route("/api/items/{item_id:int}", view), Route("/api/users", view, methods=["GET", "POST"])]
names = {"/api/items/{item_id:int}": "web.routes.items", "/api/users": "web.routes.users"}
strangler = Strangler(
    Starlette(routes=routes), lambda environ, start: [],
    target_of=RouteTargets(routes, lambda route: names[route.path]), store=FlagStore(),
)
"""


@needs_nginx
def test_nginx_routes_by_the_flags_and_follows_a_flip_and_a_rollback(tmp_path, upstreams):
    ports, seen = upstreams
    (tmp_path / "front_app.py").write_text(APP_MODULE)
    flags_file = tmp_path / "flags.yaml"
    flags_file.write_text("version: 1\nrollback: false\ndefault: sync\ntargets:\n  web.routes.items: shadow\n")
    proxy = tmp_path / "proxy"
    listen = free_port()
    command = [
        sys.executable, "-c", "from compat.control.commands import main; main()", "proxy", "nginx",
        "--app", "front_app:strangler",
        "--sync", f"127.0.0.1:{ports['sync']}", "--async", f"127.0.0.1:{ports['async']}",
        "--listen", f"127.0.0.1:{listen}", "--out", str(proxy / "asyncshift.conf"), "--standalone",
        "--flags", str(flags_file),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    conf = proxy / "nginx.conf"
    subprocess.run([NGINX, "-t", "-c", str(conf)], check=True, capture_output=True)
    subprocess.run([NGINX, "-c", str(conf)], check=True)
    watcher = subprocess.Popen(
        [*command, "--watch", "--reload", f"{NGINX} -c {conf} -s reload"], cwd=tmp_path, env=env, stderr=subprocess.PIPE
    )
    try:
        assert "watching" in watcher.stderr.readline().decode()  # it has read the flags
        wait_port(listen)
        base = f"http://127.0.0.1:{listen}"
        item = httpx.get(f"{base}/api/items/7")
        assert (item.text, item.headers["x-served-by"]) == ("sync /api/items/7", "sync")
        assert httpx.get(f"{base}/elsewhere").headers["x-served-by"] == "sync"
        _until(lambda: ("async", "GET /api/items/7", "read") in seen)  # the mirror went to the new side
        httpx.post(f"{base}/api/items/7", content=b"x")
        time.sleep(0.3)
        assert ("async", "POST /api/items/7", "read") not in seen  # writes are not mirrored

        failures: list[str] = []
        stop = threading.Event()

        def client() -> None:
            with httpx.Client(base_url=base) as session:
                while not stop.is_set():
                    try:
                        answer = session.get("/api/users")
                    except (httpx.RemoteProtocolError, httpx.ReadError):
                        # nginx's old worker closed (or reset) this kept-alive connection as it reloaded; a
                        # client may send an idempotent request again on a new one (RFC 9112
                        # 9.3.1), as browsers do: only a second failure is one
                        try:
                            answer = session.get("/api/users")
                        except httpx.HTTPError as exc:
                            failures.append(repr(exc))
                            continue
                    except httpx.HTTPError as exc:
                        failures.append(repr(exc))
                        continue
                    if answer.status_code != 200:
                        failures.append(f"status {answer.status_code}: {answer.text[:80]}")

        clients = [threading.Thread(target=client) for _ in range(10)]
        for thread in clients:
            thread.start()
        time.sleep(0.5)
        set_stage(str(flags_file), "web.routes.users", "async")
        flipped = _until(lambda: httpx.get(f"{base}/api/users").headers["x-served-by"] == "async")
        set_rollback(str(flags_file), True)
        rolled = _until(lambda: httpx.get(f"{base}/api/users").headers["x-served-by"] == "sync")
        time.sleep(0.5)
        stop.set()
        for thread in clients:
            thread.join()
        assert failures == []
        # typically 0.3-0.6 s (0.2 s polling, nginx's reload); the bound leaves room for a loaded machine
        assert flipped < 2.0 and rolled < 2.0, (flipped, rolled)
    finally:
        watcher.terminate()
        print(watcher.communicate(timeout=10)[1].decode())
        subprocess.run([NGINX, "-c", str(conf), "-s", "stop"], capture_output=True)
        print((proxy / "error.log").read_text()[-3000:])


def _until(condition, deadline: float = 5.0) -> float:
    """Seconds until ``condition()`` holds (fails after ``deadline``)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > deadline:
            raise AssertionError("did not happen in time")
        time.sleep(0.02)
    return time.monotonic() - start


def test_standalone_keeps_nginx_paths_in_its_folder():
    conf = standalone("/srv/proxy")
    assert "pid /srv/proxy/nginx.pid;" in conf and "include /srv/proxy/asyncshift.conf;" in conf
