"""The async driver packages a program's database URLs need, when the URL is only read at run time.

Flask-SQLAlchemy's ``db`` takes its URL from the app's config (``SQLALCHEMY_DATABASE_URI``), often
``os.getenv("DATABASE_URL", "sqlite:///...")`` in a settings module, sometimes beside the converted package
(``config.py`` at the project's root). The async helper swaps the driver at run time, so the package of that
driver must be installed: the dialects the URLs of the run's files name, those of the files in the folders
above them (up to the project's root), and Flask-SQLAlchemy's own default, ``sqlite:///:memory:`` (the URL
is config: production may name Postgres where the tests set SQLite from the environment). A plain engine on a
URL read at run time (``create_engine(db_url)`` in a function) gets the same search, without the default.
"""

from __future__ import annotations

from pathlib import Path

from codemods.sqlalchemy_to_async import urls

DEFAULT_URL = "sqlite://"  # Flask-SQLAlchemy's default SQLALCHEMY_DATABASE_URI (in memory)
AROUND = ("*.py", ".env", ".flaskenv", "*.cfg", "*.ini", "*.env")  # what a project's settings live in
LEVELS = 3  # folders above a run's file asked, at most (each stops at the project's root)


def named_in(text: str) -> list[str]:
    """The async driver packages of the database URLs in ``text``, in order."""
    found: list[str] = []
    for match in urls._SCHEME_IN_TEXT.finditer(text):
        converted = urls.async_url(match.group(0))
        if converted and converted[1] and converted[1] not in found:
            found.append(converted[1])
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _folders_above(files: list[Path]) -> list[Path]:
    """The folders above the run's files, nearest first, each chain stopping at the project's root."""
    seen: list[Path] = []
    for file in files:
        for level, folder in enumerate(file.parents):
            if level > LEVELS:
                break
            if folder not in seen:
                seen.append(folder)
            if (folder / ".git").exists() or (folder / "pyproject.toml").exists():
                break
    return seen


def for_flask_db(sources: list[str]) -> list[str]:
    """Driver packages for a Flask-SQLAlchemy ``db`` whose URL is config: named in the run, else around it."""
    found = around(sources)
    return found + [p for p in named_in(DEFAULT_URL) if p not in found]


def around(sources: list[str]) -> list[str]:
    """Driver packages of the URLs the run's files name, and the files in the folders above them: where an
    engine's URL read at run time (a function's parameter, a config key) most likely comes from."""
    files = [Path(s) for s in sources]
    found: list[str] = []
    for text in map(_read, files):
        found += [p for p in named_in(text) if p not in found]
    run = {f.resolve() for f in files}
    for folder in _folders_above(files):
        for pattern in AROUND:
            for path in sorted(folder.glob(pattern)):
                if path.resolve() not in run and path.is_file():
                    found += [p for p in named_in(_read(path)) if p not in found]
    return found
