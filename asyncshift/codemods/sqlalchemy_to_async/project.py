"""The first pass over every file of a run: each module's facts, then which functions become async.

One file alone cannot tell that ``repo.get()`` reaches ``session.execute`` two modules away, so the
runner calls ``discover`` with every file first (read with ``ast``, fast); the facts must pickle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemods.modules import module_name
from codemods.sqlalchemy_to_async import (
    flask_db,
    generated_inits,
    model_bases,
    patched_requests,
    sync_twins,
    view_decorators,
)
from codemods.sqlalchemy_to_async.colours import colour
from codemods.sqlalchemy_to_async.facts import ClassFacts, FunctionFacts, ModuleFacts, read
from codemods.sqlalchemy_to_async.inference import Types

PLAIN_BASES = {"object", "ABC", "Generic", "Protocol"}  # bases that build instances as object does, with no fields


@dataclass
class Project:
    modules: dict[str, ModuleFacts] = field(default_factory=dict)  # by dotted name
    by_path: dict[str, str] = field(default_factory=dict)  # relative path -> dotted name
    by_source: dict[str, str] = field(default_factory=dict)  # resolved path on disk -> dotted name
    involved: set[str] = field(default_factory=set)  # relative paths with something to rewrite
    becoming_async: set[str] = field(default_factory=set)  # function ids ("mod:qualname") made async def
    held_sync: dict[str, str] = field(default_factory=dict)  # function id -> why it cannot become async
    pair_held: set[str] = field(default_factory=set)  # held only as a sync member of a pair (``dual_members``)
    # (function id, local, self.x or "return") -> [] for a session mock, else the methods to make AsyncMocks
    session_mocks: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    loop_bound: set[str] = field(default_factory=set)  # sync functions that expect no running loop (to_thread)
    async_aliases: set[tuple[str, str]] = field(default_factory=set)  # (module, name): ``manager_aliases``
    coroutine_params: set[tuple[str, str]] = field(default_factory=set)  # (function id, param): ``thunks``
    stand_in_values: set[tuple[str, str | None, Any]] = field(default_factory=set)  # ``stand_ins.values``
    callers: dict[str, set[str]] = field(default_factory=dict)  # function id -> ids of functions calling it
    async_wrappers: dict[str, str] = field(default_factory=dict)  # ``view_decorators``: wrapper id -> param
    # ``sync_twins``: async wrapper id -> qualnames of the class-based views' methods it wraps (a sync twin's)
    sync_twins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dispatch: Any = None  # calls through handler tables and the like (``dispatch``)
    does_io: bool = False  # some call of the run does database I/O (awaited now, or kept sync with a TODO)
    types: Types = None  # type: ignore[assignment]
    _mro: dict[tuple[str, str], list[ClassFacts]] = field(default_factory=dict)
    _built_on: dict[tuple[str, str], list[ClassFacts]] = field(default_factory=dict)
    _attribute_types: dict[str, set[str]] | None = None
    _suffixes: dict[str, list[str]] | None = None
    _methods: dict[str, list[FunctionFacts]] | None = None
    _flask_dbs: list[str] | None = None  # ``flask_db.dbs``
    _sources: tuple[int, dict[str, str]] | None = None  # ``source_of``: (files read, dotted name -> path on disk)

    def __post_init__(self) -> None:
        self.types = Types(self)

    def source_of(self, module: str) -> str | None:
        """The file on disk of the run's module ``module`` (``by_source`` read the other way, once it is filled)."""
        if self._sources is None or self._sources[0] != len(self.by_source):
            found: dict[str, str] = {}
            for path, name in self.by_source.items():
                found.setdefault(name, path)  # the first, as ``modules`` keeps the first
            self._sources = (len(self.by_source), found)
        return self._sources[1].get(module)

    def tree_of(self, module: str) -> ast.Module | None:
        """The run's module ``module`` parsed by ``ast`` (for rules reading what libcst's facts keep no note of);
        None when it is not on disk or does not parse."""
        path = self.source_of(module)
        try:
            return ast.parse(Path(path).read_text(errors="replace")) if path else None
        except (SyntaxError, ValueError, OSError):
            return None

    def module_of(self, relative: str | None, source: str | None = None) -> ModuleFacts | None:
        """By path on disk when known: two roots of one run may both hold a ``base.py``."""
        if source is not None and str(Path(source).resolve()) in self.by_source:
            return self.modules.get(self.by_source[str(Path(source).resolve())])
        return self.modules.get(self.by_path.get(relative or "", ""))

    def resolve(self, dotted: str) -> str | None:
        """The run's module imported as ``dotted``: by its name, or by the one module whose name ends with it
        (``src/__init__.py`` beside ``from core.db import ...`` run with ``src`` on the path)."""
        if dotted in self.modules:
            return dotted
        if self._suffixes is None:
            self._suffixes = {}
            for name in self.modules:
                parts = name.split(".")
                for start in range(1, len(parts)):
                    self._suffixes.setdefault(".".join(parts[start:]), []).append(name)
        found = self._suffixes.get(dotted, [])
        return found[0] if len(found) == 1 else None

    def function(self, module: str, qualname: str | None) -> FunctionFacts | None:
        facts = self.modules.get(module)
        return facts.functions.get(qualname) if facts and qualname else None

    def enclosing(self, func: FunctionFacts) -> FunctionFacts | None:
        """The function whose names ``func`` reads next: its parent, or for a method of a class made in a function
        (``class _Form`` in ``def make_form()``), that function (Python skips the class's own scope)."""
        if func.parent or not func.cls:
            return self.function(func.module, func.parent)
        outer = func.cls.rpartition(".")[0]
        while outer and outer not in self.modules[func.module].functions:
            outer = outer.rpartition(".")[0]
        return self.function(func.module, outer)

    def by_id(self, function_id: str) -> FunctionFacts | None:
        module, _, qualname = function_id.partition(":")
        return self.function(module, qualname)

    def is_async(self, function_id: str) -> bool:
        """Async after the run: already ``async def``, or made so."""
        func = self.by_id(function_id)
        return function_id in self.becoming_async or bool(func and func.is_async)

    def async_methods_behind(self, attribute: str, method: str) -> list[str]:
        """``Class.method`` names made async, for classes some class of the run keeps as ``attribute``."""
        if self._attribute_types is None:
            self._attribute_types = {}
            for module in self.modules.values():
                for cls in module.classes.values():
                    for name in cls.attrs:
                        found = self.types.member(f"inst:{cls.module}:{cls.qualname}", name)
                        if found and found.startswith("inst:"):
                            self._attribute_types.setdefault(name, set()).add(found)
        owners = []
        for kind in sorted(self._attribute_types.get(attribute, ())):
            found = self.types.member(kind, method)
            if found and found.startswith("func:") and found[5:] in self.becoming_async:
                owners.append(found[5:].partition(":")[2])
        return owners

    def methods_named(self, name: str) -> list[FunctionFacts]:
        """Every method called ``name`` in the run's classes (an index built once, on the first lookup)."""
        if self._methods is None:
            self._methods = {}
            for module in self.modules.values():
                for func in module.functions.values():
                    if func.cls is not None:
                        self._methods.setdefault(func.name, []).append(func)
        return self._methods.get(name, [])

    def mro(self, module: str, qualname: str) -> list[ClassFacts]:
        """The class and its bases that are classes of the run, nearest first (no repeats)."""
        if (module, qualname) not in self._mro:
            self._mro[(module, qualname)] = self._bases(module, qualname)
        return self._mro[(module, qualname)]

    def own_lineage(self, module: str, qualname: str) -> bool:
        """Every base of the class and of its bases is a class of the run or a plain one (``object``, ``ABC``)."""
        for cls in self.mro(module, qualname):
            for base in cls.bases:
                base = base[1] if base and base[0] == "generic" else base
                kind = self.types.type_of(cls.module, None, base)
                if not (kind and kind.startswith("class:")) and (not base or base[-1] not in PLAIN_BASES):
                    return False
        return True

    def init_owner(self, module: str, qualname: str) -> ClassFacts | None:
        """The nearest class of the lineage with an ``__init__``: its own, or one a decorator writes."""
        return generated_inits.init_owner(self, self.mro(module, qualname))

    def built_on(self, module: str, qualname: str) -> list[ClassFacts]:
        """The run's classes whose lineage holds this one, itself left out (its subclasses, near or far)."""
        key = (module, qualname)
        if key not in self._built_on:
            self._built_on[key] = [
                cls
                for facts in self.modules.values()
                for cls in facts.classes.values()
                if (cls.module, cls.qualname) != key
                and any((c.module, c.qualname) == key for c in self.mro(cls.module, cls.qualname))
            ]
        return self._built_on[key]

    def gives_coroutine(self, function_id: str) -> bool:
        """Calling it gives a coroutine after the run: async, and no (async) generator."""
        func = self.by_id(function_id)
        return func is not None and self.is_async(function_id) and not func.is_generator

    def outside_bases(self, module: str, qualname: str) -> list[str]:
        """The dotted names of the bases from outside the run along the class's lineage (``wtforms.Form``)."""
        found = (
            self.types.type_of(cls.module, None, base) or "" for cls in self.mro(module, qualname) for base in cls.bases
        )
        return [kind[4:] for kind in found if kind.startswith("ref:")]

    def _bases(self, module: str, qualname: str) -> list[ClassFacts]:
        found: list[ClassFacts] = []
        pending = [(module, qualname)]
        while pending and len(found) < 32:
            module, qualname = pending.pop(0)
            cls = self.modules[module].classes.get(qualname) if module in self.modules else None
            if cls is None or any(c is cls for c in found):
                continue
            found.append(cls)
            for base in cls.bases:
                base = base[1] if base and base[0] == "generic" else base  # Repository[User] -> Repository
                kind = self.types.type_of(module, None, base)
                if kind and kind.startswith("class:"):
                    pending.append(tuple(kind[6:].split(":", 1)))
                elif kind == "sqlmethod:flask_db:Model":  # ``db.Model``: its ``model_class`` too (``model_bases``)
                    mixin = model_bases.model_class(self, module, base)
                    pending.extend([mixin] if mixin else [])
        return found


def discover(files: list[tuple[str, str]]) -> Project:
    project = Project()
    for relative, path in files:
        if flask_db.is_helper(relative):
            continue  # asyncshift's own helpers beside converted code (flask-to-fastapi's): not the application's
        try:
            text = Path(path).read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            continue
        name = module_name(relative, path)
        project.by_path[relative] = name
        project.by_source[str(Path(path).resolve())] = name
        project.modules.setdefault(name, read(tree, name, relative, is_package=Path(path).name == "__init__.py"))
    generated_inits.complete(project)
    colour(project)
    view_decorators.mark(project)
    sync_twins.mark(project)
    patched_requests.mark(project)
    return project


def single(code: str, relative: str | None) -> Project:
    """The same facts for one file on its own (``Codemod.apply`` on a string)."""
    project = Project()
    relative = relative or "<string>"
    project.by_path[relative] = "__main__"
    try:
        project.modules["__main__"] = read(ast.parse(code), "__main__", relative, is_package=False)
    except (SyntaxError, ValueError):
        return project
    generated_inits.complete(project)
    colour(project)
    view_decorators.mark(project)
    sync_twins.mark(project)
    patched_requests.mark(project)
    return project
