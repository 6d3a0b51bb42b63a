"""A Flask extension's decorator on a converted view (``@jwt_required``) runs in a Flask request context.

An extension with no FastAPI conversion (Flask-JWT-Extended) keeps its decorators, which read ``flask.request``:
on a FastAPI view each request failed with "Working outside of request context". On a view (a function under a
route decorator, or routed by a call: ``add_url_rule``), a decorator imported from such an extension becomes
``@flask_request(jwt_required)`` (``_flask_compat/flask_request.py``): the extension's wrapper and the view run in a
Flask request context built from the current request, so what the extension keeps there (``current_user``) is read
in the view as before.

So is a decorator that is a method of such an extension's object, made anywhere in the run: ``oauth2 =
OAuth2Provider()`` in the project's ``extensions`` module, its class the project's subclass of Flask-OAuthlib's,
and ``@oauth2.token_handler`` on a view of another module (``objects``: found by ``project.discover``).
The wrapper may consume what the view returns (Flask-OAuthlib's ``token_handler`` takes it as the token's extra
credentials, ``authorize_handler`` a POST's ``True``/``False``), as Flask handed it over: a wrapped view's
``return make_response(x)`` (the conversion's run-time rules) is ``return x`` again (a dict or list literal too,
rather than the helper's ``JSONResponse``), and ``flask_request`` applies Flask's rules to what the wrapper gives
back.

A view that uses such an extension's names in its body, with none of its decorators (Flask-Security's
``_security.login_form(...)``, ``login_user``, ``logout_user``: they read ``flask.request``, ``flask.session`` and
``current_app``), gets ``@flask_context`` next to its ``def``: it runs in that Flask request context itself, as
the extension's wrapper would have run it.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemods.base import Notes
from codemods.flask_to_fastapi import own_packages, passing, running
from codemods.flask_to_fastapi.foreign_extensions import CONVERTED
from codemods.flask_to_fastapi.imports import HELPER_MODULE, import_line
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import argument

PORT = f"{HELPER_MODULE}.flask_request"
ROUTES = {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "route"}


def foreign(qualified: str | None, own: frozenset[str] = frozenset()) -> bool:
    """A dotted name from a Flask extension that has no conversion (``flask_oauthlib.provider.OAuth2Provider``);
    not one of the project's own packages (``own``), whatever its name (``own_packages``)."""
    top = (qualified or "").split(".")[0]
    return top.startswith("flask_") and top not in CONVERTED and top not in own


def objects(classes: dict[str, tuple], aliases: dict[str, str], own: frozenset[str] = frozenset()) -> frozenset[str]:
    """Qualified names of the run that are such an extension's, or made from one: its classes subclassed (through
    bases of the run), objects built by calling them at module level (``oauth2 = OAuth2Provider()``), and the
    imports of either. ``classes``: qualified class -> (qualified bases, ...); ``aliases``: name -> what it is
    imported from or built by calling."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, (bases, *_rest) in classes.items():
            if name and name not in found and any(foreign(b, own) or b in found for b in bases):
                found.add(name)
                changed = True
        for name, target in aliases.items():  # ``limiter = Limiter(...)`` in ``utils.py``, imported by the views
            if name not in found and (target in found or foreign(target, own)):
                found.add(name)
                changed = True
    return frozenset(found)


def _project_names(resolver, run_facts) -> set[str]:
    """Local names of the module (imported, or its own module variables) that are an extension's objects of the
    run: the project's, as ``project.discover`` found them, and those the module itself builds."""
    if resolver is None:
        return set()
    known = set(getattr(run_facts, "extension_objects", ()))
    return {local for local, qualified in resolver.imports.items() if qualified in known} | {
        name.rpartition(".")[2] for name in known if name.rpartition(".")[0] == resolver.name
    }


def _own_objects(module: cst.Module, resolver, own: frozenset[str] = frozenset()) -> set[str]:
    """``oauth = OAuth2Provider(app)`` at module level, the class imported from an unconverted extension."""
    if resolver is None:
        return set()
    made = running.assigned_calls(module, resolver.name, resolver.qualify)
    return {name.rpartition(".")[2] for name, callee in made.items() if foreign(callee, own)}


def _foreign_names(module: cst.Module, own: frozenset[str] = frozenset()) -> set[str]:
    """Names the module imports from Flask extensions that have no conversion (``from flask_jwt_extended import``)."""
    found = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                top = (dotted(small.module) or "").split(".")[0]
                if foreign(top, own) and not isinstance(small.names, cst.ImportStar):
                    found.update(dotted(a.asname.name if a.asname else a.name) or "" for a in small.names)
    return found - {""}


def _root(node: cst.BaseExpression) -> str | None:
    node = node.func if isinstance(node, cst.Call) else node
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _is_route(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ROUTES


def rewrite(
    module: cst.Module, notes: Notes, prefix: str | None, resolver=None, run_facts=None, original=None
) -> cst.Module:
    """Views' decorators from unconverted Flask extensions wrapped in ``flask_request(...)``. ``resolver`` (the
    module's imports, read from ``original``) and ``run_facts`` (``project.discover``'s) add the extension objects
    made elsewhere in the run or in the module itself."""
    name = resolver.name if resolver else passing.module_name(notes.path, notes.source) if notes.path else ""
    own = own_packages.of_module(name, run_facts)
    names = _foreign_names(module, own) if "flask_" in module.code else set()
    names |= _project_names(resolver, run_facts) | _own_objects(original or module, resolver, own)
    if not names:
        return module
    wrapping = _Wrapping(names, _helper_responders(module), _routed(module))
    wrapped = module.visit(wrapping)
    if not wrapping.wrapped and not wrapping.contexts:
        return module
    if wrapping.wrapped:
        wrapped_names = ", ".join(sorted(wrapping.wrapped))
        notes.note(f"{wrapped_names} on views: in a Flask request context (_flask_compat/flask_request.py)")
    if wrapping.contexts:
        notes.note(
            f"views {', '.join(sorted(wrapping.contexts))} call an extension left on Flask: in a Flask request "
            "context (@flask_context, _flask_compat/flask_request.py)"
        )
    listed = [
        name for name, used in (("flask_context", wrapping.contexts), ("flask_request", wrapping.wrapped)) if used
    ]
    return _with_import(wrapped, prefix, listed)


RESPONDERS = {"make_response", "JSONResponse"}  # the helper's, as the conversion wraps a view's return value


def _helper_responders(module: cst.Module) -> frozenset[str]:
    """Which of ``RESPONDERS`` the module imports from the helper (``from ._flask_compat import make_response``)."""
    found = set()

    class Imports(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            source = (dotted(node.module) or "") if node.module is not None else ""
            if source.rpartition(".")[2] == HELPER_MODULE and not isinstance(node.names, cst.ImportStar):
                found.update(dotted(a.name) for a in node.names if a.asname is None)

    module.visit(Imports())
    return frozenset(found & RESPONDERS)


class _RawReturns(cst.CSTTransformer):
    """In the view's own body (not in a nested def or class): ``return make_response(a, b)`` -> ``return a, b`` and
    ``return JSONResponse({...})`` (a dict or list the view returned) -> ``return {...}``."""

    def __init__(self, responders: frozenset[str]):
        self.depth, self.responders = 0, responders

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return True

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        value = updated.value
        if self.depth != 1 or not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name):
            return updated
        name, args = value.func.value, value.args
        if name not in self.responders or not args or any(a.keyword or a.star for a in args):
            return updated
        if name == "JSONResponse":
            literal = len(args) == 1 and isinstance(args[0].value, (cst.Dict, cst.List))
            return updated.with_changes(value=args[0].value) if literal else updated
        if len(args) == 1:
            return updated.with_changes(value=args[0].value)
        if len(args) > 3:
            return updated
        return updated.with_changes(value=cst.Tuple([cst.Element(a.value) for a in args], lpar=[], rpar=[]))


class _Uses(cst.CSTVisitor):
    """Whether a body reads one of ``names`` (an attribute's or a keyword's name is not a read of it)."""

    def __init__(self, names: set[str]):
        self.names, self.found = names, False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value in self.names


def _uses(body: cst.BaseSuite, names: set[str]) -> bool:
    uses = _Uses(names)
    body.visit(uses)
    return uses.found


_ADD_ROUTE = m.Call(func=m.Attribute(attr=m.Name("add_api_route")))


class _Routed(cst.CSTVisitor):
    """The functions routed by a call rather than a decorator: Flask's ``bp.add_url_rule(rule, view_func=create)``
    (``api.add_api_route(rule, create)`` once converted) in the body that defines ``create``, the module's or a
    function's (views made per kind by a factory function, routed in its loop): by node."""

    def __init__(self) -> None:
        self.views: set[int] = set()

    def _scan(self, statements: list) -> None:
        routed = set()
        for statement in statements:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                continue
            for call in m.findall(statement, _ADD_ROUTE):
                endpoint = argument(call, 1, "endpoint")  # add_api_route(path, endpoint, ...)
                if isinstance(endpoint, cst.Name):
                    routed.add(endpoint.value)
        self.views |= {id(s) for s in statements if isinstance(s, cst.FunctionDef) and s.name.value in routed}

    def visit_Module(self, node: cst.Module) -> None:
        self._scan(list(node.body))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._scan(list(node.body.body))


def _routed(module: cst.Module) -> set[int]:
    routed = _Routed()
    module.visit(routed)
    return routed.views


class _Wrapping(cst.CSTTransformer):
    def __init__(self, names: set[str], responders: frozenset[str] = frozenset(), routed: set[int] = frozenset()):
        self.names, self.wrapped, self.responders, self.routed = names, set(), responders, routed
        self.contexts: set[str] = set()  # views given ``@flask_context``

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if id(original) not in self.routed and not any(_is_route(d.decorator) for d in updated.decorators):
            return updated
        decorators, wrapped = [], False
        for d in updated.decorators:
            root = _root(d.decorator)
            if root in self.names and not _is_route(d.decorator):
                self.wrapped.add(root)
                wrapped = True
                d = d.with_changes(decorator=cst.Call(cst.Name("flask_request"), [cst.Arg(d.decorator)]))
            decorators.append(d)
        if not wrapped and _uses(updated.body, self.names):  # the view calls the extension itself
            self.contexts.add(updated.name.value)
            decorators.append(cst.Decorator(cst.Name("flask_context")))
        updated = updated.with_changes(decorators=decorators)
        if wrapped and self.responders:  # the wrapper gets what the view returned in Flask
            updated = updated.visit(_RawReturns(self.responders))
        return updated


def _with_import(module: cst.Module, prefix: str | None, listed: list[str]) -> cst.Module:
    """``from <prefix>_flask_compat.flask_request import flask_request`` after the module's last top import before
    the first view it wraps: a module that imports its other views at its end (``import app.admin  # noqa`` after
    its routes, as a package's ``__init__`` does against the circle) ran the decorator before the import (NameError)."""
    line = import_line(prefix, PORT, ", ".join(listed))
    body = list(module.body)
    used = m.OneOf(*(m.Name(name) for name in listed))
    first_use = next((i for i, s in enumerate(body) if m.findall(s, used)), len(body))
    last = max(
        (
            i
            for i, s in enumerate(body[:first_use])
            if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom))
        ),
        default=-1,
    )
    body.insert(last + 1, line)
    return module.with_changes(body=body)
