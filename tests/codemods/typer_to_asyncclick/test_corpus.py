"""The corpus: real-world-style Typer programs, converted and run both ways with the same argv."""

from __future__ import annotations

import importlib.util
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "corpus"  # beside the corpus scripts (typer_corpus.py)


def _measure_module():
    spec = importlib.util.spec_from_file_location("corpus_measure", CORPUS / "measure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_at_least_95_percent_of_invocations_match():
    same, total, mismatches = await _measure_module().measure()
    assert total >= 60
    assert same / total >= 0.95, "\n".join(mismatches)


def test_every_converted_corpus_file_compiles_and_second_run_changes_nothing():
    from codemods.typer_to_asyncclick import CODEMOD

    for path in sorted((CORPUS / "programs").glob("*.py")):
        once, _ = CODEMOD.apply(path.read_text())
        compile(once, str(path), "exec", dont_inherit=True)
        assert "import typer" not in once, path.name
        assert CODEMOD.apply(once)[0] == once, path.name
