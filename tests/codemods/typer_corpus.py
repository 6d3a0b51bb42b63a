"""Measure typer-to-asyncclick on Typer's own tutorial programs, with the invocations of Typer's own tests.

Downloads Typer's sdist from PyPI into a cache (never committed), converts every ``docs_src``
program with ``asyncshift codemod run ... --out``, then runs Typer's ``tests/test_tutorial`` with
``typer_corpus_plugin`` loaded: each ``CliRunner.invoke`` and each ``python file.py ARGS`` is
replayed on the converted program, and exit code, stdout and stderr are compared (all three must be
the same; the figure on exit code and stdout alone is printed beside it).

Usage: python tests/codemods/typer_corpus.py [--rich] [-k EXPR] [--show N] [--json FILE]
Help is compared with Typer's plain formatter (TYPER_USE_RICH=0) unless --rich is given, which
compares with Typer's default rich panels (the converted program renders them with _asyncclick_help.py's _rich_module).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CACHE = Path(os.environ.get("ASYNCSHIFT_CACHE", Path.home() / ".cache" / "asyncshift" / "corpus"))
PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider\n"


def fetch(version: str) -> Path:
    """The unpacked sdist (downloaded once with pip, from PyPI only)."""
    folder = CACHE / f"typer-{version}"
    if (folder / "docs_src").is_dir():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / f"typer-{version}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"typer=={version}",
                "-d",
                str(CACHE),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE, filter="data")
    return folder


def convert(docs: Path, out: Path) -> dict:
    """Run the codemod exactly as a user would; return its JSON report."""
    report = out.parent / "codemod-report.json"
    command = [
        str(Path(sys.executable).parent / "asyncshift"),
        "codemod",
        "run",
        "typer-to-asyncclick",
        str(docs),
        "--out",
        str(out),
        "--report",
        str(report),
        "-j",
        "2",
    ]
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (out / "__init__.py").touch()
    return json.loads(report.read_text())


def replay(sdist: Path, out: Path, results: Path, *, rich: bool, select: str | None) -> None:
    """Typer's tutorial tests, with the plugin replaying every invocation on the converted twin."""
    ini = out.parent / "pytest.ini"
    ini.write_text(PYTEST_INI)
    env = dict(
        os.environ,
        ASYNCSHIFT_DOCS=str(sdist / "docs_src"),
        ASYNCSHIFT_CONVERTED=str(out),
        ASYNCSHIFT_RESULTS=str(results),
    )
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT), env.get("PYTHONPATH", "")])
    env["TYPER_USE_RICH"] = "1" if rich else "0"
    env.setdefault("COLUMNS", "80")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(ini),
        "--rootdir",
        str(sdist),
        "-p",
        "typer_corpus_plugin",
        "-q",
        "tests/test_tutorial",
    ]
    if select:
        command += ["-k", select]
    subprocess.run(command, cwd=sdist, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reason(row: dict) -> str:
    """A short, groupable reason for one mismatch."""
    if row.get("error"):
        return row["error"].split(":")[0] if "not found" in row["error"] else row["error"][:90]
    t, c = row["typer"], row["click"]
    if c.get("exception") and not t.get("exception"):
        return f"converted raised {c['exception'].splitlines()[-1][:70]}"
    help_asked = "--help" in (row["argv"] or []) or (t["stdout"] or "").startswith("Usage:")
    if t["exit"] != c["exit"]:
        return f"exit {t['exit']} vs {c['exit']}" + (" (help)" if help_asked else "")
    if t["stdout"] != c["stdout"]:
        return "help text differs" if help_asked else "stdout differs"
    return f"stderr differs (exit {t['exit']})"


SEEN = ("exit", "stdout", "stderr")  # what a user of the program sees


def same(row: dict, parts: tuple[str, ...] = SEEN) -> bool:
    return row.get("click") is not None and all(row["typer"].get(p) == row["click"].get(p) for p in parts)


def same_exit_and_stdout(row: dict) -> bool:
    """The older, weaker figure (stderr not compared), printed beside the real one."""
    return same(row, ("exit", "stdout"))


def table(report: dict, rows: list[dict], show: int) -> None:
    files = report["files"]
    programs = [f for f in files if f["status"] == "changed"]
    failed = [f for f in files if f["status"] == "failed"]
    tested = {r["program"] for r in rows if r.get("program")}
    matching = [r for r in rows if same(r)]
    helps = [r for r in rows if "--help" in (r["argv"] or [])]
    print(f"programs converted        {len(programs)} of {len(files)} files ({len(tested)} exercised by Typer's tests)")
    print(f"parse failures            {len(failed)}")
    print(f"TODOs left                {sum(f['todos'] for f in files)} in {sum(1 for f in files if f['todos'])} files")
    scripts = sum(r["kind"] == "script" for r in rows)
    print(f"invocations               {len(rows)} ({scripts} as python file.py, {len(helps)} --help)")
    print(f"same exit, stdout, stderr {len(matching)} ({100 * len(matching) / max(1, len(rows)):.1f}%)")
    non_help = [r for r in rows if r not in helps]
    same_non_help = sum(map(same, non_help))
    share = 100 * same_non_help / max(1, len(non_help))
    print(f"  without --help          {same_non_help}/{len(non_help)} ({share:.1f}%)")
    errors = [r for r in rows if r["typer"]["exit"] != 0]
    same_errors = sum(map(same, errors))
    print(f"  error exits (exit != 0) {same_errors}/{len(errors)} ({100 * same_errors / max(1, len(errors)):.1f}%)")
    weak = sum(map(same_exit_and_stdout, rows))
    print(f"exit and stdout only      {weak} ({100 * weak / max(1, len(rows)):.1f}%; stderr not compared)")
    for f in failed:
        print(f"  failed: {f.get('error')}")
    reasons = Counter(reason(r) for r in rows if not same(r))
    if reasons:
        print("top failure reasons:")
        for text, count in reasons.most_common(12):
            print(f"  {count:4d}  {text}")
    for row in [r for r in rows if not same(r)][:show]:
        print(
            f"\n--- {row.get('program')} {row['kind']} argv={row['argv']!r} input={row.get('input')!r} ({row['test']})"
        )
        print(f"typer: {row['typer']!r}\nclick: {row.get('click')!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--typer-version", default="0.29.2")
    parser.add_argument(
        "--rich", action="store_true", help="compare with Typer's rich help (the default when rich is installed)"
    )
    parser.add_argument("-k", dest="select", help="only Typer tests matching this pytest -k expression")
    parser.add_argument("--show", type=int, default=0, help="print the first N mismatches in full")
    parser.add_argument("--json", type=Path, help="write every invocation with both outcomes")
    options = parser.parse_args()
    sdist = fetch(options.typer_version)
    with tempfile.TemporaryDirectory(prefix="typer-corpus-") as folder:
        out = Path(folder) / "asyncshift_converted"
        report = convert(sdist / "docs_src", out)
        results = Path(folder) / "results.jsonl"
        results.touch()
        replay(sdist, out, results, rich=options.rich, select=options.select)
        rows = [json.loads(line) for line in results.read_text().splitlines()]
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    table(report, rows, options.show)


if __name__ == "__main__":
    main()
