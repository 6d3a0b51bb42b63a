"""Measure flask-to-fastapi on real Flask apps nobody here wrote: example apps and test apps from PyPI sdists.

Downloads sdists (``pip download``, PyPI only) into ``~/.cache/asyncshift/corpus/`` and never commits
them. Each app is converted with ``asyncshift codemod run flask-to-fastapi ... --out``; its own
tests then run against the original and, through ``codemods.flask_to_fastapi.testclient``, against the conversion;
only requests from tests that pass on the original are compared (the rest judge the environment).
"Serves" means a real route answers the conversion as it answered the original (``serving.py``); an
app whose test run fails or writes nothing is reported as failed, and the run exits 1.

    .venv/bin/python tests/codemods/flask_corpus/real_corpus.py [NAME...]
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CACHE = Path(os.environ.get("ASYNCSHIFT_CORPUS", "~/.cache/asyncshift/corpus")).expanduser()
sys.path.insert(0, str(HERE))

import suite_warnings  # noqa: E402
from measure import count_routes, print_totals, read_run  # noqa: E402
from serving import Serving, from_test_answers, serves  # noqa: E402


@dataclass(frozen=True)
class App:
    """One app: ``root`` inside the sdist; ``convert`` the paths converted there; ``tests`` its own tests."""

    name: str
    sdist: str
    root: str
    convert: tuple[str, ...]
    tests: tuple[str, ...] = ()
    serve: str | None = None  # module:attribute to import and request, when the app has no tests
    path: tuple[str, ...] = ()  # folders of the sdist put on sys.path (the extension's own source, not installed here)


def _httpauth(stem: str) -> App:
    return App(f"httpauth/{stem}", "flask-httpauth==4.8.1", "tests", (f"{stem}.py",), (f"{stem}.py",))


CORPUS = [
    App("flaskr", "flask==3.1.3", "examples/tutorial", ("flaskr",), ("tests",)),
    App("js_example", "flask==3.1.3", "examples/javascript", ("js_example",), ("tests",)),
    *[
        _httpauth(s)
        for s in (
            "test_basic_custom_realm",
            "test_basic_get_password",
            "test_basic_hashed_password",
            "test_basic_verify_password",
            "test_basic_verify_password_async",
            "test_digest_custom_realm",
            "test_digest_get_password",
            "test_digest_ha1_password",
            "test_digest_no_qop",
            "test_error_responses",
            "test_multi",
            "test_multi_async",
            "test_roles",
            "test_roles_async",
            "test_token",
            "test_token_async",
        )
    ],
    App("wtf/uploadr", "flask-wtf==1.3.0", "examples/uploadr", ("app.py",), serve="app:app"),
    App(
        "wtf/babel", "flask-wtf==1.3.0", "examples/babel", ("app.py",), serve="app:app"
    ),  # needs flask-babel (test-only: pip install flask-babel)
    App("wtf/recaptcha", "flask-wtf==1.3.0", "examples/recaptcha", ("app.py",), serve="app:app"),
    App("migrate/app", "flask-migrate==4.1.0", "tests", ("app.py",), serve="app:app", path=("src",)),
]


@dataclass
class Result:
    name: str
    routes: int = 0
    routes_with_todo: int = 0
    todos: int = 0
    serving: Serving = field(default_factory=Serving)
    requests: int = 0
    same: int = 0
    failed_files: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    error: str = ""  # the measurement failed for this app: a test run that stopped or wrote nothing

    @property
    def serves(self) -> bool:
        return self.serving.serves


# -- the sdists --------------------------------------------------------------------------------------


def sdist_root(spec: str) -> Path:
    """Download (once) and unpack the sdist for ``name==version``; return its top folder."""
    name, _, version = spec.partition("==")
    unpacked = CACHE / "src"
    for folder in unpacked.glob("*"):
        if folder.name.lower().replace("_", "-") == f"{name}-{version}".lower():
            return folder
    downloads = CACHE / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            spec,
            "-d",
            str(downloads),
        ],
        check=True,
    )
    archive = next(
        p for p in downloads.iterdir() if p.name.lower().replace("_", "-").startswith(f"{name}-{version}".lower())
    )
    unpacked.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    return sdist_root(spec)


# -- one app -----------------------------------------------------------------------------------------


def convert(app: App, original: Path, converted: Path) -> list[dict]:
    """``asyncshift codemod run flask-to-fastapi PATH --out DIR`` over a full copy (templates, static, data)."""
    shutil.copytree(original, converted, ignore=shutil.ignore_patterns("__pycache__"))
    files = []
    for relative in app.convert:
        source, target = original / relative, converted / relative
        out = target if source.is_dir() else target.parent
        report = converted.parent / f"report-{relative.replace('/', '_')}.json"
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("asyncshift")),
                "codemod",
                "run",
                "flask-to-fastapi",
                str(source),
                "--out",
                str(out),
                "--report",
                str(report),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if not report.exists():
            raise RuntimeError(done.stderr)
        files += json.loads(report.read_text())["files"]
    return files


def _extra_path(app: App) -> list[str]:
    return [str(sdist_root(app.sdist) / p) for p in app.path]


def run_tests(folder: Path, app: App, mode: str, out: Path) -> tuple[dict, str, str]:
    """Answers by test, pytest's output, and why the run failed ("" when it did not)."""
    # a wide terminal: pytest's short summary cuts failure messages to the terminal width
    env = {
        **os.environ,
        "COLUMNS": "2000",
        "CORPUS_MODE": mode,
        "CORPUS_OUT": str(out),
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), str(HERE), *_extra_path(app)]),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rf",
            "-p",
            "recorder",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            *suite_warnings.pytest_args(),  # the same for the original and the conversion
            *app.tests,
        ],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    records, failed = read_run(out, done.returncode, done.stdout + done.stderr, mode)
    return records, done.stdout, failed


def _reasons(pytest_output: str) -> list[str]:
    found = []
    for line in pytest_output.splitlines():
        if line.startswith("FAILED ") and " - " in line:
            message = line.split(" - ", 1)[1]
            message = re.sub(r"0x[0-9a-f]+|'[^'\n]*'|\"[^\"\n]*\"|\d+", "…", message)
            found.append(message if len(message) <= 110 else message[:109] + "…")
    return found


def measure(app: App, work: Path) -> Result:
    result = Result(app.name)
    base = sdist_root(app.sdist) / app.root
    folder = work / app.name.replace("/", "_")
    original, converted = folder / "original", folder / "converted"
    shutil.copytree(base, original, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    files = convert(app, original, converted)
    result.failed_files = [f.get("error", f["path"]) for f in files if f["status"] == "failed"]
    for file in files:  # the app's own files, not the helper modules the run wrote beside them
        path = converted / Path(file["path"]).relative_to(original)
        if path.suffix == ".py":
            text = path.read_text()
            routes, with_todo = count_routes(text)
            result.routes += routes
            result.routes_with_todo += with_todo
            result.todos += text.count("TODO(asyncshift)")
    if app.serve:
        result.serving = serves(original, converted, app.serve, _extra_path(app))
    if not app.tests:
        return result
    before, _, failed_before = run_tests(original, app, "flask", folder / "flask.json")
    after, output, failed_after = run_tests(converted, app, "fastapi", folder / "fastapi.json")
    passed = {nodeid for nodeid, outcome in before.get("__outcomes__", []) if outcome == "passed"}
    if not passed and not failed_before:
        failed_before = "flask test run: no test passed on the original"
    result.error = failed_before or failed_after
    for test, answers in before.items():
        if test.startswith("__") or test not in passed:
            continue
        theirs = after.get(test, [])
        for index, answer in enumerate(answers):
            result.requests += 1
            if index < len(theirs) and theirs[index] == answer:
                result.same += 1
            else:
                got = theirs[index] if index < len(theirs) else "no request"
                result.differences.append(
                    f"{test} #{index}: flask {answer[:2]} fastapi {got[:2] if isinstance(got, list) else got}"
                )
    if not app.serve:
        result.serving = from_test_answers(before, after, passed)
    result.reasons = _reasons(output)
    return result


def main(names: list[str]) -> int:
    apps = [a for a in CORPUS if not names or a.name in names or a.name.split("/")[0] in names]
    if os.environ.get("CORPUS_KEEP"):  # keep the converted apps to read them
        work = CACHE / "work"
        shutil.rmtree(work, ignore_errors=True)
        results = [measure(app, work) for app in apps]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results = [measure(app, Path(tmp)) for app in apps]
    print(f"the apps' own tests ran under {suite_warnings.label()} (CORPUS_WARNINGS={suite_warnings.mode()})")
    print(f"{'app':36} {'serves':6} {'routes':>6} {'w/TODO':>6} {'same':>9}")
    for r in results:
        shown = "yes" if r.serves else "NO"
        print(f"{r.name:36} {shown:6} {r.routes:6} {r.routes_with_todo:6} {r.same:4}/{r.requests:<4}")
        unlike = [f"real route answers differently: {p}" for p in r.serving.asked if p not in r.serving.same]
        unlike = [line for line in unlike if ": /" in line]  # routes asked by path (tests' requests: below)
        for line in r.failed_files + ([r.serving.error] if r.serving.error else []) + (unlike + r.differences)[:4]:
            print(f"    {line}")
    print_totals(results, serving=sum(r.serves for r in results), requests_label="own-test requests")
    reasons = collections.Counter(reason for r in results for reason in r.reasons)
    if reasons:
        print("\ntop failure reasons (converted runs):")
        for reason, count in reasons.most_common(12):
            print(f"  {count:4}  {reason}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
