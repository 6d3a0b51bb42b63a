"""The application's databases, as its code reads their URLs: ``create_engine(...)`` calls,
Flask-SQLAlchemy's ``SQLALCHEMY_DATABASE_URI`` and each ``SQLALCHEMY_BINDS`` key, and environment
variables named like a database URL (``CORE_DATABASE_URL``) or defaulting to one.

Flask-SQLAlchemy's URL in force is the one of the config class the app loads when the environment
names none: the ``app.config.from_object(...)`` call outside any ``if``, else in the last ``else``
of an ``if``/``elif`` chain (``APP_ENV`` unset -> ``DevelopmentConfig``); the other config classes'
variables are kept as alternatives.

Each database is named after its variable (``CORE_DATABASE_URL`` -> ``core``), else its bind key,
else the package that reads it, so several databases keep apart in ``[tool.asyncshift.databases]``.
"""

from __future__ import annotations

import ast
import re

from .model import FoundDatabase, part
from .sources import Module, argument, string

URL = re.compile(r"^(sqlite|postgres(ql)?|mysql|mariadb|oracle|mssql|cockroachdb)(\+\w+)?://", re.I)
ENV_NAME = re.compile(r"(^|_)(DATABASE|DB)(_?(URL|URI|DSN))$|^SQLALCHEMY_DATABASE_URI$", re.I)
ENGINES = frozenset(
    {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.ext.asyncio.create_async_engine"}
)
ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})


def _env_read(mod: Module, node: ast.AST) -> tuple[str, str | None] | None:
    """``os.environ.get("X", "d")`` / ``os.getenv("X")`` / ``os.environ["X"]`` -> ``("X", "d")``."""
    if isinstance(node, ast.Call) and mod.qual(node.func) in ENV_GETTERS:
        name = string(argument(node, 0, "key"))
        default = argument(node, 1, "default")
        return (name, string(default)) if name else None
    if isinstance(node, ast.Subscript) and mod.qual(node.value) == "os.environ":
        name = string(node.slice)
        return (name, None) if name else None
    return None


def _sources(mod: Module, node: ast.AST | None, names: dict[str, ast.AST]) -> list[tuple[str | None, str | None]]:
    """(env, default) pairs an expression may take its URL from (``a or b`` gives both)."""
    if node is None:
        return []
    if isinstance(node, ast.Name) and node.id in names:
        return _sources(mod, names[node.id], {k: v for k, v in names.items() if k != node.id})
    read = _env_read(mod, node)
    if read:
        return [read]
    text = string(node)
    if text and URL.match(text):
        return [(None, text)]
    if isinstance(node, ast.BoolOp):
        return [s for value in node.values for s in _sources(mod, value, names)]
    if isinstance(node, ast.IfExp):
        return _sources(mod, node.body, names) + _sources(mod, node.orelse, names)
    return []


def _db_like(env: str | None, default: str | None) -> bool:
    return bool((env and ENV_NAME.search(env)) or (default and URL.match(default)))


def _name(env: str | None, fallback: str) -> str:
    if env:
        prefix = ENV_NAME.sub("", env).strip("_")
        if prefix and prefix.upper() not in ("SQLALCHEMY", "DEV", "TEST", "PROD", "PRODUCTION", "DEVELOPMENT", "LOCAL"):
            return part(prefix.lower())
    return part(fallback)


class _Collector:
    def __init__(self) -> None:
        self.sites: dict[str, list[tuple[str, list[tuple[str | None, str | None]], str]]] = {}
        self.claimed: set[str] = set()
        self.loose: dict[str, tuple[str | None, str]] = {}  # env -> (default, where)
        self.config_of: dict[str, str] = {}  # where -> "module.Class" holding that assignment
        self.in_force: list[str] = []  # config classes loaded when the environment names none

    def add(self, key: str, via: str, sources: list[tuple[str | None, str | None]], where: str) -> None:
        if sources:
            self.sites.setdefault(key, []).append((via, sources, where))
            self.claimed |= {env for env, _ in sources if env}


def _default_configs(mod: Module) -> list[str]:
    """``from_object`` targets loaded when no environment variable picks another (see the module)."""
    conditional: set[int] = set()
    fallback: list[ast.Call] = []
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.If):
            for stmt in [*node.body, *node.orelse]:
                conditional |= {id(n) for n in ast.walk(stmt)}
            if node.orelse and not (len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)):
                fallback += [n for stmt in node.orelse for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    picked = []
    for node in ast.walk(mod.tree):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "from_object"
        ):
            continue
        if id(node) in conditional and node not in fallback:
            continue
        arg = argument(node, 0, "obj")
        name = string(arg) or (mod.qual(arg) if arg is not None else None)
        if name:
            picked.append(name.replace(":", "."))
    return picked


def _scan(mod: Module, out: _Collector) -> None:
    out.in_force += _default_configs(mod)
    for cls in mod.tree.body:
        if isinstance(cls, ast.ClassDef):
            for stmt in cls.body:
                out.config_of[mod.at(stmt)] = f"{mod.name}.{cls.name}"
    names = {
        t.id: stmt.value
        for stmt in mod.tree.body
        if isinstance(stmt, ast.Assign)
        for t in stmt.targets
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Call) and mod.qual(node.func) in ENGINES:
            sources = _sources(mod, argument(node, 0, "url"), names)
            out.add(f"engine:{mod.name}:{node.lineno}", "create_engine", sources, mod.at(node))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                key = target.id if isinstance(target, ast.Name) else string(getattr(target, "slice", None))
                if key == "SQLALCHEMY_DATABASE_URI":
                    out.add("flask:default", "SQLALCHEMY_DATABASE_URI", _sources(mod, node.value, names), mod.at(node))
                elif key == "SQLALCHEMY_BINDS" and isinstance(node.value, ast.Dict):
                    for k, v in zip(node.value.keys, node.value.values, strict=True):
                        bind = string(k)
                        if bind:
                            via = f"SQLALCHEMY_BINDS['{bind}']"
                            out.add(f"bind:{bind}", via, _sources(mod, v, names), mod.at(v))
        read = _env_read(mod, node)
        if read and _db_like(*read):
            out.loose.setdefault(read[0], (read[1], mod.at(node)))


def find_databases(modules: list[Module]) -> list[FoundDatabase]:
    out = _Collector()
    for mod in modules:
        _scan(mod, out)
    merged: list[tuple[str, str, list[tuple[str | None, str | None]], list[str]]] = []
    for key, sites in out.sites.items():
        if key == "flask:default":
            in_force = [site for site in sites if out.config_of.get(site[2]) in out.in_force]
            sites = in_force[:1] + [site for site in sites if site not in in_force[:1]]
        sources = [s for _, found, _ in sites for s in found]
        envs = {env for env, _ in sources if env}
        # create_engine(URL) reading a variable a config also reads is the same database
        same = next((m for m in merged if envs & {env for env, _ in m[2] if env}), None)
        if same is not None:
            same[2].extend(s for s in sources if s not in same[2])
            same[3].extend(w for _, _, w in sites)
            continue
        merged.append((key, sites[0][0], sources, [w for _, _, w in sites]))
    for env, (default, where) in out.loose.items():
        if env not in out.claimed:
            merged.append((f"env:{env}", "environment", [(env, default)], [where]))
    found: list[FoundDatabase] = []
    taken: set[str] = set()
    for key, via, sources, where in merged:
        main_env, main_default = sources[0]
        module = where[0].split(":")[0]
        fallback = key.split(":", 1)[1] if key.startswith("bind:") else _package(module, modules)
        name = _name(main_env, fallback) if not key.startswith("bind:") else part(fallback)
        while name in taken:
            name += "_2"
        taken.add(name)
        envs = tuple(dict.fromkeys(env for env, _ in sources if env))
        others = tuple((e, d) for e, d in dict.fromkeys(sources) if (e, d) != (main_env, main_default) and e)
        found.append(FoundDatabase(name, via, envs, main_default, tuple(where), others))
    return found


def _package(path: str, modules: list[Module]) -> str:
    mod = next((m for m in modules if m.path == path), None)
    return mod.top if mod else "app"
