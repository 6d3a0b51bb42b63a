"""What converted code needs installed, as PEP 508 strings for the report's ``requirements``.

Read from what the converted module imports (FastAPI, uvicorn, the helpers written with it) and the
names it uses (a form field needs python-multipart), so an app never meets a missing package at import.
"""

from __future__ import annotations

import ast

from codemods.base import Notes

FASTAPI = "fastapi>=0.100"
MULTIPART = "python-multipart>=0.0.9"  # Starlette parses forms and uploads with it
SESSIONS = "itsdangerous>=1.1"  # Starlette's signed-cookie sessions
BY_IMPORT = {
    "fastapi": (FASTAPI,),
    "starlette": (FASTAPI,),
    "uvicorn": ("uvicorn>=0.20",),
    "markupsafe": ("markupsafe>=1.1",),
    "_flask_compat": (FASTAPI, "jinja2>=2.10", SESSIONS),
    "_flask_sqlalchemy": (FASTAPI, "sqlalchemy>=1.4"),
    "_flask_wtf": (FASTAPI, "wtforms>=2.2", MULTIPART, SESSIONS),
}
BY_NAME = {
    **dict.fromkeys(
        ("Form", "File", "UploadFile", "FormData", "read_form", "request_form", "request_files"), MULTIPART
    ),
    "or_default": "pydantic>=2",  # its WrapValidator
    "init_app": "uvicorn>=0.20",  # a FastAPI app is served by an ASGI server
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
    if hasattr(notes, "requirements"):
        notes.requirements.update(wanted)
