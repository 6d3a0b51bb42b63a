"""``asyncshift init``: the files it writes, what it keeps, and what it refuses."""

from __future__ import annotations

import tomllib

import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.control.project import ProjectError, database_url, database_urls, load_project
from compat.control.tomledit import TableExists, TomlEditError, set_table
from compat.flags import load_flags

from .init_fixtures import CLICK_PROJECT, FACTORY_PROJECT, SINGLE_MODULE_FLASK, TWO_DATABASES, write_project


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("ASYNCSHIFT_FLAGS", "ASYNCSHIFT_ROLLBACK", "ASYNCSHIFT_DATABASE_URL", "ANALYTICS_DB_URL"):
        monkeypatch.delenv(name, raising=False)


async def run(*args: str):
    return await CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("files", [FACTORY_PROJECT, SINGLE_MODULE_FLASK, CLICK_PROJECT, TWO_DATABASES])
async def test_the_written_flags_pass_flags_check_with_every_phase_at_sync(tmp_path, files):
    write_project(tmp_path, files)
    result = await run("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    flags_path = tmp_path / "feature_flags.yaml"
    check = await run("flags", "check", "--flags", str(flags_path))
    assert check.exit_code == 0 and check.output.startswith("ok:"), check.output
    flags = load_flags(flags_path)
    assert flags.known and set(flags.targets.values()) == {flags.default}
    assert all("." not in target for target in flags.targets)  # phases only: leaves follow their phase
    assert load_project(tmp_path).database == "sqlite:///asyncshift.db"


async def test_pyproject_keeps_every_byte_and_gains_the_table(tmp_path):
    write_project(tmp_path, FACTORY_PROJECT)
    before = (tmp_path / "pyproject.toml").read_bytes()
    assert (await run("init", str(tmp_path))).exit_code == 0
    after = (tmp_path / "pyproject.toml").read_bytes()
    assert after.startswith(before)
    project = load_project(tmp_path)
    assert (project.old, project.new) == ("src/shop", "src/shop_aio")
    assert project.web == ("shop.web:create_app",) and project.cli == ("shop.cli:app",)
    assert project.phases == ("repositories", "services", "web", "cli", "jobs")
    assert database_url(project=project, name="shop") == (
        "postgresql://localhost/shop",
        f"{tmp_path / 'pyproject.toml'} [tool.asyncshift] databases.shop default",
    )


async def test_a_project_without_pyproject_gets_one_with_only_the_table(tmp_path):
    write_project(tmp_path, SINGLE_MODULE_FLASK)
    assert (await run("init", str(tmp_path))).exit_code == 0
    data = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert list(data) == ["tool"] and list(data["tool"]) == ["asyncshift"]


async def test_two_databases_are_named_and_each_resolves(tmp_path, monkeypatch):
    write_project(tmp_path, TWO_DATABASES)
    assert (await run("init", str(tmp_path))).exit_code == 0
    project = load_project(tmp_path)
    assert set(project.databases) == {"two", "analytics", "reporting"}
    monkeypatch.setenv("ANALYTICS_DB_URL", "postgresql://db/analytics")
    urls = database_urls(project)
    assert urls["analytics"][0] == "postgresql://db/analytics"
    assert urls["two"][0] == "postgresql://localhost/main"
    assert "reporting" not in urls  # no default in the code and the variable is unset
    with pytest.raises(ProjectError, match="no database 'nope'.*known: two, analytics, reporting"):
        database_url(project=project, name="nope")


async def test_an_existing_flags_file_is_refused_without_force_and_nothing_is_written(tmp_path):
    write_project(tmp_path, FACTORY_PROJECT)
    (tmp_path / "feature_flags.yaml").write_text("version: 1\n")
    before = (tmp_path / "pyproject.toml").read_bytes()
    result = await run("init", str(tmp_path))
    assert result.exit_code == 1
    assert "feature_flags.yaml already exists; rerun with --force" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "pyproject.toml").read_bytes() == before
    assert (tmp_path / "feature_flags.yaml").read_text() == "version: 1\n"


async def test_an_existing_table_is_refused_without_force_and_replaced_with_it(tmp_path):
    write_project(tmp_path, FACTORY_PROJECT)
    pyproject = tmp_path / "pyproject.toml"
    original = pyproject.read_text()
    pyproject.write_text(original + '\n[tool.asyncshift]\nold = "elsewhere"\n\n[tool.ruff]\nline-length = 120\n')
    result = await run("init", str(tmp_path))
    assert result.exit_code == 1 and "already has [tool.asyncshift]; rerun with --force" in result.output
    assert not (tmp_path / "feature_flags.yaml").exists()
    assert (await run("init", str(tmp_path), "--force")).exit_code == 0
    text = pyproject.read_text()
    assert text.startswith(original + "\n[tool.asyncshift]\n") and text.endswith("\n[tool.ruff]\nline-length = 120\n")
    assert tomllib.loads(text)["tool"]["asyncshift"]["old"] == "src/shop"


async def test_dry_run_writes_nothing_and_prints_both_files(tmp_path):
    write_project(tmp_path, CLICK_PROJECT)
    result = await run("init", str(tmp_path), "--dry-run")
    assert result.exit_code == 0
    assert "known_targets:" in result.output and "[tool.asyncshift]" in result.output
    assert "cli.db.*" in result.output
    assert not (tmp_path / "feature_flags.yaml").exists() and not (tmp_path / "pyproject.toml").exists()


async def test_a_folder_with_nothing_to_move_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "notes.py").write_text("print('hello')\n")
    result = await run("init", str(tmp_path))
    assert result.exit_code == 1 and "found nothing to move" in result.output


async def test_help_teaches_with_an_example():
    result = await run("init", "--help")
    assert "asyncshift init --dry-run" in result.output and "--force" in result.output
    assert "init" in (await run("--help")).output


def test_set_table_keeps_crlf_and_comments_and_refuses_what_it_cannot_do_safely():
    text = '# top\r\n[project]\r\nname = "x"  # kept\r\n'
    table = '[tool.asyncshift]\ndatabase = "sqlite:///a.db"\n'
    out = set_table(text, table)
    assert out.startswith(text) and out.endswith('[tool.asyncshift]\r\ndatabase = "sqlite:///a.db"\r\n')
    with pytest.raises(TableExists):
        set_table(out, table)
    dotted = '[tool]\nasyncshift.old = "src"\n'
    with pytest.raises(TomlEditError, match="dotted keys"):
        set_table(dotted, table, force=True)
    with pytest.raises(TomlEditError, match="not valid TOML"):
        set_table("[project\n", table)


def test_a_bad_database_entry_is_one_line_naming_the_forms(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.asyncshift.databases]\ncore = { url = 1 }\n")
    with pytest.raises(ProjectError, match=r"databases\] core: write a URL"):
        load_project(tmp_path)
