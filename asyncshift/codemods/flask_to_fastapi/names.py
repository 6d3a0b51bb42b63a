"""Which local names mean Flask (and its extensions): ``import flask``, ``from flask import request as r``.

The rest of the codemod asks ``resolve(node)`` for a qualified name instead of matching text, so
aliases work and a module that does not import Flask is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

FLASK_MODULES = ("flask", "werkzeug", "flask_login", "flask_sqlalchemy", "flask_wtf", "flask_httpauth", "flask_cors")
# What ``flask`` exports from the submodule that defines it (Flask 0.12 to 3.x, its ``__init__``): reached through that
# submodule (``from flask import blueprints`` then ``blueprints.Blueprint``, ``from flask.app import Flask``) it is the
# same object, resolved as ``flask.<name>``
REEXPORTED = {
    "app": {"Flask"},
    "blueprints": {"Blueprint"},
    "config": {"Config"},
    "ctx": {"after_this_request", "copy_current_request_context", "has_app_context", "has_request_context"},
    "globals": {"current_app", "g", "request", "session"},
    "helpers": {
        *("abort", "flash", "get_flashed_messages", "get_template_attribute", "make_response", "redirect"),
        *("send_file", "send_from_directory", "stream_with_context", "url_for"),
    },
    "json": {"jsonify"},
    "templating": {"render_template", "render_template_string", "stream_template", "stream_template_string"},
    "wrappers": {"Request", "Response"},
}


def dotted(node: cst.BaseExpression | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def _top(module: str) -> str:
    return module.split(".", 1)[0]


@dataclass
class FlaskNames:
    """Local bindings of Flask modules and of names imported from them, as qualified names."""

    members: dict[str, str] = field(default_factory=dict)  # "request" -> "flask.request"
    modules: dict[str, str] = field(default_factory=dict)  # "flask" -> "flask"; "fl" -> "flask"
    uses_relative_imports: bool = False
    hidden: set[int] = field(default_factory=set)  # Name nodes a function's own binding hides (``shadowing``)

    @property
    def found(self) -> bool:
        return any(_top(q) == "flask" for q in [*self.members.values(), *self.modules.values()])

    def resolve(self, node: cst.BaseExpression | None) -> str | None:
        """``"flask.request"``, ``"flask.views.MethodView"``... for the node, or None."""
        name = dotted(node)
        if name is None:
            return None
        while isinstance(node, cst.Attribute):
            node = node.value
        if id(node) in self.hidden:  # ``request = Model.find(...)`` in this function: its own, not Flask's
            return None
        head, _, rest = name.partition(".")
        if head in self.members:
            return _public(self.members[head] + (f".{rest}" if rest else ""))
        if head in self.modules:
            return _public(self.modules[head] + (f".{rest}" if rest else ""))
        return None

    def is_(self, node: cst.BaseExpression | None, *qualified: str) -> bool:
        return self.resolve(node) in qualified

    def local_for(self, qualified: str) -> str | None:
        for local, target in self.members.items():
            if target == qualified:
                return local
        return None


def _public(qualified: str) -> str:
    """``flask.blueprints.Blueprint`` is ``flask.Blueprint``, ``flask.app.Flask.__init__`` ``flask.Flask.__init__``."""
    parts = qualified.split(".")
    if len(parts) > 2 and parts[0] == "flask" and parts[2] in REEXPORTED.get(parts[1], ()):
        return ".".join(["flask", *parts[2:]])
    return qualified


def collect(module: cst.Module) -> FlaskNames:
    """Read the module's top-level and nested import statements (no metadata pass needed)."""
    names = FlaskNames()

    class Imports(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = dotted(alias.name) or ""
                if _top(full) in FLASK_MODULES:
                    if alias.asname:
                        names.modules[dotted(alias.asname.name)] = full
                    else:
                        names.modules[_top(full)] = _top(full)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.relative:
                names.uses_relative_imports = True
                return
            source = dotted(node.module) or ""
            if _top(source) not in FLASK_MODULES or isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                imported = dotted(alias.name)
                local = dotted(alias.asname.name) if alias.asname else imported
                names.members[local] = f"{source}.{imported}"

    module.visit(Imports())
    return names


def request_name(names: set[str]) -> str:
    """The one name of Flask's request the converted function reads it by, of all the module's (``from flask import
    request as r`` beside ``request``): ``request`` where it is one, else the first by name (never a set's order,
    which changes with the hash seed)."""
    return "request" if "request" in names or not names else min(names)
