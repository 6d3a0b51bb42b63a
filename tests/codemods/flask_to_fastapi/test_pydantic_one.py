"""A project pinned to pydantic 1: its own pydantic imports read ``pydantic.v1`` once the conversion brings pydantic 2.

FastAPI 0.100+ and the helper need pydantic 2, so the pin moves; code written for pydantic 1 (``schema()`` with
``definitions``, ``.dict()``) failed at import of the converted app. pydantic 2 ships pydantic 1's API as
``pydantic.v1``: the imports point there, with one TODO per module, and the report declares pydantic 2.
"""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner
from codemods.flask_to_fastapi import pydantic_one

MODELS = (
    "from pydantic import BaseModel, create_model\n"
    "import pydantic as pd\n"
    "from pydantic.fields import Field\n"
    "from pydantic.v1 import validator\n\n\n"
    "class Item(BaseModel):\n    name: str\n"
)


def convert(tmp_path, pins: str):
    write_tree(tmp_path, {"requirements.txt": pins, "web/models.py": MODELS, ".git": ""})
    result = runner.run("flask-to-fastapi", [tmp_path / "web"])
    return (tmp_path / "web" / "models.py").read_text(), set(result.requirements)


def test_a_pydantic_1_pin_moves_the_projects_imports_to_pydantic_v1(tmp_path):
    code, needs = convert(tmp_path, "Flask==2.1.3\npydantic==1.6.2\n")
    assert code == (
        f"{pydantic_one.TODO}\n"
        "from pydantic.v1 import BaseModel, create_model\n"
        "import pydantic.v1 as pd\n"
        "from pydantic.v1.fields import Field\n"
        "from pydantic.v1 import validator\n\n\n"
        "class Item(BaseModel):\n    name: str\n"
    )
    assert "pydantic>=2" in needs
    compile(code, "models.py", "exec")


def test_a_second_run_changes_nothing(tmp_path):
    first, _ = convert(tmp_path, "pydantic<2\n")
    runner.run("flask-to-fastapi", [tmp_path / "web"])
    assert (tmp_path / "web" / "models.py").read_text() == first
    assert first.count("TODO(asyncshift)") == 1


def test_a_project_on_pydantic_2_or_without_a_pin_is_left_alone(tmp_path):
    assert convert(tmp_path, "pydantic==2.7.1\n")[0] == MODELS
    assert convert(tmp_path, "Flask==2.3\n")[0] == MODELS


def test_which_pins_hold_pydantic_1(tmp_path):
    cases = {"pydantic==1.10.2": True, "pydantic~=1.8": True, "pydantic<2.0": True, "pydantic>=1.8,<3": False}
    cases |= {"pydantic>=1.6": False, "pydantic-core==2.1": False, "pydantic>=2,<3": False}
    for pins, held in cases.items():
        write_tree(tmp_path / pins, {"requirements.txt": pins + "\n", "m.py": "", ".git": ""})
        assert pydantic_one.pins_pydantic_one(str(tmp_path / pins / "m.py")) is held, pins
