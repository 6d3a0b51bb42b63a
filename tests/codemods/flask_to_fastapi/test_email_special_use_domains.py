"""A project pinning email-validator below 1.2.0 keeps taking addresses at special-use domains once the conversion
moves it to 2.x (FastAPI needs it): WTForms' ``Email()`` under 2.x refused ``new@test.test``, which the project's
1.1.2 took, so a register form that validated in its test did not (cookiecutter-flask's
test_forms::TestRegisterForm::test_validate_success). A module validating e-mail addresses empties
``email_validator.SPECIAL_USE_DOMAIN_NAMES`` after its imports, with a TODO."""

from __future__ import annotations

import pytest
from codemod_helpers import write_tree

from codemods import runner
from codemods.flask_to_fastapi import email_domains

FORMS = (
    '"""Forms."""\n'
    "from flask_wtf import FlaskForm\n"
    "from wtforms import StringField\n"
    "from wtforms.validators import DataRequired, Email\n\n\n"
    "class RegisterForm(FlaskForm):\n"
    '    email = StringField("Email", validators=[DataRequired(), Email()])\n'
)


def convert(tmp_path, pins: str, forms: str = FORMS) -> str:
    write_tree(tmp_path, {"requirements.txt": pins, "web/__init__.py": "", "web/forms.py": forms, ".git": ""})
    runner.run("flask-to-fastapi", [tmp_path / "web"])
    return (tmp_path / "web" / "forms.py").read_text()


def test_a_form_under_a_1_1_pin_takes_special_use_domains_again(tmp_path):
    code = convert(tmp_path, "Flask==1.1.2\nFlask-WTF==0.14.3\nemail-validator==1.1.2\n")
    todo = email_domains.TODO.format(pins="==1.1.2")
    assert f"from wtforms.validators import DataRequired, Email\n{todo}\nimport email_validator\n" in code
    assert "import email_validator\nemail_validator.SPECIAL_USE_DOMAIN_NAMES.clear()\n\n\nclass RegisterForm" in code
    compile(code, "forms.py", "exec")


def test_a_second_run_changes_nothing(tmp_path):
    first = convert(tmp_path, "email-validator==1.1.2\n")
    runner.run("flask-to-fastapi", [tmp_path / "web"])
    assert (tmp_path / "web" / "forms.py").read_text() == first
    assert first.count(email_domains.CLEAR) == 1


def test_a_pin_refusing_them_already_or_no_pin_leaves_the_module_alone(tmp_path):
    for pins in ("email-validator==1.3.1\n", "email-validator==2.1.0\n", "email-validator>=1.0\n", "Flask==2.3\n"):
        assert email_domains.CLEAR not in convert(tmp_path / pins.strip(), pins), pins


def test_which_pins_took_them(tmp_path):
    cases = {"==1.1.2": True, "===1.0.5": True, "~=1.1.2": True, "<1.2": True, "<=1.1.3": True}
    cases |= {"~=1.1": False, "==1.2.1": False, "<1.3": False, ">=1.0,<2": False, "==2.0.0": False}
    for pin, took in cases.items():
        folder = tmp_path / pin.replace("<", "lt").replace("=", "eq").replace("~", "t").replace(",", "_")
        write_tree(folder, {"requirements.txt": f"email_validator{pin}\n", "m.py": "", ".git": ""})
        assert (email_domains.pinned_before_refusing(str(folder / "m.py")) is not None) is took, pin


def test_only_modules_validating_e_mail_addresses(tmp_path):
    plain = "from flask_wtf import FlaskForm\nfrom wtforms.validators import DataRequired\n\nX = 1\n"
    assert email_domains.CLEAR not in convert(tmp_path / "a", "email-validator==1.1.2\n", plain)
    direct = "from flask import Flask\nfrom email_validator import validate_email\n\napp = Flask(__name__)\n"
    assert email_domains.CLEAR in convert(tmp_path / "b", "email-validator==1.1.2\n", direct)
    module = "from flask_wtf import FlaskForm\nfrom wtforms import validators\n\nV = [validators.Email()]\n"
    assert email_domains.CLEAR in convert(tmp_path / "c", "email-validator==1.1.2\n", module)


def test_email_validator_2_takes_the_address_once_the_lines_ran():
    email_validator = pytest.importorskip("email_validator")
    if not hasattr(email_validator, "SPECIAL_USE_DOMAIN_NAMES"):
        pytest.skip("email-validator before 1.2.1 has no such list")
    kept = list(email_validator.SPECIAL_USE_DOMAIN_NAMES)
    try:
        with pytest.raises(email_validator.EmailNotValidError):
            email_validator.validate_email("new@test.test", check_deliverability=False)
        exec(compile("import email_validator\n" + email_domains.CLEAR, "forms.py", "exec"), {})
        email_validator.validate_email("new@test.test", check_deliverability=False)
    finally:
        email_validator.SPECIAL_USE_DOMAIN_NAMES[:] = kept
