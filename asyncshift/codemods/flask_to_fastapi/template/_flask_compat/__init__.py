"""Flask idioms FastAPI has no twin for, one module per idea, written beside converted code by flask-to-fastapi.

Converted modules import every name from this package; delete a helper once nothing imports it (in the end, all).
"""

from __future__ import annotations

from . import (
    flask_only,  # noqa: F401 - an extension that refuses the converted app is built on a Flask app, from import on
    werkzeug_header_values,  # noqa: F401 - Werkzeug's response.headers = ..., bytes values, at import
    werkzeug_mappings,  # noqa: F401 - Werkzeug's MultiDict.to_dict() on Starlette's, at import
    werkzeug_responses,  # noqa: F401 - Werkzeug's response.data & co on Starlette's, at import
)
from .accept import accept_charsets, accept_encodings, accept_languages, accept_mimetypes
from .app import init_app
from .blueprint_prefixes import blueprint_url_prefix, set_blueprint_url_prefix
from .blueprint_twins import flask_blueprint
from .config import Config
from .context import current_app, g, request, session
from .cors import CORS, cross_origin
from .errors import app_errorhandler, error_description, errorhandler
from .face import blueprint_folders
from .flashing import flash, get_flashed_messages
from .flask_calls import (
    flask_flash,
    flask_get_flashed_messages,
    flask_render_template,
    flask_render_template_string,
    flask_url_for,
)
from .flask_hosted import flask_hosted
from .flask_responses import flask_answers
from .handed_request import handed_request
from .hooks import after_request, after_this_request, before_request, teardown_request
from .httpauth import HTTPBasicAuth, HTTPDigestAuth, HTTPTokenAuth, MultiAuth
from .inputs import (
    flask_json,
    or_default,
    read_body,
    read_form,
    read_json,
    request_data,
    request_files,
    request_form,
    request_json,
    save_upload,
)
from .jsonprovider import JSONResponse
from .login import AnonymousUserMixin, LoginManager, UserMixin, current_user
from .login_views import (
    confirm_login,
    fresh_login_required,
    login_fresh,
    login_remembered,
    login_required,
    login_url,
    login_user,
    logout_user,
)
from .method_views import MethodView, View, method_view
from .redirects import redirect, redirect_defaults
from .registered_routers import RegisteredRouter
from .request_context import _request_ctx_stack, has_app_context, has_request_context, request_ctx
from .request_values import read_values, request_values
from .responses import jsonify, make_response, send_file, send_from_directory, stream_with_context, view_value
from .router_cli import cli_command, cli_group
from .template_request import request_blueprint, request_endpoint
from .templates import context_processor, render_template, render_template_string, template_filter, template_global
from .url_processors import url_defaults, url_value_preprocessor
from .urls import add_url_alias, request_url_for, url_for
from .view_registration import blueprint_decorated, url_rule, url_values, view_class, with_defaults
from .werkzeug_errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Gone,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    NotImplemented,
    RequestEntityTooLarge,
    RequestTimeout,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
    UnsupportedMediaType,
    WerkzeugError,
    error_name,
    error_response,
)
from .werkzeug_mappings import typed_get, typed_getlist
from .werkzeug_request import (
    request_access_route,
    request_authorization,
    request_environ,
    request_headers,
    request_path,
    werkzeug_request,
)

__all__ = [
    "accept_charsets",
    "accept_encodings",
    "accept_languages",
    "accept_mimetypes",
    "request_access_route",
    "handed_request",
    "request_authorization",
    "request_environ",
    "request_path",
    "werkzeug_request",
    "request_headers",
    "blueprint_folders",
    "flask_blueprint",
    "RegisteredRouter",
    "blueprint_url_prefix",
    "set_blueprint_url_prefix",
    "Config",
    "init_app",
    "url_for",
    "request_url_for",
    "render_template",
    "render_template_string",
    "flash",
    "get_flashed_messages",
    "make_response",
    "view_value",
    "method_view",
    "jsonify",
    "stream_with_context",
    "send_file",
    "send_from_directory",
    "read_form",
    "read_values",
    "request_values",
    "typed_get",
    "typed_getlist",
    "read_json",
    "flask_json",
    "read_body",
    "request_data",
    "request_form",
    "request_files",
    "request_json",
    "save_upload",
    "before_request",
    "after_request",
    "after_this_request",
    "teardown_request",
    "app_errorhandler",
    "error_description",
    "error_name",
    "request_blueprint",
    "request_endpoint",
    "error_response",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "Gone",
    "InternalServerError",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "NotImplemented",
    "RequestEntityTooLarge",
    "RequestTimeout",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "WerkzeugError",
    "HTTPException",
    "UnprocessableEntity",
    "UnsupportedMediaType",
    "errorhandler",
    "redirect",
    "redirect_defaults",
    "or_default",
    "context_processor",
    "template_filter",
    "template_global",
    "add_url_alias",
    "blueprint_decorated",
    "url_rule",
    "view_class",
    "url_values",
    "with_defaults",
    "url_defaults",
    "url_value_preprocessor",
    "request",
    "g",
    "session",
    "current_app",
    "has_request_context",
    "has_app_context",
    "_request_ctx_stack",
    "request_ctx",
    "LoginManager",
    "UserMixin",
    "AnonymousUserMixin",
    "login_user",
    "logout_user",
    "login_required",
    "current_user",
    "fresh_login_required",
    "login_fresh",
    "login_remembered",
    "confirm_login",
    "login_url",
    "JSONResponse",
    "HTTPBasicAuth",
    "HTTPDigestAuth",
    "HTTPTokenAuth",
    "MultiAuth",
    "CORS",
    "cross_origin",
    "flask_hosted",
    "flask_answers",
    "flask_flash",
    "flask_get_flashed_messages",
    "flask_render_template",
    "flask_render_template_string",
    "flask_url_for",
    "MethodView",
    "View",
    "cli_command",
    "cli_group",
]
