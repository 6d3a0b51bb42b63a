"""A twin's imports point into the twin; imports of anything else are kept (one case per test, noops too)."""

from __future__ import annotations

import textwrap

import pytest

from codemods.twin_imports import retarget

SUBMODULES = frozenset({"models", "routes", "sub"})


def _check(source: str, expected: str, *, old="web", new="web_async", module="web.routes", package=False) -> None:
    source, expected = textwrap.dedent(source), textwrap.dedent(expected)
    after = retarget(source, old, new, module, package=package, submodules=SUBMODULES)
    assert after == expected
    compile(after, "<twin>", "exec", dont_inherit=True)
    again = retarget(after, old, new, module, package=package, submodules=SUBMODULES)
    assert again == after, "a second pass changes nothing"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from web.models import User\n", "from web_async.models import User\n"),
        ("from web import models\n", "from web_async import models\n"),
        ("import web.models as m\n", "import web_async.models as m\n"),
        ("import web.models\nx = web.models.User\n", "import web_async.models\nx = web_async.models.User\n"),
        ("from web.models import *\n", "from web_async.models import *\n"),
        ("import web.models as m\nprint(web.attr)\n", "import web_async.models as m\nprint(web.attr)\n"),
    ],
    ids=["from-module", "from-package", "import-as", "import-plain-and-uses", "star", "aliased-only-binds-m"],
)
def test_imports_of_the_twinned_package_point_into_the_twin(source, expected):
    _check(source, expected)


@pytest.mark.parametrize(
    "source",
    [
        "from webhooks import x\nimport website.y\n",
        "from core.models import User\nimport flask\n",
        "from . import models\nfrom .sub import x\n",
        "web = 1\nprint(web.real)\n",  # no import of the package: a variable named like it is left alone
    ],
    ids=["prefix-lookalikes", "other-packages", "relative-inside", "unrelated-name"],
)
def test_noop(source):
    _check(source, source)


def test_relative_import_that_leaves_the_package_becomes_absolute():
    _check(
        "from ..core import db\n",
        "from app.core import db\n",
        old="app.web",
        new="app.web_async",
        module="app.web.routes",
    )


def test_relative_import_of_an_init_counts_from_the_package_itself():
    source = "from . import models\nfrom .. import settings\n"
    expected = "from . import models\nfrom app import settings\n"
    _check(source, expected, old="app.web", new="app.web_async", module="app.web", package=True)


def test_dotted_package_from_its_parent_keeps_its_local_name():
    _check(
        "from app import sync\n", "from app import aio as sync\n", old="app.sync", new="app.aio", module="app.sync.x"
    )


def test_dotted_package_from_its_parent_when_the_twin_has_another_parent():
    _check(
        "from app import sync, other\n",
        "from app import other; from twins import aio as sync\n",
        old="app.sync",
        new="twins.aio",
        module="app.sync.x",
    )


def test_plain_dotted_import_uses_are_rewritten_for_a_nested_package():
    source = "import app.sync.repo\nr = app.sync.repo.Repo()\nother = app.settings\n"
    expected = "import app.aio.repo\nr = app.aio.repo.Repo()\nother = app.settings\n"
    _check(source, expected, old="app.sync", new="app.aio", module="app.sync.x")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('mock.patch("web.models.send")\n', 'mock.patch("web_async.models.send")\n'),
        ("monkeypatch.setattr('web.sub.x.y', 1)\n", "monkeypatch.setattr('web_async.sub.x.y', 1)\n"),
        ('app = "web.routes:app"\n', 'app = "web_async.routes:app"\n'),
    ],
    ids=["mock-patch", "setattr-string", "entry-point"],
)
def test_strings_naming_a_module_of_the_package_name_the_twin(source, expected):
    _check(source, expected)


@pytest.mark.parametrize(
    "source",
    [
        'url_for("web.index")\n',  # an endpoint, not a module of the package
        'name = "web"\n',
        'x = "web.models is {}"\n',
        'r"web.models\\d"\n',
    ],
    ids=["endpoint", "bare-name", "sentence", "escapes"],
)
def test_strings_that_do_not_name_a_module_are_kept(source):
    _check(source, source)


def test_text_without_the_package_name_is_returned_unparsed():
    assert retarget("this is not python (", "web", "web_async", "web.x", package=False, submodules=SUBMODULES) == (
        "this is not python ("
    )


def test_relative_import_into_another_twinned_package_stays_when_it_lands_in_that_twin():
    others = (("app.sync.repositories", "app.aio.repositories"),)
    source = "from ..repositories import Repositories\nfrom ..domain import User\n"
    after = retarget(
        source,
        "app.sync.services",
        "app.aio.services",
        "app.sync.services.users",
        package=False,
        submodules=frozenset({"users"}),
        others=others,
    )
    # ``..repositories`` from app.aio.services is app.aio.repositories, the twin: kept (its place in isort's order
    # kept too); ``..domain`` from there would be app.aio.domain, which is not app.sync.domain: made absolute.
    assert after == "from ..repositories import Repositories\nfrom app.sync.domain import User\n"


def test_relative_import_into_a_twinned_package_elsewhere_becomes_absolute():
    others = (("app.sync.repositories", "app.repositories_async"),)
    source = "from ..repositories import Repositories\n"
    after = retarget(
        source,
        "app.sync.services",
        "app.aio.services",
        "app.sync.services.users",
        package=False,
        submodules=frozenset({"users"}),
        others=others,
    )
    assert after == "from app.sync.repositories import Repositories\n"  # the second pass points it into the twin
