"""``app.config.from_object`` with a dotted name resolves as Werkzeug's ``import_string`` does.

The full dotted name is imported as a module first (``"pkg.settings"``), then ``module.attr`` and
``module:attr``; a module still being imported (``from_object(__name__)``) is found in ``sys.modules``.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest

from codemods.flask_to_fastapi import support

CONFIG = support.TEMPLATE / "config.py"


@pytest.fixture
def config_module():
    spec = importlib.util.spec_from_file_location("_template_config_under_test", CONFIG)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture
def settings_package(tmp_path, monkeypatch):
    package = tmp_path / "cfgpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        textwrap.dedent(
            """\
            DEBUG = True
            SECRET_KEY = "module"
            lower = "ignored"


            class Production:
                DEBUG = False
                SECRET_KEY = "class"
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "cfgpkg"
    for name in [n for n in sys.modules if n == "cfgpkg" or n.startswith("cfgpkg.")]:
        del sys.modules[name]


def test_a_dotted_module_name_imports_the_module(config_module, settings_package):
    config = config_module.Config()
    config.from_object("cfgpkg.settings")  # not an attribute of cfgpkg: a submodule not yet imported
    assert config["SECRET_KEY"] == "module" and config["DEBUG"] is True
    assert "lower" not in config


@pytest.mark.parametrize("name", ["cfgpkg.settings.Production", "cfgpkg.settings:Production"])
def test_a_module_attribute_by_dot_or_colon(config_module, settings_package, name):
    config = config_module.Config()
    config.from_object(name)
    assert config["SECRET_KEY"] == "class" and config["DEBUG"] is False


def test_a_module_being_imported_configures_from_itself(config_module, settings_package, tmp_path):
    (tmp_path / "cfgpkg" / "selfconfig.py").write_text(
        textwrap.dedent(
            """\
            import sys

            SECRET_KEY = "circular"
            config = sys.modules["_template_config_under_test"].Config()
            config.from_object(__name__)
            """
        )
    )
    module = importlib.import_module("cfgpkg.selfconfig")
    assert module.config["SECRET_KEY"] == "circular"


def test_a_top_level_module_and_missing_names_fail_as_in_werkzeug(config_module, settings_package):
    config = config_module.Config()
    config.from_object("cfgpkg")  # a plain module name
    with pytest.raises(ImportError):
        config.from_object("cfgpkg.settings.Missing")
    with pytest.raises(ImportError):
        config.from_object("no_such_module_anywhere")
