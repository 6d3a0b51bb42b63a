"""Does the converted app serve? Its real routes asked on the original and on the conversion, answers compared.

"Serves" means a route the app really has (a GET route without arguments in the original's URL map,
or a request its own tests make) answers the conversion as it answered the original, that answer
being a real one (neither 404 nor a server error: a 401 challenge or a redirect to a login page is
one): a 404 from a made-up path, or any answer from an app that failed to import, does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))

from noise import compare  # noqa: E402

# Runs in a fresh process: argv = mode, module:attribute, paths (JSON or "map"), then sys.path entries.
_PROBE = """\
import json, sys, warnings, importlib
warnings.simplefilter("ignore")
mode, target, paths = sys.argv[1:4]
sys.path[:0] = sys.argv[4:]
sys.path.insert(0, sys.argv[5] + "/tests/codemods/flask_to_fastapi")
from side_by_side import Answer
module, _, attribute = target.partition(":")
module = importlib.import_module(module)
app = getattr(module, attribute or ("create_app" if hasattr(module, "create_app") else "app"))
app = app() if not hasattr(app, "routes") and not hasattr(app, "url_map") else app
if paths == "map":
    paths = sorted(
        {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and not r.arguments and r.endpoint != "static"}
    )
else:
    paths = json.loads(paths)
if mode == "flask":
    client = app.test_client()
else:
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient
    client = FlaskStyleClient(app)
answers = {}
for path in paths:
    a = Answer.of(client.get(path, headers={"User-Agent": "asyncshift-probe"}))  # one agent for both clients
    answers[path] = [a.status, a.location, a.json, a.text]
print(json.dumps(answers))
"""


@dataclass
class Serving:
    """The real routes asked, and which answered the conversion as they answered the original."""

    asked: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def serves(self) -> bool:
        return bool(self.same) and not self.error


def _real(answer: list) -> bool:
    """An answer a route gave: not a 404 (no such route) and not a server error."""
    return answer[0] != 404 and answer[0] < 500


def _ask(mode: str, folder: Path, target: str, paths: str, extra: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, target, paths, str(folder), str(ROOT), *extra],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} app {target} did not answer: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def serves(original: Path, converted: Path, target: str, extra: list[str] = ()) -> Serving:
    """Ask the original's argument-free GET routes of both apps (``target``: ``module:attribute``, or
    ``module`` for its ``create_app`` or ``app``)."""
    result = Serving()
    try:
        before = _ask("flask", original, target, "map", list(extra))
        real = sorted(path for path, answer in before.items() if _real(answer))
        result.asked = real
        after = _ask("fastapi", converted, target, json.dumps(real), list(extra)) if real else {}
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        result.error = str(exc)
        return result
    result.same = [path for path in real if after.get(path) == before[path]]
    if not real:
        result.error = "the original has no GET route without arguments that gives a real answer"
    return result


def from_test_answers(before: dict, after: dict, passed: set[str], again: dict | None = None) -> Serving:
    """For apps judged by their own tests: the real answers of tests that passed on the original (``again``:
    the original's second run, whose differing fields are noise, ``noise.py``)."""
    result = Serving()
    for test, answers in before.items():
        if test.startswith("__") or test not in passed:
            continue
        theirs, twice = after.get(test, []), (again or {}).get(test, [])
        for index, answer in enumerate(answers):
            if _real(answer):
                label = f"{test} #{index}"
                result.asked.append(label)
                second = twice[index] if index < len(twice) else None
                if compare(answer, second, theirs[index] if index < len(theirs) else None).same:
                    result.same.append(label)
    if not result.asked:
        result.error = "no request of a passing test got a real answer on the original"
    return result
