"""The facts the first pass keeps of a module, a class and a function: plain data, so a run can pickle them (``-j``).

What each field holds is said beside it; ``facts`` fills them, the type rules and the colouring read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codemods.sqlalchemy_to_async import relations
from codemods.sqlalchemy_to_async.exprs import Expr

Binding = tuple[str, Expr]  # ("value" | "ann" | "with" | "self", expr) - how a name got its value


@dataclass
class FunctionFacts:
    module: str
    qualname: str  # "f", "Cls.method", "f.inner"
    cls: str | None  # the class's qualname, for a method
    parent: str | None  # the enclosing function's qualname, for a nested function
    is_async: bool
    decorators: tuple[str, ...]
    params: dict[str, Expr] = field(default_factory=dict)  # name -> annotation (None when there is none)
    defaults: dict[str, Expr] = field(default_factory=dict)  # name -> its default, when it is a name or a call
    first_param: str | None = None
    locals: dict[str, list[Binding]] = field(default_factory=dict)
    returns: Expr = None
    return_values: list[Expr] = field(default_factory=list)
    # names handed to the calls a ``return`` makes: ``return deco(x)(wrapper)`` hands on ``wrapper``, wrapped again
    handed_on: list[str] = field(default_factory=list)
    calls: list[Expr] = field(default_factory=list)  # the callee of every call outside lambdas and nested defs
    with_items: list[Expr] = field(default_factory=list)
    arguments: list[tuple[Expr, tuple, tuple]] = field(default_factory=list)  # (callee, args, ((kw, arg)...))
    built_arguments: list[tuple[Expr, tuple, tuple]] = field(default_factory=list)  # the same, no name: f(A(), 1)
    iterated: list[Expr] = field(default_factory=list)  # what ``for`` loops iterate over
    metadata_binds: list[Expr] = field(default_factory=list)  # the engine of ``metadata.create_all(engine)``
    references: list[Expr] = field(default_factory=list)  # names and attributes used but not called
    # ``f(lambda: g(x))``: (callee, position or keyword, the lambda's callee ``g`` or None), for ``thunks``
    thunks: list[tuple[Expr, int | str, Expr]] = field(default_factory=list)
    is_generator: bool = False
    # ``Thread(target=f, args=(a,))``: (callee, target, the ``args`` items or None, ``thread_uses.use``): ``threads``
    threads: list[tuple[Expr, Expr, tuple | None, str | None]] = field(default_factory=list)
    thread_lambdas: dict[str, Expr] = field(default_factory=dict)  # ``run = lambda: f(a)``: ``thread_uses``
    # ``@patch("a.b.Repo")`` decorators handing in a mock (innermost first, as pytest hands them): their paths
    patches: list[str] = field(default_factory=list)
    with_patches: dict[str, str] = field(default_factory=dict)  # ``with patch("a.b.Repo") as m``: m -> its path

    @property
    def id(self) -> str:
        return f"{self.module}:{self.qualname}"

    @property
    def name(self) -> str:
        return self.qualname.rpartition(".")[2]


@dataclass
class ClassFacts:
    module: str
    qualname: str
    bases: list[Expr] = field(default_factory=list)
    attrs: dict[str, list[tuple[str | None, Binding]]] = field(default_factory=dict)  # name -> (method, binding)
    methods: set[str] = field(default_factory=set)
    relationships: dict[str, Expr] = field(default_factory=dict)  # name -> the ``relationship`` it calls
    links: dict[str, relations.Link] = field(default_factory=dict)  # name -> its two sides (``backrefs``)
    dynamic: set[str] = field(default_factory=set)  # relationships with ``lazy="dynamic"`` (a Query per read)
    unloadable: set[str] = field(default_factory=set)  # no eager load fills them (UNLOADABLE: write-only, dynamic...)
    lazies: dict[str, str] = field(default_factory=dict)  # relationship -> its ``lazy=`` (``handed_reads``)
    backref_lazies: dict[str, str] = field(default_factory=dict)  # relationship -> its ``backref(..., lazy=)``
    shapes: dict[str, relations.Shape] = field(default_factory=dict)  # relationship -> one row or many, each side
    table: str | None = None  # its ``__tablename__`` (``relations.keys``)
    foreign: set[str] = field(default_factory=set)  # what its columns' foreign keys name: "t:users", "c:User"
    # (attribute, parameter, annotation, keyword-only) of the ``__init__`` a decorator writes: ``generated_inits``
    init_fields: list[tuple[str, str, Expr, bool]] | None = None


@dataclass
class ModuleFacts:
    name: str
    relative: str
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> dotted name it imports
    variables: dict[str, list[Binding]] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    module_calls: list[Expr] = field(default_factory=list)  # calls at module level (not in a def)
    callbacks: list[tuple[str | None, Expr, str]] = field(default_factory=list)  # (scope, function, handed to: how)
    text_mentions: frozenset[str] = frozenset()
    patched: list[str] = field(default_factory=list)  # dotted paths given to ``monkeypatch.setattr("a.b.C", ...)``
    patch_paths: list[str] = field(default_factory=list)  # dotted paths given to ``patch("a.b.f")`` and the like
    star_imports: list[str] = field(default_factory=list)  # modules of ``from X import *`` at module level
    # ``obj.m = f``, ``monkeypatch.setattr(obj, "m", f)`` / ``("a.b.C", f)``, ``patch.object(obj, "m", f)``,
    # ``patch("a.b.f", f)``: (scope, what is replaced: an expression or a dotted path, the value), ``stand_ins``
    stand_ins: list[tuple[str | None, Expr | str, Expr]] = field(default_factory=list)
    # ``app.db = make_db()``: (scope, the attribute, the value: any expression, None when unreadable), ``inference``
    attribute_sets: list[tuple[str | None, Expr, Expr]] = field(default_factory=list)
    flows: Any = None  # callables handed around as values (``handler_flows``)
    model_classes: dict[str, Expr] = field(default_factory=dict)  # ``db = SQLAlchemy(model_class=X)``: ``model_bases``
    query_properties: dict[str, Expr] = field(default_factory=dict)  # ``Base.query = S.query_property()``
    query_classes: dict[str, Expr] = field(default_factory=dict)  # its ``query_cls=X``, by the same key
    query_wrappers: dict[str, tuple] = field(default_factory=dict)  # ``query_properties.wrappers``
    query_builders: list[str] = field(default_factory=list)  # ``Cls.method`` returning a new query: query_class_shapes
    db_query_classes: dict[str, Expr] = field(default_factory=dict)  # ``db = SQLAlchemy(query_class=X)``: {"db": X}
    built_classes: dict[str, tuple] = field(default_factory=dict)  # ``cls.X = type(...)``: built_classes
