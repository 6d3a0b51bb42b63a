"""The corpus run measures the apps named on its command line, by name or owner/name, and refuses a name it lacks."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from github_corpus import chosen_apps, load_apps  # noqa: E402


def test_by_name_and_by_owner_and_name():
    apps = load_apps()
    first, second = apps[0], apps[1]
    chosen = chosen_apps(apps, [first.name, second.repo])
    assert [a.name for a in chosen] == [first.name, second.name]


def test_none_named_is_every_app():
    apps = load_apps()
    assert chosen_apps(apps, []) == apps


def test_unknown_name_stops_with_the_names_it_knows():
    apps = load_apps()
    with pytest.raises(SystemExit, match=f"no app nosuchapp: name one of {apps[0].name}"):
        chosen_apps(apps, ["nosuchapp"])
