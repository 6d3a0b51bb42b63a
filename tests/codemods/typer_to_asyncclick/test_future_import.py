"""A test module that starts with ``from __future__ import annotations`` (after its docstring or not): the
``import pytest`` its marked tests need goes after the future import, which must stay the first statement
(it went between the docstring and the future import: invalid Python, the file left alone).
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_pytest_import_after_the_docstring_and_future_import():
    check_transformed(
        CODEMOD,
        '''\
        """Tests of the CLI."""
        from __future__ import annotations

        from typer.testing import CliRunner

        from tool.cli import app


        def test_hello() -> None:
            result = CliRunner().invoke(app, ["bob"])
            assert result.exit_code == 0
        ''',
        '''\
        """Tests of the CLI."""
        from __future__ import annotations

        import pytest
        from asyncclick.testing import CliRunner

        from tool.cli import app


        @pytest.mark.asyncio
        async def test_hello() -> None:
            result = await CliRunner().invoke(app, ["bob"])
            assert result.exit_code == 0
        ''',
    )


def test_pytest_import_after_a_future_import_without_docstring():
    check_transformed(
        CODEMOD,
        """\
        from __future__ import annotations, division
        from typer.testing import CliRunner
        from tool.cli import app


        def test_hello():
            assert CliRunner().invoke(app, []).exit_code == 0
        """,
        """\
        from __future__ import annotations, division

        import pytest
        from asyncclick.testing import CliRunner
        from tool.cli import app


        @pytest.mark.asyncio
        async def test_hello():
            assert (await CliRunner().invoke(app, [])).exit_code == 0
        """,
    )


def test_noop_a_module_with_pytest_imported_keeps_its_order():
    check_transformed(
        CODEMOD,
        """\
        \"\"\"Tests.\"\"\"
        from __future__ import annotations

        import pytest
        from typer.testing import CliRunner
        from tool.cli import app


        def test_hello():
            assert CliRunner().invoke(app, []).exit_code == 0
        """,
        """\
        \"\"\"Tests.\"\"\"
        from __future__ import annotations

        import pytest
        from asyncclick.testing import CliRunner
        from tool.cli import app


        @pytest.mark.asyncio
        async def test_hello():
            assert (await CliRunner().invoke(app, [])).exit_code == 0
        """,
    )
