"""Flask-WTF's ``FlaskForm``, CSRF and file fields on WTForms.

Written beside converted code by asyncshift's flask-to-fastapi.

Same forms, same fields, same templates (``form.hidden_tag()``, ``form.csrf_token``, ``csrf_token()``):
a ``FlaskForm`` reads the submitted form from the current request through ``_flask_compat`` (the same
synchronous reader as ``request_form(request)``, so build forms in ``def`` views), the CSRF token is kept
in the signed-cookie session under ``WTF_CSRF_FIELD_NAME`` as Flask-WTF keeps it, and the ``WTF_CSRF_*``
settings are read from ``app.config``. It needs WTForms (as the app did before), itsdangerous and FastAPI.

End state: plain ``wtforms.Form(formdata=await request.form())`` in ``async def`` views, and a CSRF
dependency (or a middleware) of your own.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import inspect
import json
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from wtforms import Form as _WTForm
from wtforms import ValidationError
from wtforms.csrf.core import CSRF
from wtforms.fields import Field
from wtforms.fields import FileField as _FileField
from wtforms.fields import MultipleFileField as _MultipleFileField
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, StopValidation
from wtforms.widgets import HiddenInput, html_params

__all__ = [
    "FlaskForm",
    "Form",
    "CSRFProtect",
    "CSRFError",
    "generate_csrf",
    "validate_csrf",
    "csrf_meta_tag",
    "FileField",
    "MultipleFileField",
    "FileRequired",
    "file_required",
    "FileAllowed",
    "file_allowed",
    "FileSize",
    "file_size",
    "RecaptchaField",
    "Recaptcha",
    "RecaptchaWidget",
]

SUBMIT_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _compat(part: str) -> Any:
    """A module of the sibling ``_flask_compat``: ``context`` (the current request and app), ``inputs``, ``urls``."""
    package = __name__.rpartition(".")[0]
    return importlib.import_module(f"{package}._flask_compat.{part}" if package else f"_flask_compat.{part}")


def _request() -> Any:
    return _compat("context")._request()


def _app() -> Any:
    return _compat("context")._current_app()


def _config(name: str, default: Any = None) -> Any:
    return _app().config.get(name, default)


def _secret(secret_key: str | None) -> str:
    key = secret_key or _config("WTF_CSRF_SECRET_KEY") or getattr(_app(), "secret_key", None) or _config("SECRET_KEY")
    if not key:
        raise RuntimeError("A secret key is required to use CSRF.")
    return key


def _is_submitted() -> bool:
    try:
        return _request().method in SUBMIT_METHODS
    except RuntimeError:
        return False


# -- CSRF: a random token in the session, signed into the page -----------------------------------------


def generate_csrf(secret_key: str | None = None, token_key: str | None = None) -> str:
    """Flask-WTF's ``generate_csrf``: one signed token per request; the raw one in ``session[token_key]``."""
    field_name = token_key or _config("WTF_CSRF_FIELD_NAME", "csrf_token")
    request = _request()
    cache = request.scope.setdefault("_flask_wtf_csrf", {})
    if field_name not in cache:
        session = request.session
        serializer = URLSafeTimedSerializer(_secret(secret_key), salt="wtf-csrf-token")
        if field_name not in session:
            session[field_name] = hashlib.sha1(os.urandom(64)).hexdigest()
        cache[field_name] = serializer.dumps(session[field_name])
    return cache[field_name]


def validate_csrf(
    data: Any, secret_key: str | None = None, time_limit: int | None = None, token_key: str | None = None
) -> None:
    """Flask-WTF's ``validate_csrf``: raises ``ValidationError`` with Flask-WTF's reasons."""
    field_name = token_key or _config("WTF_CSRF_FIELD_NAME", "csrf_token")
    time_limit = time_limit if time_limit is not None else _config("WTF_CSRF_TIME_LIMIT", 3600)
    if not data:
        raise ValidationError("The CSRF token is missing.")
    session = _request().session
    if field_name not in session:
        raise ValidationError("The CSRF session token is missing.")
    try:
        token = URLSafeTimedSerializer(_secret(secret_key), salt="wtf-csrf-token").loads(data, max_age=time_limit)
    except SignatureExpired as exc:
        raise ValidationError("The CSRF token has expired.") from exc
    except BadData as exc:
        raise ValidationError("The CSRF token is invalid.") from exc
    if not hmac.compare_digest(session[field_name], token):
        raise ValidationError("The CSRF tokens do not match.")


def csrf_meta_tag(name: str | None = None, secret_key: str | None = None, token_key: str | None = None) -> Markup:
    name = name or _config("WTF_CSRF_META_NAME", "csrf-token")
    return Markup(f'<meta name="{escape(name)}" content="{escape(generate_csrf(secret_key, token_key))}">')


class CSRFError(StarletteHTTPException):
    """Flask-WTF's ``CSRFError``: a 400 whose ``description`` says why."""

    description = "CSRF validation failed."  # Flask-WTF's class default, which apps read from the class

    def __init__(self, description: str = "The CSRF token is missing."):
        super().__init__(400, description)
        self.description = description


class _FlaskFormCSRF(CSRF):
    def setup_form(self, form: Any) -> Any:
        self.meta = form.meta
        return super().setup_form(form)

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return generate_csrf(secret_key=self.meta.csrf_secret, token_key=self.meta.csrf_field_name)

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        if _request().scope.get("_flask_wtf_csrf_valid"):  # CSRFProtect checked this request already
            return
        try:
            validate_csrf(field.data, self.meta.csrf_secret, self.meta.csrf_time_limit, self.meta.csrf_field_name)
        except ValidationError as exc:
            raise ValidationError(exc.args[0] if exc.args else str(exc)) from exc


class _Auto:
    """The form data of the current request (Flask-WTF's default ``formdata``)."""


def _babel_translations() -> Any:
    """Flask-WTF's i18n: WTForms' messages in Flask-Babel's locale, when the app set Flask-Babel up."""
    try:
        request = _request()
    except RuntimeError:  # a form made outside a request
        return None
    if "babel" not in getattr(request.app, "extensions", {}):
        return None
    if "_flask_wtf_translations" not in request.scope:
        try:
            from babel import support
            from flask_babel import get_locale
            from wtforms.i18n import messages_path
        except ImportError:
            return None
        found = support.Translations.load(messages_path(), [get_locale()], domain="wtforms")
        request.scope["_flask_wtf_translations"] = found
    return request.scope["_flask_wtf_translations"]


def _submitted_data() -> Any:
    compat = _compat("inputs")
    request = _request()
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind == "application/json":
        data = compat.request_json(request, silent=True) or {}
        return FormData([(k, v) for k, v in data.items()] if isinstance(data, dict) else [])
    form = compat._form(request)  # the same synchronous reader as request_form(request)
    return form if len(form) else None


class FlaskForm(_WTForm):
    """Flask-WTF's ``FlaskForm``: formdata from the current request, CSRF in the session."""

    class Meta(DefaultMeta):
        csrf_class = _FlaskFormCSRF
        csrf_context = None  # the session of the current request

        @property
        def csrf(self) -> bool:
            return self.__dict__.get("csrf", _config("WTF_CSRF_ENABLED", True))

        @csrf.setter
        def csrf(self, value: bool) -> None:
            self.__dict__["csrf"] = value

        @property
        def csrf_secret(self) -> Any:
            return self.__dict__.get("csrf_secret", _config("WTF_CSRF_SECRET_KEY") or _config("SECRET_KEY"))

        @csrf_secret.setter
        def csrf_secret(self, value: Any) -> None:
            self.__dict__["csrf_secret"] = value

        @property
        def csrf_field_name(self) -> str:
            return self.__dict__.get("csrf_field_name", _config("WTF_CSRF_FIELD_NAME", "csrf_token"))

        @csrf_field_name.setter
        def csrf_field_name(self, value: str) -> None:
            self.__dict__["csrf_field_name"] = value

        @property
        def csrf_time_limit(self) -> Any:
            return self.__dict__.get("csrf_time_limit", _config("WTF_CSRF_TIME_LIMIT", 3600))

        @csrf_time_limit.setter
        def csrf_time_limit(self, value: Any) -> None:
            self.__dict__["csrf_time_limit"] = value

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto:
                return _submitted_data() if _is_submitted() else None
            return formdata

        def get_translations(self, form: Any) -> Any:
            if _config("WTF_I18N_ENABLED", True):
                translations = _babel_translations()
                if translations is not None:
                    return translations
            return super().get_translations(form)

    def __init__(self, formdata: Any = _Auto, **kwargs: Any):
        super().__init__(formdata=formdata, **kwargs)

    def is_submitted(self) -> bool:
        return _is_submitted()

    def validate_on_submit(self, extra_validators: Any = None) -> bool:
        if not self.is_submitted():
            return False
        # WTForms 2.x (the app's own pin) has no extra_validators: pass it only when given, as Flask-WTF 0.14 did
        return self.validate(extra_validators=extra_validators) if extra_validators is not None else self.validate()

    def hidden_tag(self, *fields: Any) -> Markup:
        def hidden(field: Any) -> bool:
            return isinstance(getattr(field, "widget", None), HiddenInput)

        chosen = (
            [getattr(self, f, f) if isinstance(f, str) else f for f in fields]
            if fields
            else [f for f in self if hidden(f)]
        )
        return Markup("\n".join(str(f) for f in chosen if hidden(f)))


class Form(FlaskForm):
    """Flask-WTF's name for ``FlaskForm`` before 1.0 (0.13-0.15: a subclass, deprecated; gone in 1.0), so an app
    importing ``Form`` from it had a form reading the request and CSRF in the session, not WTForms' plain ``Form``."""


class CSRFProtect:
    """Flask-WTF's ``CSRFProtect``: every POST/PUT/PATCH/DELETE carries a valid token (form field or header)."""

    def __init__(self, app: Any = None):
        self._exempt_views: set[str] = set()
        self._exempt_routers: list[Any] = []
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Any) -> None:
        app.extensions["csrf"] = self
        for key, value in {
            "WTF_CSRF_ENABLED": True,
            "WTF_CSRF_CHECK_DEFAULT": True,
            "WTF_CSRF_METHODS": ["POST", "PUT", "PATCH", "DELETE"],
            "WTF_CSRF_FIELD_NAME": "csrf_token",
            "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
            "WTF_CSRF_TIME_LIMIT": 3600,
        }.items():
            app.config.setdefault(key, value)
        app.jinja_env.globals["csrf_token"] = generate_csrf
        app.hooks["before"].append(self._before)

    async def _before(self, request: Any) -> Any:
        config = request.app.config
        if (
            not config["WTF_CSRF_ENABLED"]
            or not config["WTF_CSRF_CHECK_DEFAULT"]
            or request.method not in config["WTF_CSRF_METHODS"]
        ):
            return
        if self._is_exempt(request):
            return
        await request.body()  # kept on the request: _flask_compat replays it to the view
        form = request.scope["_flask_compat_form"] = await request.form()
        token = form.get(config["WTF_CSRF_FIELD_NAME"])
        if not token:
            token = next((request.headers[h] for h in config["WTF_CSRF_HEADERS"] if request.headers.get(h)), None)
        compat = _compat("context")
        marker = compat._current.set(request)
        try:
            validate_csrf(token)
        except ValidationError as exc:
            error = CSRFError(exc.args[0])
            # raised before the app's exception middleware: answer with the app's handler for it
            for klass in type(error).__mro__:
                handler = request.app.exception_handlers.get(klass)
                if handler is not None:
                    answer = handler(request, error)
                    return await answer if inspect.isawaitable(answer) else answer
            raise error from None
        finally:
            compat._current.reset(marker)
        request.scope["_flask_wtf_csrf_valid"] = True
        return None

    def _is_exempt(self, request: Any) -> bool:
        for route in _compat("urls")._all_routes(request.app.routes):
            if getattr(route, "endpoint", None) and route.matches(request.scope)[0] == Match.FULL:
                endpoint = route.endpoint
                name = f"{endpoint.__module__}.{endpoint.__name__}"
                return name in self._exempt_views or any(
                    any(getattr(r, "endpoint", None) is endpoint for r in router.routes)
                    for router in self._exempt_routers
                )
        return False

    def exempt(self, view: Any) -> Any:
        if hasattr(view, "routes"):
            self._exempt_routers.append(view)
            return view
        self._exempt_views.add(view if isinstance(view, str) else f"{view.__module__}.{view.__name__}")
        return view

    def protect(self) -> None:
        request = _request()
        if request.method in _config("WTF_CSRF_METHODS", SUBMIT_METHODS):
            form = _compat("inputs").request_form(request)
            token = form.get(_config("WTF_CSRF_FIELD_NAME", "csrf_token")) or next(
                (
                    request.headers[h]
                    for h in _config("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
                    if request.headers.get(h)
                ),
                None,
            )
            try:
                validate_csrf(token)
            except ValidationError as exc:
                raise CSRFError(exc.args[0]) from None
            request.scope["_flask_wtf_csrf_valid"] = True


# -- file fields: Starlette's UploadFile where Flask-WTF had Werkzeug's FileStorage ---------------------


def _is_upload(value: Any) -> bool:
    return not isinstance(value, str) and hasattr(value, "filename") and bool(value.filename)


class FileField(_FileField):
    """Flask-WTF's ``FileField``: ``data`` is the uploaded file (Werkzeug's FileStorage over it), or None."""

    def process_formdata(self, valuelist: list) -> None:
        data = next((x for x in valuelist if _is_upload(x)), None)
        if data is not None:
            self.data = _compat("uploads").file_storage(data)  # Werkzeug's API: save, read, stream, mimetype
        else:
            self.raw_data = ()


class MultipleFileField(_MultipleFileField):
    def process_formdata(self, valuelist: list) -> None:
        data = [x for x in valuelist if _is_upload(x)]
        if data:
            self.data = [_compat("uploads").file_storage(x) for x in data]
        else:
            self.raw_data = ()


class FileRequired(DataRequired):
    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if not (values and all(_is_upload(x) for x in values)):
            raise StopValidation(self.message or field.gettext("This field is required."))


file_required = FileRequired


class FileAllowed:
    def __init__(self, upload_set: Any, message: str | None = None):
        self.upload_set, self.message = upload_set, message

    def __call__(self, form: Any, field: Any) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if not (values and all(_is_upload(x) for x in values)):
            return
        for value in values:
            filename = value.filename.lower()
            if isinstance(self.upload_set, (list, tuple, set)):
                if any(filename.endswith("." + x) for x in self.upload_set):
                    continue
                raise StopValidation(
                    self.message
                    or field.gettext("File does not have an approved extension: {extensions}").format(
                        extensions=", ".join(self.upload_set)
                    )
                )
            if not self.upload_set.file_allowed(value, filename):
                raise StopValidation(self.message or field.gettext("File does not have an approved extension."))


file_allowed = FileAllowed


class FileSize:
    def __init__(self, max_size: int, min_size: int = 0, message: str | None = None):
        self.min_size, self.max_size, self.message = min_size, max_size, message

    def __call__(self, form: Any, field: Any) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if not (values and all(_is_upload(x) for x in values)):
            return
        for value in values:
            value.file.seek(0, os.SEEK_END)
            size = value.file.tell()
            value.file.seek(0)
            if not self.min_size <= size <= self.max_size:
                raise StopValidation(
                    self.message
                    or field.gettext("File must be between {min_size} and {max_size} bytes.").format(
                        min_size=self.min_size, max_size=self.max_size
                    )
                )


file_size = FileSize


# -- reCAPTCHA: the same widget and the same check against Google's verify server ------------------------


class RecaptchaWidget:
    def __call__(self, field: Any, error: Any = None, **kwargs: Any) -> Markup:
        if not _config("RECAPTCHA_ENABLED", True):
            return Markup("<!-- recaptcha disabled -->")
        if _config("RECAPTCHA_HTML"):
            return Markup(_config("RECAPTCHA_HTML"))
        public_key = _config("RECAPTCHA_PUBLIC_KEY")
        if public_key is None:
            raise RuntimeError("RECAPTCHA_PUBLIC_KEY config not set")
        script = _config("RECAPTCHA_SCRIPT") or "https://www.google.com/recaptcha/api.js"
        if _config("RECAPTCHA_PARAMETERS"):
            script += f"?{urlencode(_config('RECAPTCHA_PARAMETERS'))}"
        nonce = field.nonce() if callable(field.nonce) else field.nonce
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("class", _config("RECAPTCHA_DIV_CLASS") or "g-recaptcha")
        for key, value in {**dict(_config("RECAPTCHA_DATA_ATTRS", {})), "sitekey": public_key}.items():
            kwargs.setdefault(f"data-{key}", value)
        nonce_attr = f' nonce="{escape(nonce)}"' if nonce else ""
        return Markup(
            f"\n<script src='{script}' async defer{nonce_attr}></script>\n<div {html_params(**kwargs)}></div>\n"
        )


class Recaptcha:
    def __init__(self, message: str | None = None):
        self.message = message or "The response parameter is missing."

    def __call__(self, form: Any, field: Any) -> bool | None:
        app = _app()
        if app.config.get("TESTING") or not app.config.get("RECAPTCHA_ENABLED", True):
            return True
        request = _request()
        response = _submitted_data() or {}
        answer = response.get("g-recaptcha-response", "")
        if not answer:
            raise ValidationError(field.gettext(self.message))
        from urllib import request as http

        data = urlencode(
            {
                "secret": app.config["RECAPTCHA_PRIVATE_KEY"],
                "remoteip": request.client.host if request.client else "",
                "response": answer,
            }
        )
        reply = http.urlopen(
            app.config.get("RECAPTCHA_VERIFY_SERVER") or "https://www.google.com/recaptcha/api/siteverify",
            data.encode("utf-8"),
        )
        if reply.code == 200 and json.loads(reply.read()).get("success"):
            return True
        field.recaptcha_error = "incorrect-captcha-sol"
        raise ValidationError(field.gettext(self.message))


class RecaptchaField(Field):
    widget = RecaptchaWidget()
    recaptcha_error = None

    def __init__(self, label: str = "", validators: Any = None, nonce: Callable | str | None = None, **kwargs: Any):
        super().__init__(label, validators or [Recaptcha()], **kwargs)
        self.nonce = nonce
