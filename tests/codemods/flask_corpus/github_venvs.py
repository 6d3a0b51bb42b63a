"""The github corpus's sources and venvs: an app's pinned commit exported from the local mirror, and a venv
with its own pins (plus the harness), copied for the conversion plus only what its report declares.

Used by ``github_corpus.py``; never by pytest (it pip-installs).
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
MIRRORS = Path(os.environ.get("ASYNCSHIFT_MIRRORS", "/work/.mirror"))
CACHE = Path(os.environ.get("ASYNCSHIFT_GITHUB_CORPUS", "~/.cache/asyncshift/github-corpus")).expanduser()
PYTHONS = Path("/root/.pyenv/versions")
SYSTEM_CONSTRAINTS = "/etc/xdg/pip/constraints.txt"  # this machine's own, kept beside an app's
HARNESS = ["pytest>=7", "starlette>=0.37", "httpx>=0.27"]  # the recorder and the Flask-style test client


def mirror(app: Any) -> Path:
    base = MIRRORS / app.repo.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "objects").is_dir():
            return candidate
    raise RuntimeError(f"no mirror of {app.repo}: bring it with the search tool's fetch('github:{app.repo}')")


def export(app: Any, target: Path) -> Path:
    """The repository at the pinned commit (``git archive``: no history, nothing shared with the mirror)."""
    target.mkdir(parents=True)
    absent = [f":(exclude,literal){path}" for path in absent_files(mirror(app), app.commit)]
    paths = ["--", ".", *absent] if absent else []
    archive = subprocess.run(
        ["git", "--git-dir", str(mirror(app)), "archive", "--format=tar", app.commit, *paths],
        capture_output=True,
        check=True,
    )
    if getattr(app, "template", None):
        return render(app, target, archive.stdout)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    for path, repo in getattr(app, "submodules", {}).items():  # git archive leaves a submodule's folder empty
        listed = subprocess.run(
            ["git", "--git-dir", str(mirror(app)), "ls-tree", app.commit, path], capture_output=True, text=True
        )
        commit = listed.stdout.split()[2]  # the commit the app's tree pins for that folder
        inner = subprocess.run(
            ["git", "--git-dir", str(mirror(SimpleNamespace(repo=repo))), "archive", "--format=tar", commit],
            capture_output=True,
            check=True,
        )
        (target / path).mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-x", "-C", str(target / path)], input=inner.stdout, check=True)
    return target / app.root if app.root else target


def absent_files(git_dir: Path, commit: str) -> list[str]:
    """Files of the commit whose content the mirror lacks (the search tool's snapshot may leave out its largest
    files, such as a built front end's source maps): git archive stops on the first one, so they are left out of
    the export and named."""
    listed = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", commit], capture_output=True, text=True, check=True
    )
    blobs = {}
    for line in listed.stdout.splitlines():
        meta, _, path = line.partition("\t")
        if meta.split()[1] == "blob":
            blobs.setdefault(meta.split()[2], []).append(path)
    checked = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch-check"],
        input="\n".join(blobs) + "\n",
        capture_output=True,
        text=True,
    )
    missing = [line.split()[0] for line in checked.stdout.splitlines() if line.endswith(" missing")]
    paths = sorted(path for blob in missing for path in blobs[blob])
    if paths:
        print(f"  not in the mirror, left out of the export: {', '.join(paths)}", flush=True)
    return paths


COOKIECUTTER = "cookiecutter==2.6.0"


@contextlib.contextmanager
def building(folder: Path) -> Iterator[None]:
    """One builder at a time for a cached folder (a venv, a tool): runs that share the cache (``CORPUS_JOBS``, or two
    harnesses at once) wait for the first one's build, then find it ``.ready``, instead of both deleting and
    copying the same folder and leaving it marked ready with no ``bin/``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(folder.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def render(app: Any, target: Path, archive: bytes) -> Path:
    """A cookiecutter template's project (the app is what its users generate, not the repository): the pinned
    commit rendered with the app's answers (``template``), its hooks run; ``root`` names the rendered folder."""
    template = target / "template"
    template.mkdir()
    subprocess.run(["tar", "-x", "-C", str(template)], input=archive, check=True)
    tool = CACHE / "tools" / COOKIECUTTER.replace("==", "-")
    with building(tool):
        if not (tool / ".ready").exists():
            shutil.rmtree(tool, ignore_errors=True)
            subprocess.run([_python("3.11"), "-m", "venv", str(tool)], check=True)
            _pip(tool, COOKIECUTTER, log=tool / "install.log")
            (tool / ".ready").write_text("")
    answers = [f"{key}={value}" for key, value in app.template.items()]
    done = subprocess.run(
        [str(tool / "bin" / "cookiecutter"), "--no-input", "-o", str(target), str(template), *answers],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"cookiecutter failed: {(done.stderr.strip().splitlines() or ['?'])[-1][:300]}")
    return target / app.root


def _python(version: str) -> str:
    found = sorted(PYTHONS.glob(f"{version}*/bin/python{version}"))
    if not found:
        raise RuntimeError(f"no Python {version} under {PYTHONS}")
    return str(found[-1])


def _pip(venv: Path, *args: str, log: Path) -> None:
    env = dict(os.environ)
    constraints = venv / "build-constraints.txt"  # PIP_CONSTRAINT reaches the isolated build envs too
    if constraints.exists():
        env["PIP_CONSTRAINT"] = (
            f"{constraints} {SYSTEM_CONSTRAINTS}" if Path(SYSTEM_CONSTRAINTS).exists() else str(constraints)
        )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *args], capture_output=True, text=True, env=env
    )
    with log.open("a") as out:
        out.write(f"$ pip install {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    if done.returncode:
        tail = [line for line in done.stderr.splitlines() if line.strip()][-3:]
        raise RuntimeError(f"pip install {' '.join(args)[:120]} failed: {' | '.join(tail)[:400]}")


def _freeze(venv: Path) -> dict[str, str]:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    )
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(done.stdout or "[]")}


def pin_file(app: Any, source: Path, name: str) -> Path:
    """A pin file pip reads (a ``Pipfile.lock``, a ``poetry.lock`` or a pyproject's dependencies written out); ``drop``
    left out."""
    path = source / name
    if path.name == "Pipfile.lock":
        lock = json.loads(path.read_text())
        lines = [
            f"{n}{v['version']}" for part in ("default", "develop") for n, v in lock[part].items() if "version" in v
        ]
    elif path.name == "pyproject.toml":
        lines = tomllib.loads(path.read_text())["project"].get("dependencies", [])
    elif path.name == "setup.py":  # its install_requires (a list literal, or the name of one)
        lines = setup_requires(path.read_text())
    elif path.name == "poetry.lock":  # every locked package, dev group included (``drop`` leaves tools out)
        lines = [f"{p['name']}=={p['version']}" for p in tomllib.loads(path.read_text()).get("package", [])]
    else:
        lines = path.read_text().splitlines()
    index = ("-i ", "--index-url", "--extra-index-url")  # the registry comes from this machine's pip config
    if (
        not app.drop
        and path.name not in ("Pipfile.lock", "pyproject.toml", "poetry.lock", "setup.py")
        and not any(line.startswith(index) for line in lines)
    ):
        return path
    dropped = {d.lower() for d in app.drop}
    kept = [
        line
        for line in lines
        if re.split(r"[=<>!~;\[ ]", line.strip(), maxsplit=1)[0].lower() not in dropped and not line.startswith(index)
    ]
    written = path.with_name(f"{path.name}.corpus.txt")
    written.write_text("\n".join(kept) + "\n")
    return written


def setup_requires(text: str) -> list[str]:
    """A setup.py's ``install_requires``, read without running it: a list literal, or a name bound to one."""
    tree = ast.parse(text)
    lists = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        for keyword in getattr(node, "keywords", []) if isinstance(node, ast.Call) else []:
            if keyword.arg == "install_requires":
                value = lists.get(keyword.value.id) if isinstance(keyword.value, ast.Name) else keyword.value
                if isinstance(value, ast.List):
                    return [ast.literal_eval(item) for item in value.elts]
    return []


def original_venv(app: Any, source: Path) -> Path:
    """The app's pins, its tests' extras and the harness; built once per app, commit and pins."""
    pins = "".join((source / f).read_text() for f in app.requirements)
    post = getattr(app, "post_install", [])
    parts = [app.python, pins, app.pip, app.drop, app.build, HARNESS] + ([post] if post else [])
    key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:10]
    venv = CACHE / "venvs" / f"{app.name}-{app.commit[:10]}-{key}"
    with building(venv):
        if not (venv / ".ready").exists():
            shutil.rmtree(venv, ignore_errors=True)
            venv.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([_python(app.python), "-m", "venv", str(venv)], check=True)
            if app.build:
                (venv / "build-constraints.txt").write_text("\n".join(app.build) + "\n")
            log = venv / "install.log"
            _pip(
                venv, "--upgrade", "pip", "setuptools<70" if not app.build else "setuptools", "wheel", log=log
            )  # old sdists build with setup.py
            for file in app.requirements:  # one call each: a hashed file wants hashes for everything in its call
                # old sdists build with the venv's own setuptools (``build``), not the newest one pip would fetch
                isolation = ["--no-build-isolation"] if app.build else []
                _pip(venv, *isolation, "-r", str(pin_file(app, source, file)), log=log)
            if app.pip:
                _pip(venv, *app.pip, log=log)
            _pip(venv, *HARNESS, log=log)
            # the toolkit says Python 3.11+; what the harness imports from it (the test client) runs on older ones
            _pip(venv, "--no-deps", "--ignore-requires-python", "-e", str(ROOT / "asyncshift"), log=log)
            _pip(venv, "libcst>=1.4", "ruamel.yaml>=0.18", "asyncclick>=8.1.8", "anyio>=4.0", log=log)
            _post_install(venv, post, log=log)
            (venv / ".ready").write_text("")
    return venv


def _post_install(venv: Path, steps: list[list[str]], log: Path) -> None:
    """The app's ``post_install``: pip calls run last (one per step, its arguments as given), for what the ordinary
    install leaves broken (a cffi extension an sdist built under --no-build-isolation before cffi was there)."""
    for step in steps:
        _pip(venv, *step, log=log)


def converted_venv(base: Path, declared: list[str], post_install: list[list[str]] = ()) -> tuple[Path, list[str]]:
    """A copy of the original's venv plus only what the report declares, then the app's ``post_install`` again (what
    the declared installs may have replaced); and the pins that moved."""
    key = hashlib.sha256(json.dumps(sorted(declared)).encode()).hexdigest()[:10]
    venv = base.with_name(f"{base.name}-converted-{key}")
    with building(venv):
        if not (venv / ".ready").exists():
            shutil.rmtree(venv, ignore_errors=True)
            shutil.copytree(base, venv, symlinks=True)
            (venv / ".ready").unlink()
            if declared:
                _pip(venv, *declared, log=venv / "install.log")
            _post_install(venv, list(post_install), log=venv / "install.log")
            (venv / ".ready").write_text("")
    before, after = _freeze(base), _freeze(venv)
    moved = [f"{n} {v}->{after.get(n, '-')}" for n, v in sorted(before.items()) if after.get(n) != v]
    return venv, moved
