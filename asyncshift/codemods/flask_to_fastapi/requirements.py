"""What converted code needs installed, as PEP 508 strings for the report's ``requirements``.

Read from what the converted module imports (FastAPI, uvicorn, the helpers written with it) and the
names it uses (a form field needs python-multipart), so an app never meets a missing package at import.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

from codemods.base import Notes
from codemods.flask_to_fastapi import sqlalchemy_companions
from codemods.nearest import nearest
from codemods.typer_to_asyncclick.pins import _candidates as _top_candidates  # requirements*.txt, pyproject, setup

FASTAPI = "fastapi>=0.100"
MULTIPART = "python-multipart>=0.0.9"  # Starlette parses forms and uploads with it
SESSIONS = "itsdangerous>=1.1"  # Starlette's signed-cookie sessions
# FastAPI's OpenAPI models take pydantic's EmailStr when email_validator imports, and pydantic 2 refuses one
# older than 2.0 there: ``import fastapi`` fails in a project that pins it (WTForms' Email() users) below 2.0
EMAIL_VALIDATOR = "email-validator>=2.0"
EMAIL_VALIDATOR_NOTE = (
    "email-validator 2 (FastAPI needs it) refuses addresses at special-use domains 1.x took (.test, .local, "
    ".localhost, .invalid, .onion, .arpa: email_validator.SPECIAL_USE_DOMAIN_NAMES): check WTForms' Email() fields"
)
BY_IMPORT = {
    "fastapi": (FASTAPI,),
    "starlette": (FASTAPI,),
    "uvicorn": ("uvicorn>=0.20",),
    "markupsafe": ("markupsafe>=1.1",),
    "typing_extensions": ("typing-extensions>=4.0",),  # Annotated on Python 3.8
    "_flask_compat": (FASTAPI, "jinja2>=2.10", SESSIONS),
    "_flask_sqlalchemy": (FASTAPI, "sqlalchemy>=1.4"),
    "_flask_wtf": (FASTAPI, "wtforms>=2.2", MULTIPART, SESSIONS),
}
BY_NAME = {
    **dict.fromkeys(
        (
            "Form",
            "File",
            "UploadFile",
            "FormData",
            "read_form",
            "request_form",
            "request_files",
            "read_values",
            "request_values",
        ),
        MULTIPART,
    ),
    "or_default": "pydantic>=2",  # its WrapValidator
    "init_app": "uvicorn>=0.20",  # a FastAPI app is served by an ASGI server
    "init_app_helper": "uvicorn>=0.20",  # the same, imported under another name (Conversion.injected)
}


def imported(code: str) -> set[str]:
    """The top-level modules a module imports, relative ones by their first name (``._flask_compat``)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def declare(code: str, needs: set[str] | frozenset, notes: Notes) -> None:
    """Add to ``notes.requirements`` what the converted ``code`` (using ``needs``) must have installed."""
    wanted = set()
    for module in imported(code):
        wanted.update(BY_IMPORT.get(module, ()))
    wanted.update(BY_NAME[name] for name in needs if name in BY_NAME)
    source = getattr(notes, "source", None)
    folder = str(Path(source).resolve().parent) if source else None
    if FASTAPI in wanted and folder and any(project_pins(folder, n) for n in ("email-validator", "email_validator")):
        wanted.add(EMAIL_VALIDATOR)
        _note(notes, EMAIL_VALIDATOR_NOTE)
    wanted |= sqlalchemy_companions.alongside(wanted, lambda name: folder and project_pins(folder, name))
    if hasattr(notes, "requirements"):
        declared = {r for r in (_against_pins(r, source, notes) for r in wanted) if r is not None}
        declared = sqlalchemy_companions.capped(declared, lambda name: folder and project_pins(folder, name), notes)
        notes.requirements.update(declared | _markupsafe_for_jinja2(declared, folder, notes))


MARKUPSAFE_FOR_JINJA2 = "markupsafe~=1.1.1"


def _markupsafe_for_jinja2(declared: set[str], folder: str | None, notes: Notes) -> set[str]:
    """A project pin of Jinja2 moved up to a 2.x line (``jinja2~=2.10.0``) drags a MarkupSafe pinned below 0.23 (that
    Jinja2's floor): pip took the newest MarkupSafe, whose 2.1 removed the ``soft_unicode`` Jinja2 2.x imports (the
    converted app failed at import). Declared at MarkupSafe's last release line of Jinja2 2's time instead."""
    if not folder or not any(r.lower().startswith("jinja2~=2.") for r in declared):
        return set()
    pins = project_pins(folder, "markupsafe")
    if not any(op in ("==", "===", "~=", "<", "<=") and _version(v) < (0, 23) for op, v in pins):
        return set()
    shown = ", ".join(op + v for op, v in pins)
    _note(notes, f"markupsafe: move the project's pin ({shown}) to {MARKUPSAFE_FOR_JINJA2}: Jinja2 2.x needs 0.23+")
    return {MARKUPSAFE_FOR_JINJA2}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _against_pins(requirement: str, source: str | None, notes: Notes) -> str | None:
    """What to declare for ``name>=floor``: nothing when the project's own pin already meets it (a looser spec
    would let pip move the app past what its other pins support); a pin below the floor is named, to move,
    and only as far as the floor's own release line (``~=1.4.0``) when the project holds it to one line."""
    name, floor = requirement.split(">=")
    pins = project_pins(str(Path(source).resolve().parent), name) if source else []
    if not pins:
        return requirement
    need = _version(floor)
    shown = ", ".join(op + v for op, v in pins)
    exact = [_version(v) for op, v in pins if op in ("==", "===", "~=")]
    lows = [_version(v) for op, v in pins if op in (">=", ">")]
    too_low = (
        any(v < need for v in exact)
        or any(_version(v) <= need for op, v in pins if op == "<")
        or any(_version(v) < need for op, v in pins if op == "<=")
        or (not exact and lows and max(lows) < need)
    )
    if too_low:
        held = exact or any(op in ("<", "<=") for op, _ in pins)  # the project stays on one line: move least
        line = ".".join(map(str, need[:3])) if len(need) >= 3 else ".".join(map(str, need[:2])) + ".0"  # ~=1.5.7
        moved = f"{name}~={line}" if held and len(need) >= 2 else requirement
        _note(notes, f"{name}: move the project's pin ({shown}) to {moved}: the converted code needs {requirement}")
        return moved
    if exact or lows:
        _note(notes, f"{name}: the project's pin ({shown}) already meets {requirement}; nothing more declared")
        return None
    return requirement  # an upper bound only: the floor is still to declare, within it


def _note(notes: Notes, message: str) -> None:
    if hasattr(notes, "note"):
        notes.note(message)


_PIN = r"(?<![\w.-]){name}(?:\[[^\]]*\])?\s*((?:\s*(?:===|==|~=|>=|<=|!=|<|>)\s*v?[\d.*]+\s*,?)+)"


def _candidates(directory: Path) -> list[Path]:
    """The pin files of a folder, and those of its ``requirements/`` folder (``requirements/common.txt``)."""
    nested = directory / "requirements"
    return _top_candidates(directory) + (sorted(nested.glob("*.txt")) if nested.is_dir() else [])


_LOCKED = re.compile(r'^name = "([\w.-]+)"\s*\nversion = "([\w.!+-]+)"', re.MULTILINE)


def _pin_text(path: Path) -> str:
    """A pin file's text; a ``Pipfile.lock`` (JSON: ``"flask": {"version": "==1.0.2"}``) as ``flask==1.0.2`` lines,
    and so a ``poetry.lock``'s or ``uv.lock``'s packages (``name = "flask"`` then ``version = "1.0.2"``)."""
    text = path.read_text(errors="replace")
    if path.name in ("poetry.lock", "uv.lock"):
        return "\n".join(f"{name}=={version}" for name, version in _LOCKED.findall(text))
    if path.name != "Pipfile.lock":
        return text
    try:
        lock = json.loads(text)
    except ValueError:
        return ""
    parts = [lock.get(part) for part in ("default", "develop")]
    return "\n".join(
        f"{name}{pin['version']}"
        for part in parts
        if isinstance(part, dict)
        for name, pin in part.items()
        if isinstance(pin, dict) and isinstance(pin.get("version"), str)
    )


@functools.cache
def project_pins(folder: str, name: str) -> list[tuple[str, str]]:
    """``[("==", "2.11.3")]``: how the project around ``folder`` pins ``name``, from its nearest pin files."""
    pattern = re.compile(_PIN.format(name=re.escape(name)), re.IGNORECASE)

    def pins_in(directory: Path) -> list[tuple[str, str]] | None:
        found = [
            (op, v)
            for text in (_pin_text(p) for p in _candidates(directory))
            for spec in pattern.findall(text)
            for op, v in re.findall(r"(===|==|~=|>=|<=|!=|<|>)\s*v?([\d.*]+)", spec)
        ]
        return found or None

    return nearest(folder, pins_in) or []
