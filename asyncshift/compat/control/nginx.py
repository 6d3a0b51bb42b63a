"""An nginx configuration that routes each request by the flags, as the in-process strangler does.

For deployments that outgrow one process: each stack runs in its own native server (Flask under
gunicorn, FastAPI under uvicorn, as many workers as they like), and nginx, which teams already run,
sends each route to one of them by its target's stage. The route table is the strangler's (the new
app's routes in matching order, each with its target; anything else is the default target), so both
fronts agree on every path. ``shadow`` and ``live`` serve from one side and mirror the request to
the other (nginx's ``mirror``: reads only unless a target replays writes, sampled at the flags'
``sample_rate``, with ``X-Asyncshift-Replay`` set as the strangler sets it). nginx ignores the
mirror's answer, so it exercises the other side under real traffic but compares nothing: the
comparisons and their records stay with the in-process strangler.

``render`` is pure; ``asyncshift proxy nginx`` writes the file and reloads nginx when the flags change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compat.flags import Flags, Stage

SYNC_UPSTREAM, ASYNC_UPSTREAM = "asyncshift_sync", "asyncshift_async"
MIRROR_PATH = "/_asyncshift/mirror/"
_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


@dataclass(frozen=True)
class Upstreams:
    """Where each stack listens (``host:port`` or ``unix:/path``), and where nginx listens."""

    sync: str
    asynchronous: str
    listen: str = "127.0.0.1:8000"
    keepalive: int = 32


def location_regex(pattern: str) -> str:
    """A Starlette path regex as an nginx location regex: named groups become plain groups (their
    names would become nginx variables and may clash with built-ins such as ``$uri``), quoted."""
    plain = _NAMED_GROUP.sub("(?:", pattern)
    if '"' in plain or "\n" in plain:
        raise ValueError(f"route regex {pattern!r} cannot be written in an nginx location")
    return f'"{plain}"'


def render(
    rules: Sequence[tuple[str, str, str]],
    flags: Flags,
    upstreams: Upstreams,
    *,
    default_target: str = "web",
    new_only: Callable[[str], bool] = lambda _target: False,
    replay_writes: Callable[[str], bool] = lambda _target: False,
    source: str = "feature_flags.yaml",
) -> str:
    """The ``http``-level configuration (upstreams, sampling, one server) for ``rules`` at ``flags``."""
    sample = flags.shadow.sample_rate
    lines = [
        f"# Written by 'asyncshift proxy nginx' from {source} (rollback: {'on' if flags.rollback else 'off'}).",
        "# Do not edit: it is written again whenever the flags change.",
        f"upstream {SYNC_UPSTREAM} {{ server {upstreams.sync}; keepalive {upstreams.keepalive}; }}",
        f"upstream {ASYNC_UPSTREAM} {{ server {upstreams.asynchronous}; keepalive {upstreams.keepalive}; }}",
        f'split_clients "${{request_id}}" $asyncshift_sampled {{ {_split(sample)} }}',
        "server {",
        f"    listen {upstreams.listen};",
        "    proxy_http_version 1.1;",
        '    proxy_set_header Connection "";',
        "    proxy_set_header Host $http_host;",
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_pass_header Server;",
    ]
    mirrors: set[tuple[str, bool]] = set()
    for pattern, target, route in rules:
        stage = Stage.ASYNC if new_only(target) else flags.stage(target)
        lines.append(f"    # {route}: {target} at {stage.value}")
        lines += _location(f"location ~ {location_regex(pattern)}", stage, target, replay_writes(target), mirrors)
    stage = flags.stage(default_target)
    lines.append(f"    # every other path: {default_target} at {stage.value}")
    lines += _location("location /", stage, default_target, replay_writes(default_target), mirrors)
    for side, writes in sorted(mirrors):
        lines += _mirror_location(side, writes)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _location(opening: str, stage: Stage, target: str, writes: bool, mirrors: set[tuple[str, bool]]) -> list[str]:
    serving = "async" if stage.serves_new else "sync"
    body = [f"    {opening} {{"]
    if stage.runs_both:
        other = "sync" if stage.serves_new else "async"
        mirrors.add((other, writes))
        body.append(f"        mirror {_mirror_uri(other, writes)};")
    body += [
        f"        proxy_pass http://{ASYNC_UPSTREAM if serving == 'async' else SYNC_UPSTREAM};",
        f"        add_header X-Served-By {serving} always;",
        "    }",
    ]
    return body


def _mirror_uri(side: str, writes: bool) -> str:
    return f"{MIRROR_PATH}{side}{'-writes' if writes else ''}"


def _mirror_location(side: str, writes: bool) -> list[str]:
    """The internal location a mirrored request goes to: sampled, reads only unless writes replay."""
    lines = [
        f"    location = {_mirror_uri(side, writes)} {{",
        "        internal;",
        "        if ($asyncshift_sampled = 0) { return 204; }",
    ]
    if not writes:
        lines.append("        if ($request_method !~ ^(GET|HEAD)$) { return 204; }")
    lines += [
        f"        proxy_set_header X-Asyncshift-Replay {'rollback' if writes else 'read'};",
        f"        proxy_pass http://{ASYNC_UPSTREAM if side == 'async' else SYNC_UPSTREAM}$request_uri;",
        "    }",
    ]
    return lines


def _split(rate: float) -> str:
    """``split_clients`` entries for a sample rate (0..1); nginx takes shares to two decimals."""
    share = round(max(0.0, min(1.0, rate)) * 100, 2)
    if share >= 100:
        return "* 1;"
    if share <= 0:
        return "* 0;"
    return f"{share:g}% 1; * 0;"


def standalone(folder: str) -> str:
    """A whole ``nginx.conf`` including ``folder/asyncshift.conf``, every path of nginx's own inside
    ``folder`` (for a trial run without root, and for the tests)."""
    return (
        f"daemon on;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 1024; }\nhttp {\n"
        f"    access_log off;\n    client_body_temp_path {folder}/body;\n    proxy_temp_path {folder}/proxy;\n"
        f"    fastcgi_temp_path {folder}/fastcgi;\n    uwsgi_temp_path {folder}/uwsgi;\n"
        f"    scgi_temp_path {folder}/scgi;\n    include {folder}/asyncshift.conf;\n}}\n"
    )
