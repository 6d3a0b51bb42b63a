"""The registry: codemods by name."""

from __future__ import annotations

import pytest

from codemods import registry


def test_unknown_codemod_names_the_known_ones():
    with pytest.raises(registry.UnknownCodemod, match="typer-to-asyncclick"):
        registry.get("nope")
