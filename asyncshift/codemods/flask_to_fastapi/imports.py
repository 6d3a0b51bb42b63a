"""Imports: drop Flask's, add FastAPI's and the helper module's, exactly for the names now used."""

from __future__ import annotations

import ast

import libcst as cst

from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi import nested_imports
from codemods.flask_to_fastapi.names import FlaskNames, dotted
from codemods.flask_to_fastapi.responses import HTTP_ERRORS

HELPER_MODULE = "_flask_compat"
HELPER_NAMES = {
    "init_app",
    "url_for",
    "request_url_for",
    "render_template",
    "render_template_string",
    "flash",
    "get_flashed_messages",
    "make_response",
    "view_value",
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
    "save_upload",
    "before_request",
    "after_request",
    "after_this_request",
    "teardown_request",
    "context_processor",
    "template_filter",
    "template_global",
    "request",
    "g",
    "session",
    "current_app",
    "Config",
    "app_errorhandler",
    "errorhandler",
    "redirect_defaults",
    "LoginManager",
    "UserMixin",
    "AnonymousUserMixin",
    "login_user",
    "logout_user",
    "login_required",
    "current_user",
    "add_url_alias",
    "method_view",
    "view_class",
    "url_rule",
    "with_defaults",
    "url_values",
    "blueprint_decorated",
    "flask_blueprint",
    "error_description",
    "accept_mimetypes",
    "request_access_route",
    "handed_request",
    "request_authorization",
    "request_environ",
    "request_path",
    "werkzeug_request",
    "request_headers",
    "flask_answers",
    "blueprint_folders",
    "RegisteredRouter",
    "accept_languages",
    "accept_charsets",
    "accept_encodings",
    "or_default",
    "HTTPBasicAuth",
    "HTTPDigestAuth",
    "HTTPTokenAuth",
    "MultiAuth",
    "request_data",
    "request_form",
    "request_files",
    "request_json",
    "CORS",
    "cross_origin",
    "redirect",
    "JSONResponse",
    "jsonify",
    "stream_with_context",
    "fresh_login_required",
    "login_fresh",
    "login_remembered",
    "confirm_login",
    "login_url",
}
# a helper imported under another name where a function of the converted module has its name
HELPER_ALIAS_FOR = {
    name: f"{name}_helper"
    for name in (
        "after_request",
        "before_request",
        "teardown_request",
        "errorhandler",
        "app_errorhandler",
        "context_processor",
        "template_filter",
        "template_global",
        "url_defaults",
        "url_value_preprocessor",
        "request",  # where a function has a ``request`` of its own (shadowing.HELPER_REQUEST)
        "init_app",  # where the module binds ``init_app`` itself (Conversion.injected)
        "cli_command",
        "cli_group",
        "make_response",  # where it binds its own ``make_response`` (a view's return value wrapped: responses.returned)
    )
}
HELPER_ALIASES = {alias: name for name, alias in HELPER_ALIAS_FOR.items()}
# Flask's call of a helper (no request first), for a module whose tests patch the helper and assert Flask's
# arguments: the helper's function taking that call, imported under Flask's name (_flask_compat/flask_calls.py)
FLASK_FORMS = {
    name: f"flask_{name}"
    for name in ("render_template", "render_template_string", "flash", "get_flashed_messages", "url_for")
}
HELPER_NAMES |= set(HELPER_ALIASES)
# Werkzeug's HTTP errors read as values (``InternalServerError().name``): the helper's, with Werkzeug's attributes
HELPER_NAMES |= {"error_name", "error_response", "WerkzeugError", *HTTP_ERRORS}  # and a project's own
HELPER_NAMES |= {"HTTPException"}  # raised by a converted abort(404): Werkzeug's NotFound too (werkzeug_errors)
HELPER_NAMES |= {"request_endpoint", "request_blueprint"}  # Flask's request.endpoint/.blueprint, hooks included
HELPER_NAMES |= {"blueprint_url_prefix", "set_blueprint_url_prefix"}  # bp.url_prefix read, written (url_prefixes)
HELPER_NAMES |= {"url_defaults", "url_value_preprocessor"}  # a blueprint's URL processors (url_processors)
HELPER_NAMES |= {"cli_command", "cli_group"}  # a blueprint's ``@bp.cli.command`` (router_cli)
HELPER_NAMES |= {"MethodView", "View"}  # a converted view class's base: as_view, dispatch_request (method_views)
HELPER_NAMES |= {"has_request_context", "has_app_context", "_request_ctx_stack", "request_ctx"}  # request_context
SOURCES = {
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
    "Request": "fastapi",
    "Query": "fastapi",
    "Form": "fastapi",
    "File": "fastapi",
    "UploadFile": "fastapi",
    "Header": "fastapi",
    "Cookie": "fastapi",
    "Body": "fastapi",
    "Depends": "fastapi",
    "Path": "fastapi",
    "HTMLResponse": "fastapi.responses",
    "RedirectResponse": "fastapi.responses",
    "Response": "fastapi.responses",
    "StreamingResponse": "fastapi.responses",
    "FileResponse": "fastapi.responses",
    "PlainTextResponse": "fastapi.responses",
    "jsonable_encoder": "fastapi.encoders",
    "StarletteHTTPException": "starlette.exceptions",
    "FormData": "starlette.datastructures",
    "Annotated": "typing",
    "Any": "typing",
    "Literal": "typing",
    "List": "typing",
    "Optional": "typing",
    "UUID": "uuid",
    "escape": "markupsafe",
    "Markup": "markupsafe",
}
ORDER = [
    "typing",
    "uuid",
    "fastapi",
    "fastapi.encoders",
    "fastapi.responses",
    "starlette.datastructures",
    "starlette.exceptions",
    "markupsafe",
]
HELPER_TODO = (
    f"{TODO_MARKER} {HELPER_MODULE}/ (written with the converted code) keeps Flask's idioms on FastAPI; "
    "end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"
)


def _flask_import(small: cst.BaseSmallStatement, names: FlaskNames) -> bool:
    if isinstance(small, cst.Import):
        return all(
            (dotted(a.name) or "").split(".")[0]
            in ("flask", "flask_login", "flask_wtf", "flask_httpauth", "flask_sqlalchemy", "flask_cors")
            for a in small.names
        ) and any((dotted(a.name) or "").split(".")[0] == "flask" for a in small.names)
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        top = (dotted(small.module) or "").split(".")[0]
        if top in ("flask_login", "flask_httpauth", "flask_cors"):
            return (
                all((dotted(a.name) or "") in HELPER_NAMES for a in small.names)
                if not isinstance(small.names, cst.ImportStar)
                else False
            )
        return top == "flask" or (dotted(small.module) or "") == "werkzeug.exceptions"
    return False


def _used(module: cst.Module) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(module.code)) if isinstance(n, ast.Name)}


def _left_as_flask(module: cst.Module, names: FlaskNames, used: set[str], have: set[str]) -> set[str]:
    """Names Flask's dropped import bound that the module still reads as they were, with a helper twin of the
    same name (``Config("/")`` run at import, a ``jsonify`` whose response a project's decorator consumes): no
    rewrite asked for them, and without this they were NameErrors. Flask's names the helper has not keep Flask's
    import (``rewrite``, marked). A name the module binds itself (a view's ``request`` parameter, its own class)
    is its own."""
    bound = _bound(module)
    return {
        local
        for local, target in names.members.items()
        if local in used
        and local not in have | bound
        and target.split(".")[0] in ("flask", "werkzeug")
        and target.rsplit(".", 1)[-1] in HELPER_NAMES
    }


def _bound(module: cst.Module) -> set[str]:
    """Every name the module binds anywhere: parameters, assignment targets, functions, classes, imports."""
    bound = set()
    for node in ast.walk(ast.parse(module.code)):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound


def _existing(module: cst.Module) -> set[str]:
    """Names the module already imports from the places we would import them from."""
    have = set()
    for statement in module.body:
        if isinstance(statement, cst.Try):
            statement = statement.body.body[0]
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        have.add(dotted(alias.asname.name) if alias.asname else dotted(alias.name))
    return have


def rewrite(
    module: cst.Module, names: FlaskNames, needs: set[str], prefix: str | None, kept: set[str] = frozenset()
) -> cst.Module:
    """``kept``: helper names the tests patch on the module, imported though it may not use them; those with a
    Flask form (``FLASK_FORMS``) are called Flask's way and imported as it."""
    kept_flask: list[cst.SimpleStatementLine] = []
    body: list[cst.BaseStatement] = []
    insert_at = None
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(_flask_import(s, names) for s in statement.body):
            if insert_at is None:
                insert_at = len(body)
            rest = [s for s in statement.body if not _flask_import(s, names)]
            kept_flask.extend(cst.SimpleStatementLine([s]) for s in statement.body if _flask_import(s, names))
            if rest:
                body.append(statement.with_changes(body=rest))
            elif statement.leading_lines and insert_at == len(body):
                pass
            continue
        body.append(statement)
    module = module.with_changes(body=body)
    used = _used(module)
    have = _existing(module)
    wanted = {n for n in needs if n in used and n not in have} | {n for n in kept if n not in have}
    wanted |= _left_as_flask(module, names, used, have)
    # a Flask name left in place (``-> Response``, an isinstance check) takes its FastAPI twin's import
    wanted |= {
        n
        for n in used & set(names.members)
        if n in SOURCES and n not in have and names.members[n].rsplit(".", 1)[-1] == n
    }
    groups: dict[str, list[str]] = {}
    for name in sorted(wanted):
        if name in HELPER_NAMES and name not in SOURCES:
            continue
        source = SOURCES.get(name)
        if source:
            groups.setdefault(source, []).append(name)
    new: list[cst.BaseStatement] = []
    for source in ORDER:
        if source in groups:
            items = ", ".join(
                "HTTPException as StarletteHTTPException" if n == "StarletteHTTPException" else n
                for n in groups[source]
            )
            new.append(cst.parse_statement(f"from {source} import {items}\n"))
    # Flask's alias kept where the module defines the helper's name itself (Conversion.helper_local)
    aliased = {
        n: short
        for n in wanted - HELPER_NAMES
        if (short := names.members.get(n, "").rsplit(".", 1)[-1]) in HELPER_NAMES and short != n
    }
    helpers = sorted(n for n in wanted if n in HELPER_NAMES or n in aliased)
    if helpers:
        aliases = {**HELPER_ALIASES, **aliased, **{n: FLASK_FORMS[n] for n in kept if n in FLASK_FORMS}}
        listed = ", ".join(f"{aliases[n]} as {n}" if n in aliases else n for n in helpers)
        line = import_line(prefix, HELPER_MODULE, listed)
        new.append(line.with_changes(leading_lines=[cst.EmptyLine(comment=cst.Comment(HELPER_TODO))]))
    # Flask imports still needed by code left for a human keep their line, marked.
    flask_locals = set(names.members) | set(names.modules)
    # ``from flask import request as r``: every ``r`` is the function's request now, or the helper's proxy
    request_aliases = {local for local, target in names.members.items() if target == "flask.request"}
    for line in kept_flask:
        small = line.body[0]
        aliases = small.names if isinstance(small.names, (list, tuple)) else []
        still = (used & flask_locals) - wanted - set(SOURCES) - HELPER_NAMES - request_aliases
        left = [a for a in aliases if (dotted(a.asname.name) if a.asname else dotted(a.name).split(".")[0]) in still]
        if left:
            marked = line.with_changes(
                body=[small.with_changes(names=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in left])]
            )
            new.append(
                marked.with_changes(
                    leading_lines=[
                        cst.EmptyLine(
                            comment=cst.Comment(
                                f"{TODO_MARKER} still needed by the lines marked below; drop once they are converted"
                            )
                        )
                    ]
                )
            )
    module = nested_imports.rewrite(module, names, wanted | have, used, _flask_import)  # ``from flask`` in a def
    if not new:
        return module
    position = insert_at if insert_at is not None else _after_docstring_and_future(module)
    body = list(module.body)
    if position < len(body) and not new[0].leading_lines:
        pass
    return module.with_changes(body=body[:position] + new + body[position:])


def import_line(prefix: str | None, helper: str, listed: str) -> cst.BaseStatement:
    """``from <prefix><helper> import <listed>``; both forms in a try when the place is unknown."""
    if prefix is None:  # package or script: unknown from the text alone, so both work
        return cst.parse_statement(
            f"try:\n    from .{helper} import {listed}\nexcept ImportError:\n    from {helper} import {listed}\n"
        )
    return cst.parse_statement(f"from {prefix}{helper} import {listed}\n")


def _after_docstring_and_future(module: cst.Module) -> int:
    index = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and (
            isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, cst.SimpleString)
            or isinstance(statement.body[0], cst.ImportFrom)
            and dotted(statement.body[0].module) == "__future__"
        ):
            continue
        return index
    return len(module.body)
