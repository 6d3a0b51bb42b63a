"""github_venvs.export: a mirror that lacks some files' content (the search tool's snapshot may leave out a
repository's largest files) is exported without them, not refused by git archive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).parent))

import github_venvs  # noqa: E402


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_a_file_whose_content_the_mirror_lacks_is_left_out_of_the_export(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "mirror" / "owner+name" / "repo"
    (repo / "pkg" / "dist").mkdir(parents=True)
    (repo / "pkg" / "__init__.py").write_text("app = 1\n")
    (repo / "pkg" / "dist" / "vendors [1].js.map").write_text("a large source map\n")
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one", cwd=repo)
    commit = _git("rev-parse", "HEAD", cwd=repo)
    blob = _git("rev-parse", "HEAD:pkg/dist/vendors [1].js.map", cwd=repo)
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # what the snapshot left out
    monkeypatch.setattr(github_venvs, "MIRRORS", tmp_path / "mirror")
    app = SimpleNamespace(repo="owner/name", commit=commit, root="", template=None, submodules={})

    out = github_venvs.export(app, tmp_path / "export")

    assert (out / "pkg" / "__init__.py").read_text() == "app = 1\n"
    assert not (out / "pkg" / "dist" / "vendors [1].js.map").exists()
    assert "pkg/dist/vendors [1].js.map" in capsys.readouterr().out
