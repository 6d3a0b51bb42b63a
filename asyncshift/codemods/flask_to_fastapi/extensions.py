"""Flask extensions whose objects keep their names through a helper written beside the converted code.

Flask-SQLAlchemy: ``from flask_sqlalchemy import SQLAlchemy`` now imports ``_flask_sqlalchemy.SQLAlchemy``
(plain SQLAlchemy underneath: same models, tables, columns and database URL), so ``db.Model``,
``db.session``, ``Model.query.get_or_404`` and ``db.create_all()`` read as they did.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE, HELPER_TODO, import_line
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.support import Place, helper_files

TEMPLATES = Path(__file__).with_name("template")
LOGIN_NAMES = {
    "LoginManager",
    "UserMixin",
    "AnonymousUserMixin",
    "login_user",
    "logout_user",
    "login_required",
    "fresh_login_required",
    "current_user",
    "login_fresh",
    "login_remembered",
    "confirm_login",
    "login_url",
}
# extension module -> (helper module, names it offers)
HELPERS = {
    "flask_sqlalchemy": ("_flask_sqlalchemy", {"SQLAlchemy", "Pagination", "Query", "Model"}),
    "flask_sqlalchemy.model": ("_flask_sqlalchemy", {"Model"}),  # the base of every db.Model, for issubclass()
    "flask_sqlalchemy.pagination": ("_flask_sqlalchemy", {"Pagination"}),
    "flask_sqlalchemy.query": ("_flask_sqlalchemy", {"Query"}),
    "flask_wtf": ("_flask_wtf", {"FlaskForm", "Form", "CSRFProtect", "RecaptchaField", "Recaptcha", "RecaptchaWidget"}),
    "flask_wtf.form": ("_flask_wtf", {"FlaskForm", "Form"}),
    "flask_wtf.csrf": ("_flask_wtf", {"CSRFProtect", "CSRFError", "generate_csrf", "validate_csrf", "csrf_meta_tag"}),
    "flask_wtf.file": (
        "_flask_wtf",
        {
            "FileField",
            "MultipleFileField",
            "FileRequired",
            "file_required",
            "FileAllowed",
            "file_allowed",
            "FileSize",
            "file_size",
        },
    ),
    "flask_wtf.recaptcha": ("_flask_wtf", {"RecaptchaField", "Recaptcha", "RecaptchaWidget"}),
    # a module that imports one of these without Flask (extensions.py): the helper's twin, not the real one
    "flask_cors": (HELPER_MODULE, {"CORS", "cross_origin"}),
    "flask_login": (HELPER_MODULE, LOGIN_NAMES),
    "flask_login.utils": (HELPER_MODULE, LOGIN_NAMES),
    "flask_login.login_manager": (HELPER_MODULE, {"LoginManager"}),
    "flask_login.mixins": (HELPER_MODULE, {"UserMixin", "AnonymousUserMixin"}),
    "flask_httpauth": (HELPER_MODULE, {"HTTPBasicAuth", "HTTPDigestAuth", "HTTPTokenAuth", "MultiAuth"}),
}
# what a name the helper does not offer is to become, by extension
LEFT_OVER = {
    "_flask_sqlalchemy": "use plain SQLAlchemy",
    "_flask_wtf": "use plain WTForms",
    "flask_cors": "use Starlette's CORSMiddleware",
    "flask_login": "it reads Flask's request context: port it to the helper's request.session",
    "flask_httpauth": "port it to a fastapi.security dependency",
}
NEEDS_COMPAT = {"_flask_wtf"}  # helpers that read the request through _flask_compat
RENAMES = {"BaseQuery": "Query"}
TODOS = {
    "_flask_sqlalchemy": (
        f"{TODO_MARKER} _flask_sqlalchemy.py (written with the converted code) is Flask-SQLAlchemy's db "
        "on plain SQLAlchemy; end state: your own DeclarativeBase, engine and a Depends(get_session) dependency"
    ),
    HELPER_MODULE: HELPER_TODO,
    "_flask_wtf": (
        f"{TODO_MARKER} _flask_wtf.py (written with the converted code) is Flask-WTF on WTForms: forms read the "
        "request's form, CSRF in the session; end state: wtforms.Form(formdata=await request.form()) "
        "and a CSRF dependency"
    ),
}

# what the report says of each extension a converted module imports
NOTES = {
    "flask_login": (
        "Flask-Login: use a dependency that loads the user from request.session "
        "(Depends(current_user)) and raises 401/redirects"
    ),
    "flask_sqlalchemy": (
        "Flask-SQLAlchemy: db now comes from _flask_sqlalchemy.py (plain SQLAlchemy: same models, "
        "tables and SQLALCHEMY_DATABASE_URI; request-scoped session; query.get_or_404); "
        "end state: a sessionmaker and a Depends(get_session) dependency"
    ),
    "flask_wtf": (
        "Flask-WTF: FlaskForm/CSRFProtect/FileField now come from _flask_wtf.py (WTForms; the form read "
        "from the request, CSRF in the session); end state: wtforms.Form(formdata=await request.form()) "
        "and a CSRF dependency"
    ),
    "flask_httpauth": (
        "Flask-HTTPAuth: HTTPBasicAuth/HTTPDigestAuth/HTTPTokenAuth/MultiAuth now come from "
        "_flask_compat with the same callbacks and decorators; end state: a fastapi.security.HTTPBasic/HTTPBearer "
        "dependency"
    ),
}


def rewrite(module: cst.Module, notes: Notes, place: Place, only: str | None = None) -> cst.Module:
    """Point extension imports (``only`` those of that extension) at their helpers; ask the runner for each helper
    used."""
    body: list[cst.BaseStatement] = []
    changed = False
    marked: set[str] = set()
    for statement in module.body:
        replacement = (
            _statement(statement, place, notes, marked)
            if isinstance(statement, cst.SimpleStatementLine) and (only is None or _imports_from(statement, only))
            else _fallback(statement, place, notes, marked, only)
        )
        if replacement is None:
            body.append(statement)
        else:
            body.extend(replacement)
            changed = True
    return module.with_changes(body=body) if changed else module


def _fallback(
    statement: cst.BaseStatement, place: Place, notes: Notes, marked: set[str], only: str | None
) -> list[cst.BaseStatement] | None:
    """``try: from flask_wtf import FlaskForm`` / ``except ImportError: from flask_wtf import Form as FlaskForm``
    (an extension's names across its versions): the imports of both blocks pointed at the helper too; left on the
    extension, its objects ran outside any Flask request context (a form's CSRF token read Flask's session)."""
    if not isinstance(statement, cst.Try) or not all(isinstance(h.body, cst.IndentedBlock) for h in statement.handlers):
        return None
    changed = False

    def block(suite: cst.IndentedBlock) -> cst.IndentedBlock:
        nonlocal changed
        lines: list[cst.BaseStatement] = []
        for line in suite.body:
            wanted = isinstance(line, cst.SimpleStatementLine) and (only is None or _imports_from(line, only))
            replacement = _statement(line, place, notes, marked) if wanted else None
            lines.extend(replacement if replacement is not None else [line])
            changed = changed or replacement is not None
        return suite.with_changes(body=lines)

    if not isinstance(statement.body, cst.IndentedBlock):
        return None
    body = block(statement.body)  # first: the helper's TODO on the first import
    result = statement.with_changes(
        body=body, handlers=[h.with_changes(body=block(h.body)) for h in statement.handlers]
    )
    return [result] if changed else None


def _imports_from(line: cst.SimpleStatementLine, extension: str) -> bool:
    node = line.body[0]
    source = dotted(node.module) if isinstance(node, cst.ImportFrom) and node.module and not node.relative else ""
    return (source or "").split(".")[0] == extension


def _statement(
    line: cst.SimpleStatementLine, place: Place, notes: Notes, marked: set[str]
) -> list[cst.BaseStatement] | None:
    if len(line.body) != 1 or not isinstance(line.body[0], cst.ImportFrom):
        return None
    node = line.body[0]
    source = dotted(node.module) if node.module and not node.relative else None
    if source not in HELPERS or isinstance(node.names, cst.ImportStar):
        return None
    helper, offered = HELPERS[source]
    taken = [a for a in node.names if RENAMES.get(dotted(a.name), dotted(a.name)) in offered]
    left = [a for a in node.names if a not in taken]
    if not taken:
        return None
    if helper != HELPER_MODULE:
        text = (TEMPLATES / f"{helper}.py").read_text(encoding="utf-8")
        notes.files[posixpath.join(place.folder, f"{helper}.py")] = text
    if helper in NEEDS_COMPAT or helper == HELPER_MODULE:
        notes.files.update(helper_files(place.folder))
    parts = []
    for alias in taken:
        name = dotted(alias.name)
        new = RENAMES.get(name, name)
        local = dotted(alias.asname.name) if alias.asname else name
        parts.append(new if local == new else f"{new} as {local}")
    listed = ", ".join(parts)
    new_line = import_line(place.prefix, helper, listed)
    if f"{helper}.py" not in marked:  # the helper's TODO once per module
        marked.add(f"{helper}.py")
        new_line = new_line.with_changes(
            leading_lines=[*line.leading_lines, cst.EmptyLine(comment=cst.Comment(TODOS[helper]))]
        )
    result: list[cst.BaseStatement] = [new_line]
    if left:
        kept = line.with_changes(
            body=[node.with_changes(names=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in left])],
            leading_lines=[],
        )
        what = ", ".join(dotted(a.name) for a in left)
        result.append(
            kept.with_changes(
                trailing_whitespace=cst.TrailingWhitespace(
                    cst.SimpleWhitespace("  "),
                    cst.Comment(
                        f"{TODO_MARKER} {source}.{what} has no helper: "
                        + LEFT_OVER.get(helper, LEFT_OVER.get(source.split(".")[0], "convert it by hand"))
                    ),
                    line.trailing_whitespace.newline,
                )
            )
        )
    return result


def uses(module: cst.Module) -> bool:
    lines = [*module.body]
    for s in module.body:  # and the imports of a ``try``/``except ImportError`` (``_fallback``)
        if isinstance(s, cst.Try) and isinstance(s.body, cst.IndentedBlock):
            lines += [*s.body.body, *(line for h in s.handlers for line in getattr(h.body, "body", ()))]
    return any(
        isinstance(s, cst.SimpleStatementLine)
        and isinstance(s.body[0], cst.ImportFrom)
        and s.body[0].module is not None
        and not s.body[0].relative
        and (dotted(s.body[0].module) in HELPERS or dotted(s.body[0].module).split(".")[0] == "flask_wtf")
        for s in lines
    )
