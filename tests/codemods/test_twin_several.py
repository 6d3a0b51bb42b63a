"""Several ``--twin`` pairs in one run: a package and its tests folder outside it (no ``__init__.py``), each
twin importing the other's twin; pairs that overlap are refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from asyncclick.testing import CliRunner
from codemod_helpers import write_tree

from codemods import registry
from compat.control.commands import cli


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/shop/models.py": "class Cart:\n    old_name = 1\n",
            "tests/shop/test_models.py": "from unittest import mock\n\nfrom shop.models import Cart\n\n\n"
            "def test_cart():\n    assert Cart.new_name == 1\n\n\n"
            "@mock.patch('shop.models.Cart.new_name', 2)\ndef test_patched():\n    assert Cart.new_name == 2\n",
            "tests/shop/helpers.py": "from tests.shop import test_models\nold_name = test_models\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def invoke(*args):
    return await CliRunner().invoke(cli, ["codemod", "run", *args], catch_exceptions=False)


async def test_a_package_and_its_tests_twinned_together_import_each_others_twins(project):
    args = ["toy", "src/shop", "tests/shop", "--twin", "shop=shop_async", "--twin", "tests.shop=tests.shop_async"]
    result = await invoke(*args, "--report", "r.json")
    assert result.exit_code == 0, result.output
    tests = (project / "tests/shop_async/test_models.py").read_text()
    assert "from shop_async.models import Cart" in tests
    assert "@mock.patch('shop_async.models.Cart.new_name', 2)" in tests
    assert "from tests.shop_async import test_models" in (project / "tests/shop_async/helpers.py").read_text()
    assert (project / "src/shop_async/models.py").read_text().endswith("class Cart:\n    new_name = 1\n")
    twins = json.loads((project / "r.json").read_text())["twins"]
    assert [(t["old"], t["new"]) for t in twins] == [("shop", "shop_async"), ("tests.shop", "tests.shop_async")]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/shop_async"],
        env={"PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "2 passed" in run.stdout, run.stdout + run.stderr
    assert (await invoke(*args, "--check")).exit_code == 0


async def test_overlapping_pairs_are_refused_with_one_line(project):
    result = await invoke("toy", "src", "--twin", "shop=shop_async", "--twin", "shop=other")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --twin: shop and shop overlap; give packages side by side"
    assert not (project / "src/shop_async").exists()
