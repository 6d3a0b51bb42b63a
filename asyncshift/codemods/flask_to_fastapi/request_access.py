"""Request access to typed parameters: ``request.args.get("page", 1, type=int)`` becomes ``page: int = 1``.

Reads one view before it is rewritten and plans, node by node, what replaces each access: a typed
query/form/file/header/cookie/body parameter where the key is a literal, Starlette's mapping on the
``Request`` where the use is dynamic, and a TODO where neither keeps the meaning.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

import libcst as cst

from codemods.flask_to_fastapi import json_reads, request_attributes
from codemods.flask_to_fastapi.request_attributes import ATTRIBUTES, DYNAMIC_MAPPINGS, UNSUPPORTED, no_twin

SOURCES = {"args": "query", "form": "form", "files": "file", "headers": "header", "cookies": "cookie"}
TYPES = {"int": "int", "float": "float", "str": "str"}


@dataclass
class Param:
    name: str
    source: str  # query/form/file/header/cookie/body/dependency
    key: str
    annotation: str
    default: str | None = None
    uses: frozenset[str] = frozenset()

    def code(self) -> str:
        text = f"{self.name}: {self.annotation}"
        return text if self.default is None else f"{text} = {self.default}"


@dataclass
class Plan:
    replacements: dict[int, cst.BaseExpression] = field(default_factory=dict)
    todos: dict[int, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    uploads: set[str] = field(default_factory=set)
    uses_request: bool = False

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _literal(node: cst.BaseExpression | None) -> bool:
    if node is None:
        return True
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    if isinstance(node, (cst.List, cst.Dict, cst.Tuple)):
        return not node.elements
    return False


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString) and "b" not in node.prefix.lower():
        return node.evaluated_value
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def identifier(key: str) -> str:
    name = re.sub(r"\W", "_", key.replace("-", "_")).lower() if key.isascii() else "value"
    if not name or name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) or name in ("request", "Request") else name


class _Reads(cst.CSTVisitor):
    """Every name a function reads or binds (to keep new parameter names from shadowing them)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


class Planner(cst.CSTVisitor):
    """Plans the rewrite of every ``request`` access (by any of its names) in one function, not in nested ones."""

    def __init__(
        self, function: cst.FunctionDef, request_names: tuple[str, ...], methods: list[str] | None, whole=frozenset()
    ):
        self.request_names = request_names
        self.whole = whole  # sources read through the request's mapping, never as typed parameters
        self.plan = Plan()
        self.methods = [m.upper() for m in methods] if methods else None
        self.consumed: set[int] = set()
        self.assign_target: dict[int, str] = {}
        reads = _Reads()
        function.visit(reads)
        self.taken = reads.names | {p.name.value for p in function.params.params}
        self.function = function
        self.needs_form_dependency = False
        self.body_sources: set[str] = set()
        self.dynamic: set[str] = set()
        self.dynamic_seen: set[str] = set()

    # -- entry ---------------------------------------------------------------------------------
    def run(self) -> Plan:
        sources = _Sources(self.request_names)
        self.function.body.visit(sources)
        self.mixed_bodies = "json" in sources.found and bool({"form", "files"} & sources.found)
        self.dynamic: set[str] = set()
        dry = Planner(self.function, self.request_names, self.methods)
        dry.mixed_bodies, dry.dynamic = self.mixed_bodies, set()
        self.function.body.visit(dry)
        # A source also used as a whole ("key" in request.files) is read through its mapping
        # everywhere in the view, so a missing key still reaches the view's own check.
        self.dynamic = dry.dynamic_seen | self.whole
        self.function.body.visit(self)
        return self.plan

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.function

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.assign_target[id(node.value)] = node.targets[0].target.value

    # -- helpers -------------------------------------------------------------------------------
    def _request_attr(self, node: cst.BaseExpression) -> str | None:
        """``"args"`` for ``request.args`` (the request being one of our names)."""
        if (
            isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Name)
            and node.value.value in self.request_names
        ):
            return node.attr.value
        return None

    def _r(self, node: cst.BaseExpression) -> str:
        return self.request_names[0]  # the view's (``r.path`` beside ``request``: ``request.url.path``)

    def _name_for(self, key: str, value_id: int, body: bool = False) -> str:
        """The assigned variable's name when the access is a whole assignment, else the key's; a form or file field's
        (``body``) without a leading underscore, which FastAPI's pydantic body model refuses at import."""
        params = {p.name for p in self.plan.params} | {p.name.value for p in self.function.params.params}
        target = self.assign_target.get(value_id)
        if target and target not in params and target not in self.request_names and not (body and target[0] == "_"):
            return target
        base = identifier(key)
        base = "field" + base if body and base.startswith("_") else base
        if base not in params and base not in self.taken:
            return base
        for suffix in ("_param", "_value", "_arg"):
            if base + suffix not in self.taken and base + suffix not in params:
                return base + suffix
        return base + "_2"

    def _add(self, node: cst.BaseExpression, param: Param) -> None:
        existing = next((p for p in self.plan.params if p.source == param.source and p.key == param.key), None)
        if existing is not None:
            if existing.annotation != param.annotation or existing.default != param.default:
                self.plan.todos[id(node)] = (
                    f"'{param.key}' is read twice with different types or defaults; kept the first ({existing.code()})"
                )
            param = existing
        else:
            self.plan.params.append(param)
            self.taken.add(param.name)
        self.plan.replacements[id(node)] = cst.Name(param.name)
        if param.source == "file":
            self.plan.uploads.add(param.name)

    def _dependency(self, node: cst.BaseExpression, name: str, annotation: str, helper: str) -> str:
        existing = self.plan.param(name)
        if existing is None:
            self.plan.params.append(
                Param(
                    name,
                    "dependency",
                    helper,
                    f"Annotated[{annotation}, Depends({helper})]",
                    None,
                    frozenset({"Annotated", "Depends", helper, annotation}),
                )
            )
            self.taken.add(name)
        return name

    def _form_mapping(self, node: cst.BaseExpression, attr: str = "form") -> None:
        first, other, annotation, helper = request_attributes.BODY_MAPPINGS[attr]
        name = first if first not in self.taken or self.plan.param(first) else other
        self.plan.replacements[id(node)] = cst.Name(self._dependency(node, name, annotation, helper))

    def _post_only(self) -> bool:
        return bool(self.methods) and "GET" not in self.methods

    # -- patterns ------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> bool | None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        source = self._request_attr(func.value)
        if source in SOURCES and method in ("get", "getlist"):
            return self._mapping_call(node, source, method)
        if self._request_attr(func) in ("get_json", "get_data"):
            self.consumed.add(id(func))
            if self._request_attr(func) == "get_json":
                self._json(node)
            else:
                self._raw_body(
                    node,
                    as_text=any(
                        _code(a.value) == "True" for a in node.args if a.keyword and a.keyword.value == "as_text"
                    ),
                )
            return False
        return None

    def _mapping_call(self, node: cst.Call, source: str, method: str) -> bool | None:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        key = _string(positional[0].value) if positional else None
        default = positional[1].value if len(positional) > 1 else keywords.get("default")
        kind = keywords.get("type")
        type_name = None if kind is None else TYPES.get(_code(kind))
        if source in self.dynamic and kind is None:
            self._upload_alias(node, source)
            return None
        if (
            key is None
            or not _literal(default)
            or (kind is not None and type_name is None)
            or any(a.star for a in node.args)
            or (method == "getlist" and type_name in ("int", "float"))  # Werkzeug drops a bad value, FastAPI 422s
        ):
            return None  # the mapping is rewritten by visit_Attribute, a type= call by the helper's typed_get
        self.consumed.add(id(node.func.value))
        self._typed(node, source, key, method == "getlist", required=False, default=default, type_name=type_name)
        return False

    def visit_Subscript(self, node: cst.Subscript) -> bool | None:
        source = self._request_attr(node.value)
        if source not in SOURCES or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = _string(node.slice[0].slice.value)
        if key is None or source in self.dynamic:
            self._upload_alias(node, source)
            return None
        self.consumed.add(id(node.value))
        self._typed(node, source, key, False, required=True, default=None, type_name=None)
        return False

    def _upload_alias(self, node: cst.BaseExpression, source: str) -> None:
        """``f = request.files["f"]`` read through the mapping: ``f`` is still an UploadFile."""
        target = self.assign_target.get(id(node))
        if source == "files" and target:
            self.plan.uploads.add(target)

    def _typed(
        self, node, source: str, key: str, many: bool, *, required: bool, default, type_name: str | None
    ) -> None:
        kind = SOURCES[source]
        if kind in ("form", "file") and self.mixed_bodies:
            self._form_mapping(node.func.value if isinstance(node, cst.Call) else node.value)
            self.plan.replacements.pop(id(node), None)
            self.consumed.discard(id(node.func.value if isinstance(node, cst.Call) else node.value))
            return
        name = self._name_for(key, id(node), body=kind in ("form", "file"))
        base = "UploadFile" if kind == "file" else (type_name or "str")
        uses = {"UploadFile"} if kind == "file" else set()
        marker = {"query": "Query", "form": "Form", "file": "File", "header": "Header", "cookie": "Cookie"}[kind]
        alias = None
        if kind == "header":
            alias = None if key.lower().replace("-", "_") == name else key
        elif name != key:
            alias = key
        if kind == "form" and required and not self._post_only():
            # A GET+POST view reads the field only on POST: optional, and "" like an empty field
            # (FastAPI turns an empty form value into the default, Flask keeps "").
            required, default = False, cst.SimpleString('""')
        if many:
            annotation, value = f"list[{base}]", "[]"
        elif required:
            annotation, value = base, None
        else:
            value = "None" if default is None else _code(default)
            annotation = f"{base} | None" if value == "None" else base
        # Flask's type= gives the default when the value does not convert; FastAPI would answer 400
        lenient = type_name in ("int", "float") and not many and not required and value != "None"
        needs_marker = kind != "query" or many or alias is not None or lenient
        if needs_marker:
            args = f'alias="{alias}"' if alias else ""
            extra = f", or_default({value})" if lenient else ""
            annotation = f"Annotated[{annotation}, {marker}({args}){extra}]"
            uses |= {"Annotated", marker} | ({"or_default"} if lenient else set())
        self._add(node, Param(name, kind, key, annotation, value, frozenset(uses)))

    def _json(self, node: cst.BaseExpression) -> None:
        if self.mixed_bodies or json_reads.lenient(node, self.plan.params):  # read_json: nothing refused before
            name = self._dependency(
                node,
                "json_data" if "json_data" not in self.taken or self.plan.param("json_data") else "json_body",
                "Any",
                "read_json",
            )
            self.plan.uses_request = True  # a body read_json left unparsed (a form): Flask's answer where it is read
            self.plan.replacements[id(node)] = json_reads.as_flask(node, self.request_names[0], name)
            return
        target = self.assign_target.get(id(node))
        name = (
            target
            if target
            and (target not in self.taken or self.plan.param(target) is None)
            and target not in {p.name for p in self.function.params.params}
            else None
        )
        existing = next((p for p in self.plan.params if p.source == "body"), None)
        if existing is not None:
            name = existing.name
        elif name is None:
            name = next(n for n in ("payload", "json_data", "body_data", "json_body") if n not in self.taken)
        self._add(
            node, Param(name, "body", "json", "Annotated[Any, Body()]", "None", frozenset({"Annotated", "Any", "Body"}))
        )
        self.plan.uses_request = True  # the read as Flask made it, where the view made it (json_reads)
        self.plan.replacements[id(node)] = json_reads.as_flask(node, self.request_names[0], name)

    def _raw_body(self, node: cst.BaseExpression, as_text: bool) -> None:
        name = self._dependency(
            node,
            "raw_body" if "raw_body" not in self.taken or self.plan.param("raw_body") else "request_body",
            "bytes",
            "read_body",
        )
        self.plan.replacements[id(node)] = cst.parse_expression(f"{name}.decode()") if as_text else cst.Name(name)

    def visit_Attribute(self, node: cst.Attribute) -> bool | None:
        if id(node) in self.consumed:
            return None
        attr = self._request_attr(node)
        if attr is None:
            return None
        if attr in SOURCES:
            self.dynamic_seen.add(attr)
        r = self._r(node)
        if attr == "json":
            self._json(node)
            return False
        if attr in ("form", "files", "values"):
            self._form_mapping(node, attr)
            return False
        if attr == "data":
            self._raw_body(node, as_text=False)
            return False
        self.plan.uses_request = True
        if attr in DYNAMIC_MAPPINGS:
            self.plan.replacements[id(node)] = cst.parse_expression(DYNAMIC_MAPPINGS[attr].format(r=r))
        elif attr in ATTRIBUTES:
            self.plan.replacements[id(node)] = cst.parse_expression(ATTRIBUTES[attr].format(r=r))
        elif attr in UNSUPPORTED:
            self.plan.todos[id(node)] = UNSUPPORTED[attr]
        else:
            self.plan.todos[id(node)] = no_twin(attr)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.request_names:
            self.plan.uses_request = True  # the request object itself is used (passed on, compared...)

    def visit_StarredDictElement(self, node: cst.StarredDictElement) -> None:
        if self._request_attr(node.value) in ("form", "args"):
            self.plan.todos[id(node.value)] = (
                "**request mapping: Starlette's mappings hold one value per key; pick the fields explicitly"
            )


class _Sources(cst.CSTVisitor):
    def __init__(self, request_names: tuple[str, ...]):
        self.request_names, self.found = request_names, set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value in self.request_names:
            attr = node.attr.value
            self.found.add("json" if attr in ("json", "get_json") else attr)


# what a view another view calls reads from the request itself: its caller hands it no typed parameters
CALLED_VIEW_SOURCES = frozenset({"args", "headers", "cookies"})


def plan(function: cst.FunctionDef, names: tuple, methods: list[str] | None, called=False, replaced=frozenset()):
    whole = (CALLED_VIEW_SOURCES if called else frozenset()) | replaced  # replaced: request.form = ... in a hook
    return Planner(function, names, methods, whole).run()
