"""Which local names mean Typer: ``import typer as t``, ``from typer import Option``, ``typing.Annotated``.

Everything else in the codemod asks ``resolve(node)`` instead of matching text, so aliases work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


@dataclass
class TyperNames:
    """Local bindings of the typer module and of names imported from it (and from typing)."""

    modules: dict[str, str] = field(default_factory=dict)  # local name -> "typer" / "typer.testing"
    members: dict[str, str] = field(default_factory=dict)  # local name -> "Option" / "testing.CliRunner"
    typing: dict[str, str] = field(default_factory=dict)  # local name -> "Annotated" / "List" / ...
    typing_modules: set[str] = field(default_factory=set)

    @property
    def found(self) -> bool:
        return bool(self.modules or self.members)

    def adopt(self, alias) -> None:
        """The typer and typing names of the module a shared parameter comes from (where not bound here)."""
        for local, full in alias.typer_modules.items():
            self.modules.setdefault(local, full)
        for local, member in alias.typer_members.items():
            self.members.setdefault(local, member)
        for local, name in alias.typing.items():
            self.typing.setdefault(local, name)
        self.typing_modules.update(alias.typing_modules)

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The typer attribute path a node refers to (``"Option"``, ``"colors.RED"``), or None."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.members:
            return self.members[head] + (f".{rest}" if rest else "")
        if head in self.modules:
            prefix = self.modules[head][len("typer") :].lstrip(".")
            full = ".".join(p for p in (prefix, rest) if p)
            return full or None
        if name in self.modules.values():  # typer.testing used as a dotted import
            return None
        return None

    def typing_name(self, node: cst.BaseExpression) -> str | None:
        """``"Annotated"``, ``"List"``, ``"Optional"``... for typing names however they are imported."""
        name = dotted(node)
        if name is None:
            return None
        if name in self.typing:
            return self.typing[name]
        head, _, rest = name.rpartition(".")
        if head in self.typing_modules:
            return rest
        return None


def _statements(body) -> list:
    """Top-level statements, those nested in if/try blocks (guarded imports) and in functions and
    classes (a test's own ``from typer.testing import CliRunner``)."""
    out = []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            out.extend(statement.body)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and isinstance(statement.body, cst.IndentedBlock):
            out.extend(_statements(statement.body.body))
        elif isinstance(statement, (cst.If, cst.Try)):
            out.extend(_statements(statement.body.body))
            for handler in getattr(statement, "handlers", ()):
                out.extend(_statements(handler.body.body))
            orelse = statement.orelse
            if orelse is not None and not isinstance(orelse, cst.If):
                out.extend(_statements(orelse.body.body))
    return out


def collect(module: cst.Module) -> TyperNames:
    """Read the imports without walking the whole tree."""
    names = TyperNames()
    for node in _statements(module.body):
        if isinstance(node, cst.Import):
            _import(names, node)
        elif isinstance(node, cst.ImportFrom):
            _import_from(names, node)
    return names


def _import(names: TyperNames, node: cst.Import) -> None:
    for alias in node.names:
        full = dotted(alias.name)
        if full is None:
            continue
        if full == "typer" or full.startswith("typer."):
            local = alias.asname.name.value if alias.asname else full.split(".")[0]
            names.modules[local] = full if alias.asname else "typer"
        elif full in ("typing", "typing_extensions"):
            names.typing_modules.add(alias.asname.name.value if alias.asname else full)


def _import_from(names: TyperNames, node: cst.ImportFrom) -> None:
    if node.module is None or node.relative or isinstance(node.names, cst.ImportStar):
        return
    source = dotted(node.module)
    for alias in node.names:
        name = alias.name.value if isinstance(alias.name, cst.Name) else None
        if name is None:
            continue
        local = alias.asname.name.value if alias.asname else name
        if source == "typer":
            names.members[local] = name
        elif source == "click.testing" and name in ("CliRunner", "Result"):  # Typer's runner is Click's
            names.members[local] = f"testing.{name}"
        elif source and source.startswith("typer."):
            names.members[local] = f"{source[len('typer.') :]}.{name}"
        elif source in ("typing", "typing_extensions"):
            names.typing[local] = name
