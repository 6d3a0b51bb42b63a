"""Flask's JSON answers byte for byte: the app's JSON provider settings, Flask's encoder, the trailing newline.

``jsonify`` and a returned dict answer what Flask sent: keys sorted, ASCII escapes, compact unless debug
(``indent=2``), a ``\\n`` at the end, dates as HTTP dates; ``app.json.sort_keys = False`` and the Flask < 2.2
config keys (``JSON_SORT_KEYS``, ``JSON_AS_ASCII``, ``JSONIFY_PRETTYPRINT_REGULAR``, ``JSONIFY_MIMETYPE``) are
read as the installed Flask read them (without Flask: when the app sets them).
End state: FastAPI's ``JSONResponse`` (unsorted, no newline, ISO dates).
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import uuid
from datetime import date, datetime, time, timezone
from email.utils import format_datetime
from typing import Any

from fastapi.responses import JSONResponse as _FastAPIJSONResponse
from starlette.datastructures import ImmutableMultiDict

from .versions import flask_version

UTC = timezone.utc  # noqa: UP017 - datetime.UTC is Python 3.11+; the helpers run on 3.8+

_LEGACY_KEYS = ("JSON_SORT_KEYS", "JSON_AS_ASCII", "JSONIFY_PRETTYPRINT_REGULAR", "JSONIFY_MIMETYPE")


def flask_default(o: Any) -> Any:
    """Flask's ``default`` for ``json.dumps``: dates as HTTP dates, Decimal and UUID as text, dataclasses, Markup,
    the request's query and form (Werkzeug's MultiDicts were dicts)."""
    if isinstance(o, date):
        value = o if isinstance(o, datetime) else datetime.combine(o, time())
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return format_datetime(value, usegmt=True)
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    if isinstance(o, ImmutableMultiDict):  # request.args/form: Werkzeug's MultiDict was a dict (first values)
        return {key: o.getlist(key)[0] for key in o.keys()}
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class JSONProvider:
    """``app.json`` as Flask 2.2+ has it: ``sort_keys``, ``ensure_ascii``, ``compact``, ``mimetype``, ``dumps``."""

    default = staticmethod(flask_default)
    ensure_ascii = True
    sort_keys = True
    compact: bool | None = None
    mimetype = "application/json"

    def __init__(self, app: Any):
        self._app = app

    def _keys_read(self) -> bool:
        """Whether Flask read the JSON config keys: before 2.3 (2.2 warned); without Flask, when the app sets one."""
        version = flask_version()
        if version is None:
            return any(key in getattr(self._app, "config", {}) for key in _LEGACY_KEYS)
        return version < (2, 3)

    def _setting(self, key: str, fallback: Any) -> Any:
        config = getattr(self._app, "config", {})
        if self._keys_read() and config.get(key) is not None:
            return config[key]
        return fallback

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        encoder = given_encoder(self._app)
        if encoder is not None:
            kwargs.setdefault("cls", encoder)
        else:
            kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self._setting("JSON_AS_ASCII", self.ensure_ascii))
        kwargs.setdefault("sort_keys", self._setting("JSON_SORT_KEYS", self.sort_keys))
        return json.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return json.loads(s, **kwargs)

    def response_bytes(self, obj: Any) -> bytes:
        """The body ``jsonify(obj)`` sends: the dump, then ``\\n``."""
        debug = bool(getattr(self._app, "config", {}).get("DEBUG"))
        pretty = self._setting("JSONIFY_PRETTYPRINT_REGULAR", None)
        version = flask_version()
        if self._keys_read() and (version is None or version < (2, 2)):
            # Flask < 2.2: pretty (", ", ": ") when JSONIFY_PRETTYPRINT_REGULAR or debug
            options: dict = {"indent": 2, "separators": (", ", ": ")} if pretty or debug else {"separators": (",", ":")}
        elif (self.compact is None and (debug if pretty is None else pretty)) or self.compact is False:
            options = {"indent": 2}
        else:
            options = {"separators": (",", ":")}
        return f"{self.dumps(obj, **options)}\n".encode()

    def response_mimetype(self) -> str:
        return self._setting("JSONIFY_MIMETYPE", self.mimetype)


def given_encoder(app: Any) -> type | None:
    """The encoder class given as ``app.json_encoder`` (Flask < 2.2), on the app or on the Flask app hosting its REST
    extension (``flask_hosted``: the extension's ``init_app`` set it there, serializing its models), or None. Flask
    2.3 dropped it: then None, as Flask ignored it."""
    version = flask_version()
    if version is not None and version >= (2, 3):
        return None
    for owner in (app, getattr(app, "__dict__", {}).get("flask_host")):
        encoder = getattr(owner, "__dict__", {}).get("json_encoder")
        if isinstance(encoder, type) and issubclass(encoder, json.JSONEncoder):
            return encoder
    return None


def provider(app: Any) -> JSONProvider:
    """The app's provider (made on first use, so ``app.json.sort_keys = False`` is kept)."""
    found = getattr(app, "json", None) if app is not None else None
    if isinstance(found, JSONProvider):
        return found
    if callable(getattr(found, "dumps", None)):  # ``app.json = AppJSONProvider(app)``, Flask's class's subclass
        return _GivenProvider(app, found)
    made = JSONProvider(app)
    if app is not None:
        try:
            app.json = made
        except AttributeError:
            pass
    return made


class _GivenProvider(JSONProvider):
    """An app's own provider (a subclass of Flask's ``JSONProvider`` overriding ``dumps``, kept on Flask): its
    ``dumps`` and settings make the body, as Flask's ``jsonify`` let it."""

    def __init__(self, app: Any, given: Any):
        super().__init__(app)
        self._given = given
        for name in ("ensure_ascii", "sort_keys", "compact", "mimetype"):
            if hasattr(given, name):
                setattr(self, name, getattr(given, name))

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._given.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return self._given.loads(s, **kwargs)

    def response_bytes(self, obj: Any) -> bytes:
        """Flask's base ``JSONProvider.response``: the dump as it is (no indent, no newline); a subclass of the
        default provider answers as it does."""
        answer = getattr(type(self._given), "response", None)
        if getattr(answer, "__qualname__", "") == "JSONProvider.response":
            return self.dumps(obj).encode()
        return super().response_bytes(obj)


def _current_app_or_none() -> Any:
    from .context import _current_app

    try:
        return _current_app()
    except RuntimeError:
        return None


class JSONResponse(_FastAPIJSONResponse):
    """A JSON answer with Flask's bytes for the current app; ``status_code``/``headers`` as Starlette's."""

    def __init__(self, content: Any = None, status_code: int = 200, *args: Any, **kwargs: Any):
        self._provider = provider(_current_app_or_none())
        kwargs.setdefault("media_type", self._provider.response_mimetype())
        super().__init__(content, status_code, *args, **kwargs)

    def render(self, content: Any) -> bytes:
        return self._provider.response_bytes(content)

    @property
    def json(self) -> Any:
        """Flask's ``response.json``: a view called by hand (``(await view(id)).json``) read as Flask's answer."""
        return json.loads(self.body)

    def get_json(self, force: bool = False, silent: bool = False) -> Any:
        try:
            return self.json
        except ValueError:
            if silent:
                return None
            raise
