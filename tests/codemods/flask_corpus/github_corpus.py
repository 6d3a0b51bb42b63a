"""Measure flask-to-fastapi on real Flask applications from GitHub, each at a pinned commit, in its own venv.

The apps are listed in ``github_apps.toml`` (repository, commit, Python, the requirement files the app
pins, what to convert, its own tests). Each is exported from the local mirror the search tool's ``fetch``
brings (``/work/.mirror/OWNER+NAME/``; a missing one is named with the call that brings it), converted
with ``asyncshift codemod run flask-to-fastapi`` (or a chain, each codemod on the output of the one
before: ``CORPUS_CODEMODS=flask-to-fastapi,sqlalchemy-to-async``, see ``github_chain.py``), and its own
tests run with the recorder plugin (``recorder.py``): twice on the original, in a venv with the app's pins
only, and on the conversion, in a copy of that venv plus only what the conversion reports declare
(``requirements``). A field that differs between the original's two runs (a JWT, a timestamp) is noise and
not compared (``noise.py``). The two venvs also get the harness: pytest, the test client's starlette/httpx
and ``asyncshift`` itself (editable).

Per app: imports (the converted app builds), serves (a real route answers the conversion as it answered
the original, ``serving.py``), requests same/total, requests with noisy fields, differing requests whose
view lives in a module with no TODO (silent breakage), requests differing only in a JSON list's order
(order only: an unordered listing, neither same nor silent), TODOs; the codemods that ran and the DB-backed
routes that are async on the AsyncSession. Exit 1 when any app failed. Venvs are cached under
``~/.cache/asyncshift/github-corpus/`` keyed by app and commit. Never run by CI or pytest (it pip-installs).

    [CORPUS_CODEMODS=A,B] [CORPUS_WARNINGS=ignore] python tests/codemods/flask_corpus/github_corpus.py [NAME...]
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CACHE = Path(os.environ.get("ASYNCSHIFT_GITHUB_CORPUS", "~/.cache/asyncshift/github-corpus")).expanduser()
sys.path.insert(0, str(HERE))

import suite_warnings  # noqa: E402
from github_chain import DbRoutes, codemods, convert, db_routes  # noqa: E402
from github_probes import _PATHS_PLUGIN, _PROBE, _VIEWS  # noqa: E402
from github_venvs import converted_venv, export, original_venv  # noqa: E402
from measure import count_routes, read_run  # noqa: E402
from noise import compare  # noqa: E402
from serving import Serving, _real, from_test_answers  # noqa: E402


@dataclass
class App:
    name: str
    repo: str
    commit: str
    python: str
    requirements: list[str]  # the app's own pin files, relative to root
    convert: list[str]  # converted paths, relative to root
    tests: list[str]
    target: str  # module:attribute (an app, or a factory called with args)
    root: str = ""  # the app's folder inside the repository
    args: list = field(default_factory=list)
    pip: list[str] = field(default_factory=list)  # what the app's tests need and no pin file names
    drop: list[str] = field(default_factory=list)  # pins left out: never imported by the app or its tests
    create: dict = field(default_factory=dict)  # files the app's front-end build writes (path: content)
    build: list[str] = field(default_factory=list)  # constraints for building old sdists (setuptools<58: use_2to3)
    env: dict = field(default_factory=dict)
    pytest_args: list[str] = field(default_factory=list)
    serial: bool = False  # its tests share a service's state (a Redis database they name): runs one at a time
    template: dict = field(default_factory=dict)  # a cookiecutter template's answers: the app is what it renders
    submodules: dict = field(default_factory=dict)  # a git submodule's folder: the repository its mirror is of
    post_install: list[list[str]] = field(default_factory=list)  # pip calls run last in both venvs (their arguments)
    path: list[str] = field(default_factory=list)  # folders of the app put on sys.path after its root (a src layout)
    about: str = ""


@dataclass
class Result:
    name: str
    imports: bool = False
    serving: Serving = field(default_factory=Serving)
    requests: int = 0
    same: int = 0
    noisy: int = 0  # requests with a field that differed between the original's two runs (not compared)
    strict: int = 0  # requests the same with every field compared, noise or not: what the noise rule gave
    lost: list[str] = field(default_factory=list)  # tests that pass on the original and not converted
    passed: tuple[int, int] = (0, 0)  # the app's own tests passing on the original and on the conversion
    silent: list[str] = field(default_factory=list)  # differing requests whose view module has no TODO
    order_only: list[str] = field(default_factory=list)  # requests whose JSON differs only in a list's order
    differences: list[str] = field(default_factory=list)
    todos: int = 0
    routes: int = 0
    routes_with_todo: int = 0
    failed_files: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)  # the app's pins the declared requirements moved
    reasons: list[str] = field(default_factory=list)
    warnings: tuple[int, int] = (0, 0)  # warnings pytest counted on the original's first run and the converted one
    never_awaited: list[str] = field(default_factory=list)  # coroutines the converted tests' run dropped, by name
    error: str = ""
    raised: list[str] = field(default_factory=list)  # the converted app's server tracebacks: last lines (recorder)
    codemods: list[str] = field(default_factory=list)  # the chain that ran, in order
    db_routes: DbRoutes = field(default_factory=DbRoutes)

    @property
    def serves(self) -> bool:
        return self.serving.serves


def load_apps() -> list[App]:
    data = tomllib.loads((HERE / "github_apps.toml").read_text())
    return [App(**entry) for entry in data["app"]]


# -- measuring ----------------------------------------------------------------------------------------


HASH_SEED = "0"  # PYTHONHASHSEED of every run of an app


def _env(app: App, folder: Path, **extra: str) -> dict:
    """The app's environment; the toolkit (the test client) from the checkout this script sits in, whichever
    checkout the venv's editable install names, so an export of a commit measures that commit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    inner = [str(folder / p) for p in app.path]  # as pytest's pythonpath option: the probe imports the app there too
    path = os.pathsep.join([str(folder), *inner, str(HERE), str(ROOT / "asyncshift")])
    # one hash seed for every run (the original's two, the conversion's): a set's order (list(set(tags)) written to a
    # row) is then the same in each as long as the code does the same; with Python's per-process seed the two runs of
    # the original agreed on it only here and there, and the conversion differed where they agreed by chance
    seed = {"PYTHONHASHSEED": HASH_SEED}
    return {**env, "COLUMNS": "2000", "PYTHONPATH": path, **seed, **app.env, **extra}


def _run_python(venv: Path, code: str, args: list[str], app: App, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env=_env(app, folder),
        timeout=300,
    )


def probe(venv: Path, mode: str, app: App, folder: Path, paths: str) -> tuple[bool, dict, str]:
    """Import the app (``imports``), then ask it ``paths``; the last line of a failure."""
    done = _run_python(
        venv,
        _PROBE,
        [mode, app.target, json.dumps(app.args), paths, str(HERE.parent / "flask_to_fastapi")],
        app,
        folder,
    )
    imported = "IMPORTED" in done.stdout
    if done.returncode:
        return imported, {}, (done.stderr.strip().splitlines() or ["?"])[-1][:300]
    return imported, json.loads(done.stdout.strip().splitlines()[-1]), ""


def run_tests(venv: Path, app: App, folder: Path, mode: str, out: Path) -> tuple[dict, dict, str, str]:
    plugin = out.parent / "corpus_paths.py"
    if not plugin.exists():  # two runs may start at once: never rewrite it under the other's import
        plugin.write_text(_PATHS_PLUGIN)
    env = _env(app, folder, CORPUS_MODE=mode, CORPUS_OUT=str(out))
    env["PYTHONPATH"] += os.pathsep + str(out.parent)
    try:
        done = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pytest",
                "-q",
                "-rf",
                "-p",
                "recorder",
                "-p",
                "corpus_paths",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(folder),
                *suite_warnings.pytest_args(),  # the same for the original and the conversion
                *app.pytest_args,
                *app.tests,
            ],
            env=env,
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=1500,
        )
    except subprocess.TimeoutExpired:
        return {}, {}, "", f"{mode} test run timed out"
    out.with_suffix(".log").write_text(done.stdout + done.stderr)
    records, failed = read_run(out, done.returncode, done.stdout + done.stderr, mode)
    paths_file = Path(f"{out}.paths")
    paths = json.loads(paths_file.read_text()) if paths_file.exists() else {}
    return records, paths, done.stdout + done.stderr, failed


HELPER_NOTE = "(written with the converted code)"  # the helper import's TODO: every module importing it has one


def _todo_modules(converted: Path) -> dict[str, int]:
    """TODO count of each converted module, by dotted name relative to the app's folder; the note above the helper's
    import is left out (it names no line: a module with it alone has no TODO where its answers differ)."""
    found = {}
    for path in converted.rglob("*.py"):
        relative = path.relative_to(converted).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        lines = path.read_text(errors="replace").splitlines()
        found[".".join(parts)] = sum("TODO(asyncshift)" in line and HELPER_NOTE not in line for line in lines)
    return found


def measure(app: App, work: Path) -> Result:
    result = Result(app.name)
    folder = work / app.name
    source = export(app, folder / "checkout")
    original, converted = folder / "original", folder / "converted"
    for relative, content in app.create.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text(content)
    shutil.copytree(source, original, symlinks=True)
    again = folder / "again" / "original"  # the original's second run, on a copy no test has written to yet
    shutil.copytree(source, again, symlinks=True)
    result.codemods = codemods()
    files, result.requirements, stages = convert(app, original, converted, result.codemods, source)
    result.db_routes = db_routes(stages)
    result.failed_files = [f"{f['path']}: {f.get('error', '?')}" for f in files if f["status"] == "failed"]
    for file in files:
        path = converted / Path(file["path"]).relative_to(original)
        if path.suffix == ".py" and path.exists():
            text = path.read_text()
            try:
                routes, with_todo = count_routes(text)
            except SyntaxError as exc:
                result.failed_files.append(f"{path}: converted file does not parse: {exc}")
                routes = with_todo = 0
            result.routes += routes
            result.routes_with_todo += with_todo
            result.todos += text.count("TODO(asyncshift)")
    before_venv = original_venv(app, source)
    after_venv, result.upgraded = converted_venv(before_venv, result.requirements, app.post_install)

    ok, asked, error = probe(before_venv, "flask", app, original, "map")
    if error:
        result.error = f"the original does not import: {error}"
        return result
    real = sorted(path for path, answer in asked.items() if _real(answer))
    result.imports, got, error = probe(after_venv, "fastapi", app, converted, json.dumps(real))
    probed = Serving(asked=real, same=[p for p in real if got.get(p) == asked[p]], error=error)
    if not real:
        probed.error = "no argument-free GET route answers the original for real (probe without test data)"

    before, before_paths, first, failed_before = run_tests(before_venv, app, original, "flask", folder / "flask.json")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:  # independent folders, venvs and files
        second = pool.submit(run_tests, before_venv, app, again, "flask", folder / "flask-again.json")
        if app.serial:  # but one service's state, which the tests name (a Redis database): one run at a time
            second.result()
        after, _, output, failed_after = run_tests(after_venv, app, converted, "fastapi", folder / "fastapi.json")
        before_again = second.result()[0]
    passed = {nodeid for nodeid, outcome in before.get("__outcomes__", []) if outcome == "passed"}
    if not passed and not failed_before:
        failed_before = "flask test run: no test passed on the original"
    converted_passed = {nodeid for nodeid, outcome in after.get("__outcomes__", []) if outcome == "passed"}
    result.lost = sorted(passed - converted_passed)  # what their assertions judge: headers, bodies not recorded
    result.passed = (len(passed), len(converted_passed))
    result.error = failed_before or failed_after
    differing = []
    raised = {(test, index): last for test, index, _, last in after.get("__tracebacks__", [])}
    result.raised = [last for *_, last in after.get("__tracebacks__", [])]
    for test, answers in before.items():
        if test.startswith("__") or test not in passed:
            continue
        theirs, twice = after.get(test, []), before_again.get(test, [])
        for index, answer in enumerate(answers):
            result.requests += 1
            verdict = compare(
                answer, twice[index] if index < len(twice) else None, theirs[index] if index < len(theirs) else None
            )
            result.noisy += bool(verdict.noisy)
            result.strict += index < len(theirs) and theirs[index] == answer
            if verdict.same:
                result.same += 1
                continue
            got_answer = theirs[index] if index < len(theirs) else "no request"
            request = (before_paths.get(test) or [])[index : index + 1] or [["?", "?"]]
            shown = got_answer[:2] if isinstance(got_answer, list) else got_answer
            cause = f" raised {raised[test, index]}" if (test, index) in raised else ""  # fastapi.tracebacks.log
            line = f"{test} #{index} {' '.join(request[0])}: flask {answer[:2]} fastapi {shown}{cause}"
            if verdict.order_only:  # an unordered listing: neither the same nor silent (noise.py)
                result.order_only.append(line)
                continue
            differing.append((request[0], line))
    result.differences = [line for _, line in differing]
    if differing:
        done = _run_python(
            before_venv,
            _VIEWS,
            [app.target, json.dumps(app.args), json.dumps([r for r, _ in differing])],
            app,
            original,
        )
        modules = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else [""] * len(differing)
        todos = _todo_modules(converted)
        for (_, line), module in zip(differing, modules, strict=False):
            # an app's own module without a TODO whose answer came and differs (not a crash: "no request")
            if module in todos and todos[module] == 0 and "fastapi no request" not in line:
                result.silent.append(f"{line} (view in {module}, no TODO)")
    tests_serving = from_test_answers(before, after, passed, before_again)
    result.serving = tests_serving if tests_serving.same or not probed.asked else probed
    if not result.serving.same and probed.same:
        result.serving = probed
    if not result.imports and not result.error:
        result.error = f"the converted app does not import: {error}"
    elif error and not result.error:
        result.error = f"the converted app does not answer: {error}"
    result.reasons = _errors(output)
    result.warnings = (suite_warnings.count(first), suite_warnings.count(output))
    result.never_awaited = suite_warnings.never_awaited(output)
    return result


def _errors(pytest_output: str) -> list[str]:
    """The commonest errors of the converted run, with how many tests hit each: the error each test ended on, from
    pytest's short summary (``FAILED id - Error: ...``); its ``E   ...`` lines also hold the exceptions a test's
    code caught on the way (``During handling of the above exception``), so they are read only when there is none."""
    lines = pytest_output.splitlines()
    ended = [m.group(1) for m in (re.match(r"(?:FAILED|ERROR) \S+ - (.+)", line) for line in lines) if m]
    found = collections.Counter(
        error.strip()[:200]
        for error in ended or [line[1:] for line in lines if re.match(r"E\s+(assert\b|\w*(Error|Exception)\b)", line)]
    )
    return [f"{count}x {error}" for error, count in found.most_common(3)]


def _row(r: Result) -> str:
    same = f"{r.same}/{r.requests}"
    return (
        f"{r.name:22} {'yes' if r.imports else 'NO':7} {'yes' if r.serves else 'NO':6} {same:>11} "
        f"{r.noisy:5} {len(r.silent):6} {r.todos:5}"
    )


def report(results: list[Result]) -> None:
    print(
        "same: a request's answer (status, location, JSON, page text) as the original's; a field that differed "
        "between two runs of the original is noise and not compared (status always is; a location part by part)"
    )
    print(f"the apps' own tests ran under {suite_warnings.label()} (CORPUS_WARNINGS={suite_warnings.mode()})")
    print(f"{'app':22} {'imports':7} {'serves':6} {'same':>11} {'noisy':>5} {'silent':>6} {'TODOs':>5}")
    for r in results:
        print(_row(r))
        print(f"    codemods: {' -> '.join(r.codemods)}; {r.db_routes}")
        for key in r.db_routes.left[:4]:
            print(f"    DB-backed route not async on AsyncSession: {key}")
        if r.upgraded:
            print(f"    declared requirements moved pins: {', '.join(r.upgraded)}")
        for line in r.failed_files + ([r.serving.error] if r.serving.error else []):
            print(f"    {line}")
        for line in r.silent[:6]:
            print(f"    SILENT {line}")
        for line in [d for d in r.differences if not any(d in s for s in r.silent)][:4]:
            print(f"    differs {line}")
        if r.order_only:
            print(f"    order only (a JSON list's elements in another order): {len(r.order_only)}: {r.order_only[0]}")
        # always printed: a count left out when it is zero reads the same as a count not taken
        print(f"    tests passed: original {r.passed[0]}, converted {r.passed[1]}, lost {len(r.lost)}")
        if r.lost:
            print(f"    tests passing on the original, not converted: {len(r.lost)}: {', '.join(r.lost[:4])}")
        for reason in r.reasons[:3]:
            print(f"    converted test failure: {reason}")
        for last, count in collections.Counter(r.raised).most_common(3):
            print(f"    converted app raised ({count}x of {len(r.raised)}; fastapi.tracebacks.log): {last}")
        if r.never_awaited:  # skipped work, whatever the answers: silent unless a TODO says so at the call
            names = ", ".join(r.never_awaited[:6])
            print(f"    coroutines never awaited in the converted tests: {len(r.never_awaited)}: {names}")
        if r.warnings[1] > r.warnings[0]:  # each an error where the project says filterwarnings = error
            print(f"    warnings in the tests: original {r.warnings[0]}, converted {r.warnings[1]}")
        if r.error:
            print(f"    FAILED: {r.error}")
    requests, same = sum(r.requests for r in results), sum(r.same for r in results)
    print(
        f"\ntotal: {len(results)} apps, imports {sum(r.imports for r in results)}/{len(results)}, "
        f"serves {sum(r.serves for r in results)}/{len(results)}, requests same {same}/{requests} "
        f"({100 * same / max(1, requests):.1f}%; {sum(r.strict for r in results)} with every field compared), "
        f"noisy requests {sum(r.noisy for r in results)}, "
        f"silent breakage {sum(len(r.silent) for r in results)}, "
        f"order only {sum(len(r.order_only) for r in results)}, "
        f"coroutines never awaited {sum(len(r.never_awaited) for r in results)}, "
        f"TODOs {sum(r.todos for r in results)}, failed {sum(bool(r.error) for r in results)}, "
        f"DB-backed routes async on AsyncSession {sum(r.db_routes.on_async_session for r in results)}/"
        f"{sum(r.db_routes.db for r in results)}"
    )


def _measure_one(app: App, work: Path) -> Result:
    shutil.rmtree(work / app.name, ignore_errors=True)
    try:
        result = measure(app, work)
    except (RuntimeError, subprocess.SubprocessError, OSError, ValueError) as exc:
        result = Result(app.name, error=str(exc)[:500])
    # its row at once: a run stopped before the end still shows what it measured
    done = "FAILED " + result.error[:160] if result.error else "ok"
    print(f"measured {_row(result)} {done} [{' -> '.join(result.codemods)}; {result.db_routes}]", flush=True)
    return result


def chosen_apps(apps: list[App], names: list[str]) -> list[App]:
    """The apps named (``pybossa`` or ``Scifabric/pybossa``), all when none is; a name that matches none stops the run
    rather than measuring nothing and reporting an empty total."""
    unknown = [n for n in names if not any(n in (a.name, a.repo) for a in apps)]
    if unknown:
        known = ", ".join(a.name for a in apps)
        raise SystemExit(f"github_apps.toml has no app {', '.join(unknown)}: name one of {known} (or its owner/name)")
    return [a for a in apps if not names or a.name in names or a.repo in names]


def main(argv: list[str]) -> int:
    jobs = int(os.environ.get("CORPUS_JOBS", "1"))  # apps measured at once (each is subprocesses)
    apps = chosen_apps(load_apps(), argv)
    keep = os.environ.get("CORPUS_KEEP")  # keep the exported and converted apps to read them
    work = CACHE / "work" if keep else Path(tempfile.mkdtemp(prefix="github-corpus-"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda app: _measure_one(app, work), apps))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    # the bar of issue 13: every app imports and serves (a failed measurement fails too)
    return 1 if any(r.error or not r.imports or not r.serves for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
