"""References to Typer's names (``typer.echo``, ``typer.Exit``, ``from typer import Abort``) as AsyncClick's.

Typer re-exports most of Click; those names read the same on ``click``. Names the other rules
rewrite (``Typer``, ``Option``, ``run``...) are left to them.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.params import quote

HELPERS = set(
    "echo secho style unstyle confirm launch get_app_dir getchar clear pause edit progressbar open_file "
    "format_filename get_binary_stream get_text_stream echo_via_pager".split()
)
EXCEPTIONS = {
    "Exit": "click.exceptions.Exit",
    "Abort": "click.Abort",
    "BadParameter": "click.BadParameter",
    "ClickException": "click.ClickException",
    "UsageError": "click.UsageError",
    "BadOptionUsage": "click.BadOptionUsage",
    "BadArgumentUsage": "click.BadArgumentUsage",
    "FileError": "click.FileError",
    "MissingParameter": "click.MissingParameter",
    "NoSuchOption": "click.NoSuchOption",
    "Context": "click.Context",
    "CallbackParam": "click.Parameter",
    "get_current_context": "click.get_current_context",
    "testing.CliRunner": "click.testing.CliRunner",
    "testing.Result": "click.testing.Result",
}
# Typer's click subclasses: the helper written beside the converted files has a twin of each
HELPER_CLASSES = {f"core.{name}": name for name in ("TyperGroup", "TyperCommand", "TyperArgument", "TyperOption")}
PREFIXES = {"colors", "main", "testing", "models", "core", "params"}
HANDLED_ELSEWHERE = {
    "Typer",
    "Option",
    "Argument",
    "run",
    "prompt",
    "main.get_command",
    "FileText",
    "FileTextWrite",
    "FileBinaryRead",
    "FileBinaryWrite",
}


# Names of the run that stand for typer.testing's (``analysis``): another module's CliRunner() or fixture
STAND_INS = ("testing.runner", "testing.invoker", "testing.patched", "testing.registered")


def reference(tr: Conversion, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
    """``typer.echo`` as ``click.echo``, ``typer.Exit`` as Click's, a TODO for what has no twin."""
    resolved = tr.names.resolve(original)
    if resolved is None:
        return updated
    if any(resolved == name or resolved.startswith(f"{name}.") for name in STAND_INS):
        return updated
    if resolved in HELPERS:
        return snippets.expression(f"click.{resolved}")
    if resolved in HELPER_CLASSES:
        return cst.Name(HELPER_CLASSES[resolved])
    if resolved in EXCEPTIONS:
        if resolved.startswith("testing."):
            tr.needs_testing_import = True
        return snippets.expression(EXCEPTIONS[resolved])
    if resolved.startswith("colors."):
        return cst.SimpleString(quote(resolved.split(".", 1)[1].lower()))
    if resolved in PREFIXES or resolved in HANDLED_ELSEWHERE:
        return updated
    tr.todo(f"typer.{resolved} has no AsyncClick equivalent here; port it by hand")
    return updated


def prompt(tr: Conversion, updated: cst.Call, awaited: bool) -> cst.BaseExpression:
    """``typer.prompt(...)``: ``await click.prompt(...)`` where it can be awaited (``awaited``); in code that stays
    sync, the helper's ``typer_prompt(...)``, which runs asyncclick's prompt to its end (blocking, as Typer's)."""
    if awaited:
        return cst.Await(updated.with_changes(func=snippets.expression("click.prompt")))
    where = f"'{tr.func_stack[-1]['name']}'" if tr.func_stack else "module level"
    tr.notes.note(
        f"typer.prompt in sync code ({where}) became the helper's typer_prompt, which runs asyncclick's "
        "prompt to its end (blocking, as Typer's)"
    )
    return updated.with_changes(func=cst.Name("typer_prompt"))
