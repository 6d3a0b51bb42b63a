"""Record the ``--help`` that real Typer and Click versions print for ``prog.py``, into ``recorded.json``.

    .venv/bin/python tests/codemods/typer_to_asyncclick/help_versions/record.py /tmp/SCRATCH

Each version is installed with ``pip install --no-deps --target SCRATCH/typer-X`` (and ``click-Y``) and
put ahead of the venv's own on PYTHONPATH; every command's help is printed plain (Typer without rich)
and with rich, 100 columns, by Typer's CliRunner, as scripts/real_app_cli.py prints a real program's.
Needs the package index; the unit tests only read what it wrote (test_help_versions.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
# (Typer, Click): one pair for each style the helper prints (pins.py); Typer 0.26 on brings its own Click
PAIRS = [
    ("0.19.2", "8.1.8"),
    ("0.19.2", "8.4.2"),
    ("0.19.2", "8.5.1"),
    ("0.20.1", "8.1.8"),
    ("0.20.1", "8.4.2"),
    ("0.25.1", "8.4.2"),
    ("0.25.1", "8.5.1"),
    ("0.26.2", "8.5.1"),
    ("0.26.8", "8.5.1"),
    ("0.27.3", "8.5.1"),
    ("0.28.0", "8.5.1"),
    ("0.29.2", "8.5.1"),
]

WALKER = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
import typer, typer.core, typer.main
from typer.testing import CliRunner
app = __import__("prog").app
def walk(command, path):
    yield path
    for name in sorted(getattr(command, "commands", {}) or {}):
        yield from walk(command.commands[name], [*path, name])
out = {}
for mode in ("plain", "rich"):
    typer.core.HAS_RICH = mode == "rich"
    os.environ["TYPER_USE_RICH"] = "1" if mode == "rich" else "0"
    out[mode] = {}
    for path in walk(typer.main.get_command(app), []):
        r = CliRunner().invoke(app, [*path, "--help"], prog_name="prog", terminal_width=100)
        out[mode][" ".join(path)] = [r.exit_code, r.output]
print(json.dumps(out))
"""


def install(scratch: Path, name: str, version: str) -> Path:
    target = scratch / f"{name}-{version}"
    if not target.exists():
        pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
        subprocess.run([*pip, f"{name}=={version}"], check=True)
    return target


def main() -> None:
    scratch = Path(sys.argv[1])
    recorded = {}
    for typer_version, click_version in PAIRS:
        path = [install(scratch, "typer", typer_version), install(scratch, "click", click_version)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path)), "COLUMNS": "100", "TERM": "dumb"}
        env["NO_COLOR"] = "1"
        done = subprocess.run(
            [sys.executable, "-c", WALKER], cwd=HERE, env=env, capture_output=True, text=True, check=True
        )
        recorded[f"{typer_version}+{click_version}"] = json.loads(done.stdout)
    texts = sorted({text for modes in recorded.values() for helps in modes.values() for _, text in helps.values()})
    pairs = {
        pair: {
            mode: {path: [code, texts.index(text)] for path, (code, text) in helps.items()}
            for mode, helps in modes.items()
        }
        for pair, modes in recorded.items()
    }  # each help text once: most are the same across pairs
    (HERE / "recorded.json").write_text(
        json.dumps({"texts": texts, "pairs": pairs}, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def load() -> dict[str, dict[str, dict[str, list]]]:
    """``{"0.19.2+8.5.1": {"plain": {"sub do-it": [exit code, help text]}, "rich": ...}}`` from recorded.json."""
    data = json.loads((HERE / "recorded.json").read_text(encoding="utf-8"))
    texts = data["texts"]
    return {
        pair: {mode: {path: [code, texts[at]] for path, (code, at) in helps.items()} for mode, helps in modes.items()}
        for pair, modes in data["pairs"].items()
    }


if __name__ == "__main__":
    main()
