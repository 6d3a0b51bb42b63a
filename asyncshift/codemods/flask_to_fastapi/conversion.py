"""What the rewriting pass knows while it walks one module, shared by every rule it applies.

``Conversion`` is the walk's state (names, analysis, what the helper module must provide, TODOs
pending for the current statement, the functions it is inside); ``Scope`` is one of those functions.
The rules take a ``Conversion`` and never the transformer, so they need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi import passing, request_access, rules, shadowing
from codemods.flask_to_fastapi.analysis import Analysis
from codemods.flask_to_fastapi.imports import HELPER_ALIAS_FOR
from codemods.flask_to_fastapi.names import FlaskNames, request_name


@dataclass
class Scope:
    """What the codemod knows about the function it is inside."""

    role: str  # view, handler, hook, threaded, closure, plain
    request: str = "request"  # the name the request has in this function
    request_aliases: frozenset[str] = frozenset()  # local names bound to the request (req = request)
    hides: frozenset[str] = frozenset()  # its locals other than parameters, and those of functions it is nested in
    plan: request_access.Plan | None = None
    methods: list[str] | None = None
    path_params: list[rules.PathParam] = field(default_factory=list)
    blueprint: str | None = None
    uses_request: bool = False
    return_heads: set[int] = field(default_factory=set)
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)

    types: dict[str, str] = field(default_factory=dict)  # parameter name -> qualified class (for obj.method())
    key: str | None = None  # qualified name, as passing.discover names functions
    local: dict[str, str] = field(default_factory=dict)  # functions nested in enclosing functions, by name
    wrappers: dict[int, str] = field(default_factory=dict)  # decorator wrappers defined here: id -> wrapped param
    wraps: str | None = None  # this function is a decorator's wrapper around the parameter named so
    consumes: bool = False  # a decorator whose wrapper uses the view's result: the views under it keep returns
    forwards_kept: bool = False  # the wrapper of such a decorator: its ``return f(*args, **kwargs)`` is a kept one
    marshalled: bool = False  # a view under APIFairy's @response: its returns are the schema's to dump, kept

    @property
    def has_request(self) -> bool:
        return self.role in ("view", "handler", "hook", "threaded")


class Conversion:
    """The state of one module's conversion: what the rules read, and what they add to."""

    def __init__(
        self,
        names: FlaskNames,
        analysis: Analysis,
        notes: Notes,
        resolver: passing.Resolver | None = None,
        needs_request: set[str] | frozenset = frozenset(),
    ):
        self.names, self.analysis, self.notes = names, analysis, notes
        self.resolver, self.needs_request = resolver, set(needs_request)
        self.takes_request: frozenset[str] = frozenset()  # functions whose ``request`` parameter is read as Starlette's
        self.request_views: set[str] = set()  # module-level views that now take the request first
        self.request_last: set[str] = set()  # of those, views the tests call: the request keyword-only, defaulted
        self.replaced_sources: frozenset[str] = frozenset()  # request.form = ... in a hook (request_state)
        self.patched: set[str] = set()  # Flask's names the project's tests patch on the module (replaced_by_tests)
        self.needs: set[str] = set()  # names the converted module imports (from FastAPI or the helper)
        self.scopes: list[Scope] = []
        self.todo_stack: list[list[str]] = []
        self.request_locals = {local for local, q in names.members.items() if q == "flask.request"}
        self.class_stack: list[str] = []
        self.statement_calls: set[int] = set()  # calls that are a whole statement (``abort(404)``)
        self.raised_calls: set[int] = set()  # calls raised at once (``raise NotFound()``)
        self.app_names: set[str] = set()  # local names holding a Flask app (``app.run()`` becomes uvicorn's)
        self.not_references: set[int] = set()  # Names that are attributes or keywords (``db.session``, ``f(g=1)``)
        self.class_bases: set[int] = set()  # Names that are a class's bases (``class Teapot(HTTPException)``)
        self.call_funcs: set[int] = set()  # what calls call (``url_for(...)``: the call's own rewrite, not the name's)

    def todo(self, message: str) -> None:
        """A TODO comment for the statement being rewritten (a note in the report outside any statement)."""
        if self.todo_stack:
            if message not in self.todo_stack[-1]:
                self.todo_stack[-1].append(message)
        else:
            self.notes.note(message)

    def helper_local(self, short: str) -> str:
        """The name the helper ``short`` is reached by: Flask's alias for it where the module defines ``short``
        itself (``from flask import jsonify as flask_jsonify`` beside its own ``def jsonify``, which would call
        itself), else ``short``. ``imports`` imports it under that alias."""
        if short not in self.analysis.own_names:
            return short
        aliases = (local for local, q in self.names.members.items() if q.rsplit(".", 1)[-1] == short and local != short)
        return next(aliases, short)

    def injected(self, short: str) -> str:
        """The name a helper the conversion adds a call of (``init_app`` after ``FastAPI()``) is called by: its
        alias (``HELPER_ALIAS_FOR``) where the module binds ``short`` itself (a factory ``def init_app(config)``
        would call itself, an ``init_app`` imported from the project would run in the helper's place)."""
        bound = self.analysis.own_names | self.analysis.imported_names
        name = HELPER_ALIAS_FOR.get(short, short) if short in bound else short
        self.needs.add(name)
        return name

    def request_local(self) -> str:
        """The name a view's request parameter takes (``names.request_name`` of the module's names for it)."""
        return request_name(self.request_locals)

    def request_expr(self) -> cst.Name:
        """``request`` as this function can reach it: its parameter in views, the helper proxy elsewhere."""
        scope = self.scopes[-1] if self.scopes else None
        if scope is not None and scope.has_request or scope is not None and scope.role == "closure":
            scope.uses_request = True
            return cst.Name(scope.request)
        name = shadowing.HELPER_REQUEST if scope is not None and "request" in scope.hides else "request"
        self.needs.add(name)  # the helper's proxy, under another name where the function has a ``request`` itself
        return cst.Name(name)
