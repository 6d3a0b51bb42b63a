"""The chain hands sqlalchemy-to-async the test helpers the listed tests run with, as a user converts a suite."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from github_chain import suite_helpers  # noqa: E402


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_the_base_case_and_conftest_the_listed_tests_import_are_handed_on(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "conftest.py": "",
            "tests/__init__.py": "from tests.shared import Case\n",
            "tests/shared.py": "from .fakes import make\n",
            "tests/fakes.py": "",
            "tests/base.py": "from app import db\n",
            "tests/test_a.py": "from tests.base import BaseTestCase\nfrom tests import Case\n",
            "tests/test_other.py": "from tests.unused import x\n",
            "tests/unused.py": "",
        },
    )
    tests = [tmp_path / "tests/test_a.py"]
    given = [tmp_path / "app", *tests]
    found = {p.relative_to(tmp_path).as_posix() for p in suite_helpers(tmp_path, tests, given)}
    assert found == {"conftest.py", "tests/base.py", "tests/__init__.py", "tests/shared.py", "tests/fakes.py"}


def test_tests_at_the_root_hand_on_no_module_of_the_app(tmp_path):
    _write(tmp_path, {"test_app.py": "from config import Config\nfrom app import db\n", "config.py": "", "app.py": ""})
    tests = [tmp_path / "test_app.py"]
    assert suite_helpers(tmp_path, tests, [tmp_path / "app.py", *tests]) == []


def test_modules_imported_from_the_folders_pytest_puts_on_the_path_are_handed_on(tmp_path):
    """Tests in folders that are no packages import their helpers by top-level names (``from default import
    with_context``, ``from factories import UserFactory``): pytest's default import mode puts each test module's and
    conftest.py's folder (the first upwards that is no package) on ``sys.path``. Left out, a decorator there wrapped
    the tests made async in a sync function (pytest: async def functions are not natively supported)."""
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "setup.py": "",
            "test/conftest.py": "",
            "test/default.py": "from factories import make\nfrom setup import x\n",
            "test/factories/__init__.py": "from .projects import ProjectFactory\n",
            "test/factories/projects.py": "",
            "test/helper/web.py": "from default import Test\n",
            "test/test_api/test_a.py": "from default import with_context\nfrom helper import web\nimport app\n",
            "test/unused.py": "",
        },
    )
    tests = [tmp_path / "test/test_api/test_a.py"]
    found = {p.relative_to(tmp_path).as_posix() for p in suite_helpers(tmp_path, tests, [tmp_path / "app", *tests])}
    assert found == {
        "test/conftest.py",
        "test/default.py",
        "test/factories/__init__.py",
        "test/factories/projects.py",
        "test/helper/web.py",
    }


def test_what_a_conftest_above_the_listed_folders_imports_from_its_folder_is_handed_on(tmp_path):
    """``tests/all/conftest.py`` (loaded for ``tests/all/integration/api/event``) imports its database fixtures' helper
    from ``tests/all/integration/setup_database.py``: a suite helper outside the listed folders. Left out, its
    ``db.session.remove()`` was never awaited and the module teardown's ``drop schema`` waited forever."""
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "tests/__init__.py": "",
            "tests/all/__init__.py": "",
            "tests/all/conftest.py": "from tests.all.integration.setup_database import Setup\n",
            "tests/all/integration/__init__.py": "",
            "tests/all/integration/setup_database.py": "from app import db\n",
            "tests/all/integration/api/__init__.py": "",
            "tests/all/integration/api/event/__init__.py": "",
            "tests/all/integration/api/event/test_events.py": "",
        },
    )
    tests = [tmp_path / "tests/all/integration/api/event"]
    found = {p.relative_to(tmp_path).as_posix() for p in suite_helpers(tmp_path, tests, [tmp_path / "app", *tests])}
    assert "tests/all/integration/setup_database.py" in found
    assert "tests/all/conftest.py" in found
