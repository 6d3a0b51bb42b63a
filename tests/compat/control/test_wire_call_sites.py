"""``asyncshift wire`` names where the application builds a wired service, or its own scheduler,
itself: calls no flag moves, listed in the written module per class with the first place found."""

from __future__ import annotations

from compat.control.wiring import Pair, Plan, built_by_the_application, with_call_sites
from compat.control.wiring_text import wiring_text

from .wire_fixtures import write

CODE = {
    "shop/services/users.py": "class UserService:\n    pass\n",
    "shop/cli.py": """\
from flask_apscheduler import APScheduler

from shop.services import users
from shop.services.users import UserService as Users


def main():
    Users()
    users.UserService()
    return APScheduler()


def other():
    return Users
""",
}


def test_the_places_the_code_builds_a_wired_class_or_a_scheduler_are_found(tmp_path):
    write(tmp_path, CODE)
    found = built_by_the_application(tmp_path, ["shop"], {"shop.services.users.UserService": "services.users"})
    assert found == {
        "services.users": ["shop/cli.py:8", "shop/cli.py:9"],
        "its own scheduler (flask_apscheduler.APScheduler)": ["shop/cli.py:10"],
    }


def test_the_written_module_lists_them_as_comments(tmp_path):
    write(tmp_path, CODE)
    plan = Plan(project="shop", services=[Pair("users", "shop.services.users:UserService", "x:UserService")])
    with_call_sites(plan, tmp_path, {"shop": "shop_aio"})
    text = wiring_text(plan, "asyncshift_wiring")
    compile(text, "asyncshift_wiring.py", "exec")
    assert "#   services.users: 2 call(s), first at shop/cli.py:8\n" in text
    assert "#   its own scheduler (flask_apscheduler.APScheduler): 1 call(s), first at shop/cli.py:10\n" in text
    assert "TODO(asyncshift)" not in text
