"""Command lines: Typer apps and Click groups, put together into one tree across modules, so the
targets are what ``compat.cli`` names a command line: ``prog calendar archive`` -> ``cli.calendar``.

A top-level command is ``cli.<name>``; a top-level group is ``cli.<name>.*`` (the group and every
command under it). The program's root is the app a console script names, else every app that no
other one includes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .model import Found, part
from .sources import Module, argument, keyword, string

TYPER = frozenset({"typer.Typer", "typer.main.Typer"})
CLICK_PACKAGES = ("click", "asyncclick")
CLICK_SUFFIXES = ("_command", "_cmd", "_group", "_grp")


@dataclass
class Node:
    """A Typer app, a Click group or a Click command, by its dotted name ``module.variable``."""

    kind: str  # typer, click-group, click-command
    mod: Module
    var: str
    at: str
    name: str | None = None  # its own name= (Typer(name=...), @click.group("name"))
    children: list[tuple[str | None, str, str]] = field(default_factory=list)  # (name, dotted child or "", at)

    @property
    def what(self) -> str:
        return f"{self.mod.name}:{self.var}"


def _click(qual: str | None, attr: str) -> bool:
    return qual is not None and any(qual == f"{p}.{attr}" for p in CLICK_PACKAGES)


def _command_name(func: str, click_style: bool) -> str:
    if click_style:
        for suffix in CLICK_SUFFIXES:
            if func.endswith(suffix) and func != suffix:
                func = func[: -len(suffix)]
                break
    return func.replace("_", "-")


def _nodes(modules: list[Module]) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for mod in modules:
        for stmt in mod.tree.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                qual = mod.qual(stmt.value.func)
                kind = "typer" if qual in TYPER else "click-group" if _click(qual, "Group") else None
                for t in stmt.targets:
                    if kind and isinstance(t, ast.Name):
                        own = string(keyword(stmt.value, "name"))
                        nodes[f"{mod.name}.{t.id}"] = Node(kind, mod, t.id, mod.at(stmt), own)
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in stmt.decorator_list:
                    call = deco if isinstance(deco, ast.Call) else None
                    qual = mod.qual(call.func if call else deco)
                    kind = (
                        "click-group" if _click(qual, "group") else "click-command" if _click(qual, "command") else None
                    )
                    if kind:
                        own = string(argument(call, 0, "name")) if call else None
                        nodes[f"{mod.name}.{stmt.name}"] = Node(kind, mod, stmt.name, mod.at(stmt), own)
    return nodes


def _resolve(dotted: str | None, nodes: dict[str, Node], by_name: dict[str, Module]) -> str | None:
    """A dotted name to a node, following re-exports (``from .calendar import app as calendar_app``)."""
    for _ in range(5):
        if dotted is None or dotted in nodes:
            return dotted
        module, _, var = dotted.rpartition(".")
        mod = by_name.get(module)
        if mod is None or var not in mod.imports:
            return None
        dotted = mod.imports[var]
    return None


def _edges(modules: list[Module], nodes: dict[str, Node], by_name: dict[str, Module]) -> None:
    """Fill each node's children from ``@app.command``, ``@group.group``, ``add_typer``, ``add_command``."""
    for mod in modules:
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    call = deco if isinstance(deco, ast.Call) else None
                    func = call.func if call else deco
                    if not isinstance(func, ast.Attribute) or func.attr not in ("command", "group"):
                        continue
                    parent = _resolve(mod.qual(func.value), nodes, by_name)
                    if parent is None:
                        continue
                    click_style = nodes[parent].kind != "typer"
                    name = (string(argument(call, 0, "name")) if call else None) or _command_name(
                        node.name, click_style
                    )
                    child = f"{mod.name}.{node.name}" if func.attr == "group" else ""
                    if child and child not in nodes:
                        nodes[child] = Node("click-group", mod, node.name, mod.at(node), name)
                    nodes[parent].children.append((name, child, mod.at(node)))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr not in ("add_typer", "add_command"):
                    continue
                parent = _resolve(mod.qual(node.func.value), nodes, by_name)
                child = _resolve(mod.qual(node.args[0]) if node.args else None, nodes, by_name)
                if parent is None:
                    continue
                name = string(keyword(node, "name"))
                if name is None and node.func.attr == "add_command" and len(node.args) > 1:
                    name = string(node.args[1])
                if child is not None:
                    sub = nodes[child]
                    name = name or sub.name or (_command_name(sub.var, True) if sub.kind != "typer" else None)
                nodes[parent].children.append((name, child or "", mod.at(node)))


def _leaves(node: Node, nodes: dict[str, Node], seen: set[str]) -> list[tuple[str, bool, str, str]]:
    """(name, is a group, dotted, where added) of the commands a user types right after the program's name;
    an unnamed sub-app's commands count as the parent's own (Typer merges them)."""
    out: list[tuple[str, bool, str, str]] = []
    for name, child, at in node.children:
        sub = nodes.get(child) if child else None
        if sub is not None and child in seen:
            continue
        if name is None:
            if sub is not None:
                out += _leaves(sub, nodes, seen | {child})
            continue
        is_group = sub is not None and sub.kind != "click-command"
        out.append((name, is_group, child, at))
    return out


def find_cli(modules: list[Module], scripts: list[Found]) -> list[Found]:
    by_name = {m.name: m for m in modules}
    nodes = _nodes(modules)
    _edges(modules, nodes, by_name)
    included = {child for n in nodes.values() for _, child, _ in n.children if child}
    named = {}
    for script in scripts:
        target = _resolve(script.detail.replace(":", "."), nodes, by_name)
        if target:
            named.setdefault(target, []).append(script.what)
    roots = list(named) or [k for k in nodes if k not in included]
    found: list[Found] = []
    for key in roots:
        root = nodes[key]
        leaves = _leaves(root, nodes, {key})
        scripts_of = named.get(key, [])
        detail = f"{len(leaves)} top-level command(s)/group(s)"
        if scripts_of:
            detail += f"; console script(s): {', '.join(scripts_of)}"
        kind = "typer" if root.kind == "typer" else "click"
        found.append(Found(kind, root.what, root.at, "cli" if not leaves else None, detail))
        for name, is_group, child, at in leaves:
            where = nodes[child].at if child in nodes else at
            target = f"cli.{part(name)}" + (".*" if is_group else "")
            found.append(Found("command-group" if is_group else "command", name, where, target))
    return found
