"""A twin's imports point into the twin: ``OLD.x`` becomes ``NEW.x`` in imports, in dotted uses of a plainly
imported ``OLD``, and in strings naming a module of it (``mock.patch("OLD.x.y")``); everything else is kept.

Relative imports stay (the twin has the same layout) unless they leave ``OLD``: those become the absolute
import they meant, since from ``NEW`` they would land elsewhere, unless they land in another package's twin
right where they meant to (``..repositories`` from ``aio.services`` when ``sync.repositories`` is twinned
as ``aio.repositories`` too).
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.helpers import get_full_name_for_node

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_][\w.]*)?")


def _expression(dotted: str) -> cst.BaseExpression:
    return cst.parse_expression(dotted)


class Retarget(cst.CSTTransformer):
    """Rewrites one module of ``old`` (dotted name ``module``; ``package`` when it is an ``__init__``)."""

    def __init__(
        self,
        old: str,
        new: str,
        module: str,
        *,
        package: bool,
        submodules: frozenset[str],
        relative: bool = True,
        others: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__()
        self.others = others  # (old, new) of the run's other twinned packages
        self.old, self.new, self.module, self.package = old, new, module, package
        self.relative = relative  # False: a pass for another package than the file's own, relative imports kept
        self.submodules = submodules  # the names directly under ``old`` (modules and subpackages)
        self.plain = False  # ``import OLD...`` without ``as``: dotted uses of ``OLD`` are rewritten too

    def rename(self, dotted: str) -> str | None:
        if dotted == self.old or dotted.startswith(self.old + "."):
            return self.new + dotted[len(self.old) :]
        return None

    def visit_Module(self, node: cst.Module) -> None:
        finder = _PlainImports(self.old)
        node.visit(finder)
        self.plain = finder.found

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            renamed = self.rename(get_full_name_for_node(alias.name) or "")
            names.append(alias.with_changes(name=_expression(renamed)) if renamed else alias)
        return updated.with_changes(names=names)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if updated.relative:
            if not self.relative:
                return updated
            name = get_full_name_for_node(updated.module) or ""
            target = self._absolute(len(updated.relative), name)
            if target is None or self.rename(target) is not None:
                return updated  # inside OLD: the twin has the same layout
            if self._lands_in_twin(len(updated.relative), name, target):
                return updated
            return updated.with_changes(relative=[], module=_expression(target))
        module = get_full_name_for_node(updated.module) or ""
        renamed = self.rename(module)
        if renamed:
            return updated.with_changes(module=_expression(renamed))
        parent, _, last = self.old.rpartition(".")
        new_parent, _, new_last = self.new.rpartition(".")
        if not parent or module != parent or parent != new_parent or isinstance(updated.names, cst.ImportStar):
            return updated  # ``from parent import OLD`` across parents is split in leave_SimpleStatementLine
        names = [
            alias.with_changes(name=cst.Name(new_last), asname=alias.asname or _as(last))
            if get_full_name_for_node(alias.name) == last
            else alias
            for alias in updated.names
        ]
        return updated.with_changes(names=names)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        """``from parent import OLD`` when NEW has another parent: ``from new_parent import new_last as OLD``."""
        parent, _, last = self.old.rpartition(".")
        new_parent, _, new_last = self.new.rpartition(".")
        if not parent or parent == new_parent:
            return updated
        body: list[cst.BaseSmallStatement] = []
        for small in updated.body:
            if not (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and not isinstance(small.names, cst.ImportStar)
                and get_full_name_for_node(small.module) == parent
            ):
                body.append(small)
                continue
            moved = [a for a in small.names if get_full_name_for_node(a.name) == last]
            kept = [a for a in small.names if get_full_name_for_node(a.name) != last]
            if kept:
                body.append(small.with_changes(names=_commas(kept)))
            for alias in moved:
                new_alias = cst.ImportAlias(name=cst.Name(new_last), asname=alias.asname or _as(last))
                if new_parent:
                    body.append(cst.ImportFrom(module=_expression(new_parent), names=[new_alias]))
                else:
                    body.append(cst.Import(names=[new_alias]))
        return updated.with_changes(body=body)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if not self.plain:
            return updated
        if "." in self.old:
            return _expression(self.new) if get_full_name_for_node(updated) == self.old else updated
        if isinstance(updated.value, cst.Name) and updated.value.value == self.old:
            return updated.with_changes(value=_expression(self.new))
        return updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        """A string naming a module of OLD (``"OLD.x.y"``, ``"OLD.x:attr"``) names the twin's instead."""
        quote = updated.quote
        prefix = updated.prefix
        inner = updated.value[len(prefix) + len(quote) : -len(quote)]
        if "\\" in inner or not _DOTTED.fullmatch(inner) or not inner.startswith(self.old + "."):
            return updated
        first = re.split(r"[.:]", inner[len(self.old) + 1 :], maxsplit=1)[0]
        if first not in self.submodules:
            return updated  # "web.index" may be an endpoint name, not a module
        return updated.with_changes(value=f"{prefix}{quote}{self.rename(inner)}{quote}")

    def _lands_in_twin(self, level: int, name: str, target: str) -> bool:
        """Whether the import, made from the twin, reaches the twin of the other package it reached."""
        landing = self._absolute(level, name, self.new + self.module[len(self.old) :])
        for old, new in self.others:
            if target == old or target.startswith(old + "."):
                return landing == new + target[len(old) :]
        return False

    def _absolute(self, level: int, name: str, module: str | None = None) -> str | None:
        parts = (module or self.module).split(".")
        base = parts if self.package else parts[:-1]
        if level - 1 > len(base) or (level - 1 == len(base) and not name):
            return None  # beyond the top: leave it as it is (it fails in the original too)
        base = base[: len(base) - (level - 1)]
        return ".".join([*base, name] if name else base) or None


def _as(name: str) -> cst.AsName:
    return cst.AsName(name=cst.Name(name))


def _commas(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    return [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in aliases]


class _PlainImports(cst.CSTVisitor):
    """Whether the module binds OLD's top name by ``import OLD...`` (no ``as``)."""

    def __init__(self, old: str) -> None:
        self.old, self.found = old, False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            if alias.asname is None and (name == self.old or name.startswith(self.old + ".")):
                self.found = True


_RELATIVE = re.compile(r"^[ \t]*from[ \t]+(\.+)", re.M)


def _may_leave(text: str, old: str, module: str, package: bool) -> bool:
    """Whether a relative import in ``text`` may climb out of ``old`` (else the file needs no parse)."""
    levels = [len(dots) for dots in _RELATIVE.findall(text)]
    inside = len(module.split(".")) - len(old.split(".")) + (1 if package else 0)
    return bool(levels) and max(levels) > inside


def retarget(
    text: str,
    old: str,
    new: str,
    module: str,
    *,
    package: bool,
    submodules: frozenset[str],
    relative: bool = True,
    others: tuple[tuple[str, str], ...] = (),
) -> str:
    """``text`` with its imports of ``old`` pointing into ``new`` (``text`` must parse). ``module`` is the file's
    dotted name inside ``old``; with ``relative`` false the file is not in ``old`` and its relative imports stay."""
    if old.split(".")[0] not in text and not (relative and _may_leave(text, old, module, package)):
        return text
    tree = cst.parse_module(text)
    retargeting = Retarget(old, new, module, package=package, submodules=submodules, relative=relative, others=others)
    return tree.visit(retargeting).code
