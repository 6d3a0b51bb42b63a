"""A converted blueprint's ``name`` read (``bp.name + "." + view.endpoint``, as code naming an endpoint builds it):
its APIRouter has no ``name`` (AttributeError). The run knows each blueprint's own name (``Blueprint("api", ...)``,
here or in the module it is imported from, at the top or inside a function), so the read becomes that literal. A
blueprint whose name is not a literal keeps the read."""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import url_prefixes
from codemods.flask_to_fastapi.analysis import Analysis
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import string_literal


def reads(module: cst.Module) -> set[int]:
    """The ids of ``module``'s ``x.name`` reads (not assignments)."""
    return url_prefixes.reads(module, "name")


def read(analysis: Analysis, attribute: cst.Attribute) -> cst.SimpleString | None:
    """The blueprint's name for ``bp.name`` where ``bp`` is a blueprint of the run with a literal name."""
    owner = analysis.objects.get(dotted(attribute.value) or "")
    if owner is None or owner.kind != "router" or owner.blueprint is None:
        return None
    return string_literal(owner.blueprint).with_changes(lpar=attribute.lpar, rpar=attribute.rpar)
