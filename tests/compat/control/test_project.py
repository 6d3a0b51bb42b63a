"""compat.control.project: [tool.asyncshift] and where the records' database comes from."""

from __future__ import annotations

import pytest

from compat.control.project import ProjectError, database_url, load_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "myapp_settings.py").write_text("def url():\n    return 'sqlite:///from-callable.db'\n")
    return tmp_path


def write(project, body):
    (project / "pyproject.toml").write_text("[tool.asyncshift]\n" + body)


def test_db_option_beats_the_environment_beats_pyproject(project, monkeypatch):
    write(project, 'database = "myapp_settings:url"\n')
    assert database_url() == ("sqlite:///from-callable.db", f"{project / 'pyproject.toml'} [tool.asyncshift] database")
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", "sqlite:///env.db")
    assert database_url() == ("sqlite:///env.db", "ASYNCSHIFT_DATABASE_URL")
    assert database_url("sqlite:///opt.db") == ("sqlite:///opt.db", "--db")


def test_a_plain_url_in_pyproject_is_used_as_is(project):
    write(project, 'database = "postgresql://app@db/app"\n')
    assert database_url()[0] == "postgresql://app@db/app"


def test_nothing_configured_gives_none(project):
    assert database_url() is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('database = "nowhere_module:url"\n', "cannot import nowhere_module"),
        ('database = "myapp_settings:nope"\n', "myapp_settings has no 'nope'"),
        ('database = "myapp_settings"\n', "write it as 'package.module:callable'"),
        ('databse = "x"\n', "unknown key 'databse' in [tool.asyncshift]"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_file_and_the_fix(project, body, message):
    write(project, body)
    with pytest.raises(ProjectError, match="pyproject.toml") as error:
        database_url()
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_nearest_pyproject_above_the_working_directory_is_read(project, monkeypatch):
    write(project, 'old = "src/a/sync"\nnew = "src/a/aio"\n')
    (project / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(project / "deep" / "er")
    assert (load_project().old, load_project().root) == ("src/a/sync", project)
