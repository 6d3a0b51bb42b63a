"""``admin-assistant serve``: the strangler under uvicorn, on the SQLite default out of the box.

The database is created (and upgraded) on first use; an empty one gets demo data, and the sign-in
address and demo credentials are printed. Each worker process builds its own application (its
own engines and event loop) through ``asgi_app``, uvicorn's factory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from admin_assistant.wiring.database import configured_url, open_database
from admin_assistant.wiring.demo import DemoUser, ensure_demo_data, read_credentials

DEMO_ENV = "ADMIN_ASSISTANT_DEMO"  # "0" to start on an empty database
# "1" writes uvicorn's access log: off by default, as under gunicorn (it cost ~10% of a request)
ACCESS_LOG_ENV = "ADMIN_ASSISTANT_ACCESS_LOG"


def credentials_file() -> Path:
    return Path(platformdirs.user_data_dir("admin-assistant")) / "demo-credentials.txt"


def asgi_app():  # type: ignore[no-untyped-def]
    """The ASGI app one worker serves: the application behind the strangler (uvicorn factory).

    Each worker also runs the auto-rollback watcher and, on PostgreSQL, the fleet listener
    (``wiring.operations``), from its lifespan."""
    from admin_assistant.wiring import operations
    from admin_assistant.wiring.app import build
    from admin_assistant.wiring.web import build_strangler
    from compat.web import settle_gc

    application = build(open_database())
    strangler = build_strangler(application)
    on_startup, on_shutdown = operations.hooks(application)
    strangler.on_startup.append(on_startup)
    strangler.on_shutdown.append(on_shutdown)  # run first: shutdown hooks run in reverse
    strangler.on_startup.append(settle_gc)  # last: once everything startup builds exists
    return strangler


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1, *, access_log: bool | None = None) -> None:
    """Prepare the database (and demo data on first run), say where to go, and serve until stopped."""
    import uvicorn

    if access_log is None:
        access_log = os.environ.get(ACCESS_LOG_ENV, "0") == "1"
    database = open_database()
    users: list[DemoUser] | None = None
    if os.environ.get(DEMO_ENV, "1") != "0":
        users = ensure_demo_data(database, credentials_file())
    database.dispose()
    print(banner(host, port, users), file=sys.stderr, flush=True)
    uvicorn.run(
        "admin_assistant.wiring.serve:asgi_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        lifespan="on",
        access_log=access_log,
        proxy_headers=False,
    )


def banner(host: str, port: int, created: list[DemoUser] | None) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    lines = [
        f"admin-assistant is starting on {base}",
        f"  database:  {_safe_url(configured_url())}",
        f"  sign in:   {base}/sign-in",
        f"  API docs:  {base}/docs",
        f"  migration: {base}/migration   (signed in; 'asyncshift status' says the same)",
    ]
    users = created if created is not None else read_credentials(credentials_file())
    if users:
        lines.append("  demo users (email, API token)" + (":" if created else f", from {credentials_file()}:"))
        lines += [f"    {u.email:<20} {u.token}" for u in users]
        lines.append(f'  try:      curl -H "Authorization: Bearer {users[0].token}" {base}/api/me')
    lines.append("  stages:    asyncshift flags show   (every route starts on the Flask side: 'sync')")
    return "\n".join(lines)


def _safe_url(raw: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(raw).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"
