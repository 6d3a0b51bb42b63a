"""What the rewriting pass knows while it walks one module, shared by every rule it applies.

The rules take a ``Conversion`` (the run's facts, where the walk is, pending TODOs, imports to add)
and never the transformer, so they need not import it.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.base import Notes
from codemods.sqlalchemy_to_async import dual_members
from codemods.sqlalchemy_to_async.colours import async_context, classify
from codemods.sqlalchemy_to_async.exprs import from_cst
from codemods.sqlalchemy_to_async.prewalk import Bodies
from codemods.sqlalchemy_to_async.project import Project


class Conversion:
    """The state of one module's conversion: what the rules read, and what they add to."""

    def __init__(self, module: cst.Module, project: Project, name: str, notes: Notes) -> None:
        super().__init__()
        self.module, self.project, self.name, self.notes = module, project, name, notes
        self.scopes: list[tuple[str, str]] = []  # ("class" | "def", qualname), innermost last
        self.todo_stack: list[list[str]] = []
        self.lambdas = 0  # lambdas and generator expressions being walked: no await there
        self.decorators = 0  # decorators being walked: evaluated where the function is defined, never awaited
        self.main_guard = 0  # inside ``if __name__ == "__main__":`` at module level
        self.imports: dict[tuple[str, str | None], str] = {}  # (module, name or None) -> local name
        self.own_attributes: set[str] | None = None  # attribute names the module assigns (``query_internals``)
        self.with_managers: set[int] = set()  # calls that are a ``with`` item's manager
        self.coroutine_args: set[int] = set()  # calls handed to asyncio.run and the like: never awaited
        self.callees: set[int] = set()  # expressions called right there (not handed on as values)
        self.not_values: set[int] = set()  # names that name no value: attributes, keywords, definitions
        self.read_from: set[int] = set()  # ``a`` of ``a.b``: read from, not handed on (``mock.get.return_value``)
        self.handed_values: set[int] = set()  # call arguments, assigned and returned values: handed on
        self.query_inner: set[int] = set()  # calls inside a legacy query chain (the outermost rewrites it)
        self.iterated: set[int] = set()  # calls a ``for`` loop iterates over
        self.async_iterated: set[int] = set()  # calls of async generators now read with ``async for``
        self.rowcounts: set[int] = set()  # ``(await s.execute(delete(...))).rowcount`` written by the query rule
        self.awaited: set[int] = set()  # expressions already awaited (a second run changes nothing)
        self.statements: list[bool] = []  # per statement being walked: is it a simple one?
        self.pending_clients: list[list[cst.Arg]] = []  # per statement: httpx clients to open around it
        self.requirements: list[str] = []
        self.query_starts: dict[int, object] = {}  # query variables (``query_vars``): where each starts
        self.query_steps: set[int] = set()  # their builder calls, left as they are
        self.query_terminals: dict[int, object] = {}  # where they are read
        self.query_iterated: dict[int, object] = {}  # where a ``for`` iterates over one
        self.loaded_reads: dict[int, set[str]] = {}  # call -> attributes read from what it gave (lazy_loads)
        self.eager: list[str] = []  # loader options for the query being rewritten
        self.async_mocks: set[int] = set()  # ``Mock(...)`` calls replacing a function that became async
        self.query_doubles: dict[int, tuple] = {}  # ``s.query`` of ``s.query.return_value = q`` carried (mocks)
        self.patched_selects: dict[str, tuple] = {}  # function -> its chain double patched in as select (query_doubles)
        self.awaitable_stand_ins: set[int] = set()  # sync callables put in place of one: ``dynamic.awaitable``
        self.url_helper: str | None = None  # the name of the run-time URL helper, once a URL needs it
        self.helpers: dict[str, tuple[str, str]] = {}  # kind -> (name, code) of functions written into the module
        self.replaced_names: set[str] = set()  # ``module.name`` imports a rule replaced (dropped when unused)
        self.replaced_modules: set[str] = set()  # modules whose uses a rule rewrote (``time.sleep``...)
        self.tasks: set[tuple[str, str]] = set()  # (function, name): threads that are asyncio tasks now
        self.event_sides: dict[int, tuple[str, ...]] = {}  # event registrations: the target's sync side
        self.task_events: set[tuple[str, str]] = set()  # (function, name): their stop events, asyncio's now
        self.blocking: set[int] = set()  # calls marked ``# asyncshift: to_thread`` (``blocking_marks``)
        self.backref_todos: dict[int, list[str]] = {}  # statement -> TODOs of objects saved by a backref (``backrefs``)
        self.backref_paths: dict[tuple[str, str], str | None] = {}  # (class, attribute) -> its backref (``backrefs``)
        self.backref_classes: dict[str, bool] = {}  # class -> whether setting one of its relationships cascaded it
        self.backref_adds: dict[int, str] = {}  # statement -> ``session.add(x)`` to follow it (``backrefs``)
        self.bodies = Bodies(module)  # what each function's body holds, one walk of the module (``prewalk``)

    # -- where the walk is ------------------------------------------------------------------------

    @property
    def function(self) -> str | None:
        """The qualname of the innermost function being walked (None at module or class level)."""
        for kind, qualname in reversed(self.scopes):
            if kind == "def":
                return qualname
            return None
        return None

    def qualname(self, name: str) -> str:
        return f"{self.scopes[-1][1]}.{name}" if self.scopes else name

    @property
    def function_id(self) -> str | None:
        return f"{self.name}:{self.function}" if self.function else None

    def type_of(self, node: cst.CSTNode) -> str | None:
        return self.project.types.type_of(self.name, self.function, from_cst(node))

    def classify(self, callee: cst.CSTNode, *, in_with: bool = False) -> tuple:
        return classify(self.project, self.name, self.function, from_cst(callee), in_with=in_with)

    def dual_member(self, callee: cst.CSTNode) -> bool:
        """Whether ``callee`` is ``x.member`` with an async twin on the same object (``dual_members``)."""
        return dual_members.call_kind(self.project, self.name, self.function, from_cst(callee)) is not None

    def stand_in(self, value: cst.CSTNode) -> bool:
        """Whether ``value`` here is a stand-in that took the colour of what it replaces (``stand_ins``)."""
        return (self.name, self.function, from_cst(value)) in self.project.stand_in_values

    def async_context(self, manager: cst.BaseExpression) -> bool:
        return async_context(self.project, self.name, self.function, from_cst(manager))

    # -- what the rules ask ------------------------------------------------------------------------

    def can_await(self, what: str, need: str = "is a coroutine now") -> bool:
        """Whether ``what`` can be awaited here; a TODO saying why not otherwise."""
        if self.lambdas:
            self.todo(f"{what} {need}, and a lambda or generator expression cannot await")
            return False
        function_id = self.function_id
        if function_id is None:
            self.todo(f"{what} {need}: it needs an async function (or asyncio.run at the top)")
            return False
        if self.project.is_async(function_id):
            return True
        reason = self.project.held_sync.get(function_id)
        if reason:
            self.todo(f"{what} {need}, but {reason}: move it out")
        else:
            self.todo(f"{what} {need}: make '{self.function}' async and await it")
        return False

    def module_helper(self, key: str, name: str, code: Callable[[str], str], *, write: bool = True) -> str | None:
        """The name of a helper function written into this module once (``key`` in ``helpers``): the one a run
        before wrote, else a free one near ``name``, its text ``code(name)`` (written only when ``write``)."""
        if key in self.helpers:
            return self.helpers[key][0]
        facts = self.project.modules.get(self.name)
        if facts is not None and name in facts.functions:
            return name
        if not write:
            return None
        taken = set(facts.variables) | set(facts.functions) | set(facts.bindings) if facts else set()
        free = next(n for n in (name, f"{name}_", f"_asyncshift{name}") if n not in taken)
        self.helpers[key] = (free, code(free))
        return free

    @staticmethod
    def helper_twice(updated: cst.Call, name: str | None) -> cst.Call | None:
        """``name(name(call))``, a run before having written the outer one: the inner one is enough."""
        inner = updated.args[0].value if len(updated.args) == 1 else None
        if name is None or not isinstance(updated.func, cst.Name) or updated.func.value != name:
            return None
        if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == name:
            return inner
        return None

    def awaitable(self) -> bool:
        """Whether an ``await`` can go here (``can_await`` without its TODO)."""
        function_id = self.function_id
        return not self.lambdas and function_id is not None and self.project.is_async(function_id)

    def not_awaitable_reason(self) -> str:
        if self.lambdas:
            return "a lambda or generator expression cannot await"
        if self.function_id is None:
            return "it is not in a function"
        return self.project.held_sync.get(self.function_id) or f"'{self.function}' does not become async"

    def todo(self, message: str) -> None:
        """A TODO comment for the statement being rewritten."""
        if self.todo_stack and message not in self.todo_stack[-1]:
            self.todo_stack[-1].append(message)

    def use(self, module: str, name: str) -> str:
        """The local name under which ``module.name`` is (or will be) imported here."""
        key = (module, name)
        if key not in self.imports:
            facts = self.project.modules.get(self.name)
            bound = facts.bindings.get(name) if facts else None
            taken = facts is not None and (name in facts.variables or name in facts.functions or name in facts.classes)
            clash = taken or (bound is not None and bound != f"{module}.{name}")
            clash = clash or name in self.imports.values()  # sqlmodel's AsyncSession wanted, and SQLAlchemy's
            self.imports[key] = f"sa_{name}" if clash else name
        return self.imports[key]

    def use_module(self, module: str) -> str:
        """``import module`` (once) and the local name it is under."""
        key = (module, None)
        if key not in self.imports:
            facts = self.project.modules.get(self.name)
            bound = facts.bindings.get(module) if facts else None
            taken = facts is not None and (module in facts.variables or module in facts.functions)
            self.imports[key] = f"_{module}" if taken or (bound is not None and bound != module) else module
        return self.imports[key]

    def require(self, requirement: str) -> None:
        if requirement not in self.requirements:
            self.requirements.append(requirement)
