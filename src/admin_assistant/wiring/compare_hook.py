"""admin-assistant's hooks for ``asyncshift compare``: services and repositories, web routes, commands.

``build`` is ``[tool.asyncshift] compare``: it builds the application on the database
``compat.control.replay`` hands it (a sandbox whose writes are rolled back) and adds ``subjects``:

- ``web.routes.<tag>`` (and ``web``): one request, ``(method, path, query)``, sent to the Flask
  app (old) and to the FastAPI app (new), signed in as one user (``$ADMIN_ASSISTANT_COMPARE_AS``,
  an email; else the first user). Each answer is compared by status and body, as the strangler
  compares its replays (JSON as data, HTML by its text). Recorded requests come from the strangler,
  which keeps the method, path and query of the GET requests it replays side by side (never
  headers or cookies) through the checker's ``compat.inputs.InputRecorder``.
- ``cli`` and ``cli.<command>...``: one argv list run by the Typer app (old) and the AsyncClick
  app (new), compared by exit code and standard output. The target's command names are put in
  front of argv when it does not start with them, so ``cli.users.list`` with ``["--json"]`` runs
  ``users list --json``. Each app is handed a host (``wiring.clihost``) lent this application:
  the commands run on the sandbox, which they neither check nor dispose of.

    asyncshift compare web.routes.appointments                 # replay recorded GET requests
    asyncshift compare web.routes.users --call GET --args '["GET", "/api/me", ""]'
    asyncshift compare cli.users.list --call run --args '["--json"]'
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from compat.control.replay import Subject
from compat.db import Database
from compat.flags import FlagStore
from compat.shadow import Recorder
from compat.web import comparable_body

USER_ENV = "ADMIN_ASSISTANT_COMPARE_AS"
SECRET = "asyncshift-compare"  # both apps sign the replay's session cookie with it; never served
PROG_NAME = "admin-assistant"


# ----------------------------------------------------------------------------------- the hook


def build(database: Database, *, store: FlagStore, recorder: Recorder) -> SimpleNamespace:
    """The application on ``database``, with its web and CLI subjects (``compat.control.replay`` calls it)."""
    from admin_assistant.wiring.app import build as build_application

    application = build_application(database, store=store, recorder=recorder, learn=False)
    return SimpleNamespace(
        application=application, services=application.services, units=application.units, subjects=Subjects(application)
    )


class Subjects(Mapping[str, Subject]):
    """``web`` / ``web.routes.<tag>`` and ``cli`` / ``cli.<command>...``, made when asked for."""

    def __init__(self, application: Any) -> None:
        self.application = application

    def __contains__(self, target: object) -> bool:
        return isinstance(target, str) and target.split(".")[0] in ("web", "cli")

    def __getitem__(self, target: str) -> Subject:
        if target not in self:
            raise KeyError(target)
        if target.split(".")[0] == "web":
            return Subject(
                run_old=lambda *request: self._web_old(*request), run_new=lambda *request: self._web_new(*request)
            )
        names = target.split(".")[1:]
        return Subject(
            run_old=lambda *argv: self._cli_old(_argv(names, argv)),
            run_new=lambda *argv: self._cli_new(_argv(names, argv)),
        )

    def __iter__(self) -> Iterator[str]:
        from admin_assistant.aio.cli import app as cli_app
        from admin_assistant.aio.web import create_app

        yield "web"
        tags = {
            route.tags[0]
            for route in create_app(self.application, secret=SECRET).routes
            if getattr(route, "tags", None)
        }
        yield from (f"web.routes.{tag}" for tag in sorted(tags))
        yield from _command_targets(cli_app, "cli")

    def __len__(self) -> int:
        return 2  # never empty; the names are listed only in an error message

    # -- web

    @staticmethod
    def _session(user_id: int) -> tuple[str, str]:
        """The session cookie (name, value) of ``user_id``, signed with ``SECRET``."""
        from admin_assistant.presentation.webcommon import SESSION_COOKIE, Session, SessionCodec

        return SESSION_COOKIE, SessionCodec(SECRET).dump(Session(user_id=user_id, seed="asyncshift-compare"))

    def _web_old(self, method: str, path: str, query: str = "") -> dict[str, Any]:
        from admin_assistant.sync.web import create_app

        user_id = self._user_id_sync()
        client = create_app(self.application, secret=SECRET).test_client()
        if user_id is not None:
            client.set_cookie(*self._session(user_id))
        response = client.open(path, method=method, query_string=query)
        return _answer(response.status_code, response.headers.get("content-type", ""), response.get_data())

    async def _web_new(self, method: str, path: str, query: str = "") -> dict[str, Any]:
        from admin_assistant.aio.web import create_app

        user_id = await self._user_id_async()
        cookie = "=".join(self._session(user_id)) if user_id is not None else None
        return await _asgi_request(create_app(self.application, secret=SECRET), method, path, query, cookie)

    def _user_query(self) -> Any:
        from sqlalchemy import select

        from admin_assistant.domain.models import User

        email = os.environ.get(USER_ENV)
        query = select(User.id).order_by(User.id).limit(1)
        return query.where(User.email == email) if email else query

    def _user_id_sync(self) -> int | None:
        with self.application.database.unit_of_work() as session:
            return session.execute(self._user_query()).scalar()

    async def _user_id_async(self) -> int | None:
        async with self.application.database.async_unit_of_work() as session:
            return (await session.execute(self._user_query())).scalar()

    # -- command line

    def _cli_old(self, argv: list[str]) -> dict[str, Any]:
        """The Typer app, lent the sandbox's application (its owner disposes of it)."""
        from admin_assistant.sync.cli import app as old_app
        from admin_assistant.wiring.clihost import CommandHost
        from compat.cli import typer_runner

        host = CommandHost(lent=self.application)
        with _captured() as out:
            code = typer_runner(old_app, PROG_NAME, obj=host)(argv)
        return {"exit_code": code, "stdout": out.getvalue()}

    async def _cli_new(self, argv: list[str]) -> dict[str, Any]:
        """The AsyncClick app, in this event loop, lent the sandbox's application."""
        from admin_assistant.aio.cli import app as new_app
        from admin_assistant.wiring.clihost import AsyncCommandHost

        host = AsyncCommandHost(lent=self.application)
        with _captured() as out:
            try:
                await new_app.main(args=argv, prog_name=PROG_NAME, standalone_mode=True, obj=host)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return {"exit_code": code, "stdout": out.getvalue()}


def _argv(names: list[str], argv: tuple[Any, ...]) -> list[str]:
    tokens = [str(token) for token in argv]
    return tokens if tokens[: len(names)] == names else [*names, *tokens]


def _command_targets(group: Any, prefix: str) -> Iterator[str]:
    yield prefix
    for name, command in sorted(getattr(group, "commands", {}).items()):
        yield from _command_targets(command, f"{prefix}.{name}")


@contextlib.contextmanager
def _captured() -> Iterator[io.StringIO]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        yield out
    sys.stdout.flush()


def _answer(status: int, content_type: str, body: bytes) -> dict[str, Any]:
    """Status and body as the strangler compares them: server errors by status only."""
    if status >= 500:
        return {"status": status}
    return {"status": status, "body": comparable_body(content_type.lower(), body)}


async def _asgi_request(app: Any, method: str, path: str, query: str, cookie: str | None) -> dict[str, Any]:
    """One request through an ASGI app, in this event loop; its answer as ``_answer`` gives it."""
    headers = [(b"host", b"localhost"), (b"accept", b"*/*")]
    if cookie:
        headers.append((b"cookie", cookie.encode("latin-1")))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode("latin-1"),
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": ("localhost", 80),
        "state": {},
    }
    sent = False
    status, content_type, chunks = 0, "", []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, content_type
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    content_type = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))

    await app(scope, receive, send)
    return _answer(status, content_type, b"".join(chunks))
