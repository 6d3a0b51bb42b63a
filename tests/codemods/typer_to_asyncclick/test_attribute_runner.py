"""A runner kept on the test class's instance: ``self.cli = CliRunner()`` in ``setup_method``, read by a helper
method defined above it (``self.cli.invoke(...)``). The helper and the tests calling it become async, the invoke
and the calls awaited; the assignment was seen only after the helper, whose ``invoke`` stayed unawaited (a
coroutine's ``.stdout``: AttributeError in every test using it).
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_a_runner_set_on_self_in_setup_method():
    check_transformed(
        CODEMOD,
        """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app


        class TestCli:
            def _assert_code_in(self, expected, *args, code=0):
                result = self.cli.invoke(app, args)
                assert expected in result.stdout
                assert result.exit_code == code

            def setup_method(self, method):
                self.cli = CliRunner()

            @pytest.mark.parametrize("flag", ["-h", "--help"])
            def test_help(self, flag):
                self._assert_code_in("Usage", flag)
        """,
        """\
        import pytest
        from asyncclick.testing import CliRunner

        from tool.cli import app


        class TestCli:
            async def _assert_code_in(self, expected, *args, code=0):
                result = await self.cli.invoke(app, args)
                assert expected in result.stdout
                assert result.exit_code == code

            def setup_method(self, method):
                self.cli = CliRunner()

            @pytest.mark.parametrize("flag", ["-h", "--help"])
            @pytest.mark.asyncio
            async def test_help(self, flag):
                await self._assert_code_in("Usage", flag)
        """,
    )


def test_noop_an_attribute_that_is_no_runner_keeps_its_calls_sync():
    source = """\
        from typer.testing import CliRunner

        from tool.cli import app


        class TestCli:
            def _check(self, *args):
                return self.cli.invoke(app, args)

            def setup_method(self, method):
                self.cli = object()

            def test_help(self):
                assert self._check("--help") is not None
        """
    check_transformed(CODEMOD, source, source.replace("typer.testing", "asyncclick.testing"))
