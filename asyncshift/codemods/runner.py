"""Apply one codemod to many files: pre-check, parse once, transform, re-parse, then write atomically.

A file that does not parse, or a transform whose output does not parse, is reported and left
alone; the run always goes on. Workers only compute; the parent process does every write.
A file is read in its PEP 263 encoding and written back in it, BOM and line endings as they were.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import sys
import tempfile
import tokenize
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import libcst as cst

from codemods import registry
from codemods.base import TODO_MARKER, Notes
from codemods.files import Target, discover

CHANGED, UNCHANGED, SKIPPED, FAILED = "changed", "unchanged", "skipped", "failed"


@dataclass
class FileResult:
    """What happened to one file; ``after`` is set only when it changed."""

    path: str
    relative: str
    status: str
    lines: int = 0
    todos: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    before: str | None = None
    after: str | None = None
    extras: dict[str, str] = field(default_factory=dict)  # files the transform asked for, by relative path
    requirements: list[str] = field(default_factory=list)  # PEP 508 strings the new code needs installed
    encoding: str = "utf-8"  # as ``tokenize.detect_encoding`` found it (``utf-8-sig``: a BOM)

    def as_json(self) -> dict:
        data = {"path": self.path, "status": self.status, "lines": self.lines, "todos": self.todos}
        if self.error:
            data["error"] = self.error
        if self.notes:
            data["notes"] = self.notes
        if self.requirements:
            data["requirements"] = self.requirements
        if self.extras:
            data["extra_files"] = sorted(self.extras)
        return data


@dataclass
class ExtraFile:
    """A file a transform asked for beside a converted one (a helper module); ``before`` is what was there."""

    relative: str
    path: Path
    text: str
    before: str | None = None
    mode: int | None = None  # of the converted file beside it, for a new file

    @property
    def status(self) -> str:
        return "added" if self.before is None else ("updated" if self.before != self.text else "unchanged")


def _decode(path: Path) -> tuple[str, str]:
    """The text (line endings untouched) and the encoding it is in: the PEP 263 declaration, a BOM, or UTF-8."""
    data = path.read_bytes()
    lines = iter(data.splitlines(keepends=True))
    encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
    return data.decode(encoding), encoding


def _read(path: Path) -> str:
    return _decode(path)[0]


def _same_endings(source: str, after: str) -> str:
    """A file whose every line ends in CRLF keeps doing so, lines the codemod added included."""
    if "\n" in source and source.count("\n") == source.count("\r\n"):
        return after.replace("\r\n", "\n").replace("\n", "\r\n")
    return after


def _convert(codemod, module: cst.Module, notes: Notes) -> str:
    return codemod.transform(module, notes).code


def _syntax_error(path: str, exc: Exception) -> str:
    line = getattr(exc, "raw_line", None) or getattr(exc, "lineno", None) or 1
    message = getattr(exc, "message", None) or getattr(exc, "msg", None) or str(exc)
    first = str(message).strip().splitlines()[0] if str(message).strip() else type(exc).__name__
    return f"{path}:{line}: {first}"


def process(codemod_name: str, target: Target, project: object = None) -> FileResult:
    """Everything that happens to one file, without writing it (runs in a worker)."""
    codemod = registry.get(codemod_name)
    path = str(target.path)
    result = FileResult(path, target.relative.as_posix(), SKIPPED)
    try:
        source, result.encoding = _decode(target.path)
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
        result.status, result.error = FAILED, f"{path}:1: cannot read: {exc}"
        return result
    result.lines = source.count("\n") + 1
    result.todos = source.count(TODO_MARKER)
    if not codemod.may_apply(source, project, result.relative):
        return result
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as exc:
        result.status, result.error = FAILED, _syntax_error(path, exc)
        return result
    notes = Notes(path=result.relative, source=path, project=project)
    try:
        after = _same_endings(source, _convert(codemod, module, notes))
    except Exception as exc:  # a transform bug must not stop the run
        result.status, result.error = FAILED, f"{path}:1: {codemod_name} crashed: {type(exc).__name__}: {exc}"
        return result
    result.notes = notes.messages
    if after == source:
        result.status = UNCHANGED
        return result
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(after, path, "exec", dont_inherit=True)  # also catches 'await' outside async def
    except SyntaxError as exc:
        result.status = FAILED
        result.error = f"{path}:{exc.lineno}: {codemod_name} produced invalid Python ({exc.msg}); file left alone"
        return result
    try:
        after.encode(result.encoding)
    except UnicodeEncodeError as exc:
        line = after.count("\n", 0, exc.start) + 1
        result.status = FAILED
        result.error = f"{path}:{line}: converted text cannot be written in {result.encoding}; file left alone"
        return result
    bom = "\ufeff" if result.encoding == "utf-8-sig" else ""  # in the texts, so a --diff patch keeps it
    result.status, result.before, result.after = CHANGED, bom + source, bom + after
    result.requirements = sorted(getattr(notes, "requirements", ()))
    result.todos = after.count(TODO_MARKER)
    folder = PurePosixPath(result.relative).parent
    result.extras = {posixpath.normpath((folder / name).as_posix()): text for name, text in notes.files.items()}
    return result


def _default_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def write_atomic(path: Path, text: str | bytes, *, encoding: str = "utf-8", mode: int | None = None) -> None:
    """Write via a temporary file in the same folder and ``os.replace``: never a half-written file.

    An existing file keeps its mode; a new one gets ``mode``, else what ``open`` would give it (not 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode(encoding)
    mode = _mode(path) if path.exists() else mode
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, _default_mode() if mode is None else mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _results(codemod_name: str, targets: list[Target], jobs: int, context: list[Target]) -> Iterable[FileResult]:
    discover = registry.get(codemod_name).discover
    project = discover([(t.relative.as_posix(), str(t.path)) for t in context]) if discover else None
    if jobs <= 1 or len(targets) < 2:
        for target in targets:
            yield process(codemod_name, target, project)
        return
    from concurrent.futures import ProcessPoolExecutor  # here: multiprocessing costs a one-job run's start-up

    chunk = max(1, min(32, len(targets) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(process, [codemod_name] * len(targets), targets, [project] * len(targets), chunksize=chunk)


@dataclass
class RunResult:
    """Every file's result, in input order, plus the totals the summary prints."""

    codemod: str
    files: list[FileResult]
    wrote: bool
    extras: list[ExtraFile] = field(default_factory=list)
    twins: list[dict] | None = None  # twin mode: old/new folders, module and class pairs (``twin.Twin.as_json``)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def todos(self) -> int:
        return sum(f.todos for f in self.files)

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.files)

    @property
    def added(self) -> int:
        """Extra files that are new or refreshed (unchanged ones are not counted)."""
        return sum(1 for e in self.extras if e.status != "unchanged")

    @property
    def requirements(self) -> list[str]:
        """What the changed files need installed, one PEP 508 string per package (the highest minimum wins)."""
        return merge_requirements(r for f in self.files if f.status == CHANGED for r in f.requirements)

    def as_json(self) -> dict:
        return {
            "codemod": self.codemod,
            "summary": {s: self.count(s) for s in (CHANGED, UNCHANGED, SKIPPED, FAILED)}
            | {"todos": self.todos, "added": self.added},
            "files_written": self.wrote,
            "requirements": self.requirements,
            "files": [f.as_json() for f in self.files],
        } | ({"twins": self.twins} if self.twins is not None else {})


def merge_requirements(requirements: Iterable[str]) -> list[str]:
    """``name>=version`` strings merged by package name (case and ``-``/``_`` ignored), sorted."""
    best: dict[str, tuple[tuple, str]] = {}
    for text in requirements:
        name, _, version = text.partition(">=")
        key = name.strip().lower().replace("_", "-")
        floor, _, bound = version.partition(",")  # ``sqlalchemy>=1.4,<2.0``: the floor, and held beats open at it
        rank = (tuple(int(p) if p.isdigit() else 0 for p in floor.strip().split(".")), bool(bound)) if version else ()
        if key not in best or rank > best[key][0]:
            best[key] = (rank, text.strip())
    return [best[key][1] for key in sorted(best)]


def run(
    codemod_name: str,
    paths: list[str | Path],
    *,
    write: bool = True,
    out: Path | None = None,
    jobs: int = 1,
    on_result: Callable[[int, int, FileResult], None] | None = None,
    within: list[Path] | None = None,
) -> RunResult:
    """Process every file under ``paths``; write changed files in place, or all files under ``out``.

    ``within`` (twin mode): only files under those folders are processed; the others are context for the
    codemod's first pass (the whole program), never written."""
    registry.get(codemod_name)  # fail fast on an unknown name
    found = discover(paths, everything=out is not None)
    if out is not None:  # an output folder inside a given path is not input (a second run would nest it)
        inside = out.resolve()
        found = [t for t in found if inside not in t.path.resolve().parents]
    context = [t for t in found if t.convert]
    folders = [w.resolve() for w in within or ()]
    targets = context if within is None else [t for t in context if any(f in t.path.resolve().parents for f in folders)]
    results: list[FileResult] = []
    for index, result in enumerate(_results(codemod_name, targets, jobs, context), 1):
        results.append(result)
        if write:
            _write(result, out)
        if on_result:
            on_result(index, len(targets), result)
    if write and out is not None:  # the output tree is complete: every file not converted, as it is
        for target in found:
            if not target.convert:
                _copy(target.path, out / target.relative)
    extras = _extras(results, out)
    if write:
        for extra in extras:  # after every copy, so a stale copy under --out never wins
            if extra.status != "unchanged":
                write_atomic(extra.path, extra.text, mode=extra.mode)
    return RunResult(codemod_name, results, write, extras)


def _extras(results: list[FileResult], out: Path | None) -> list[ExtraFile]:
    """One entry per extra file asked for (several files may ask for the same helper). Keyed by where
    it lands: two paths given to one run may each ask for a helper of the same relative name."""
    found: dict[Path, ExtraFile] = {}
    for result in results:
        for relative, text in result.extras.items():
            depth = len(PurePosixPath(result.relative).parts)
            root = Path(result.path).parents[depth - 1] if out is None else out
            path = Path(os.path.normpath(root / relative))  # ``../pytest.ini``: a project file above a path given
            if out is not None and out.resolve() not in path.resolve().parents:
                # a project file above the paths given (the pytest config): not part of the output tree
                note = f"{relative}: outside the paths given; not written under --out"
                if note not in result.notes:
                    result.notes.append(note)
                continue
            if path in found:
                continue
            try:
                before = _read(path) if path.exists() else None
            except (OSError, UnicodeDecodeError, SyntaxError):
                before = None
            found[path] = ExtraFile(relative, path, text, before, _mode(Path(result.path)))
    return list(found.values())


def _write(result: FileResult, out: Path | None) -> None:
    source = Path(result.path)
    if result.status == CHANGED:
        target = source if out is None else out / result.relative
        encoding = "utf-8" if result.encoding == "utf-8-sig" else result.encoding  # the BOM is in the text
        write_atomic(target, result.after, encoding=encoding, mode=_mode(source))
    elif out is not None:
        _copy(source, out / result.relative)


def _copy(source: Path, target: Path) -> None:
    """Byte for byte, mode kept; a file that cannot be read at all is left out."""
    try:
        data = source.read_bytes()
    except OSError:
        return
    if target.exists() and target.read_bytes() == data:
        shutil.copymode(source, target)
        return
    write_atomic(target, data, mode=_mode(source))
    shutil.copymode(source, target)


def progress_printer(stream=sys.stderr) -> Callable[[int, int, FileResult], None] | None:
    """A one-line progress counter on a terminal, for runs long enough to need one."""
    if not stream.isatty():
        return None

    def show(index: int, total: int, result: FileResult) -> None:
        if total < 50:
            return
        end = "\n" if index == total else ""
        stream.write(f"\r{index}/{total} files\x1b[K{end}")
        stream.flush()

    return show
