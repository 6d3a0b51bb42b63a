"""Fixture apps converted and served next to their Flask originals: same status, redirect, JSON, page text."""

from __future__ import annotations

from pathlib import Path

from side_by_side import assert_same, convert_tree, load

FIXTURES = Path(__file__).parent / "fixtures"


def test_shop_answers_the_same(tmp_path):
    result = convert_tree(FIXTURES / "shop", tmp_path / "shop")
    assert result.count("failed") == 0
    flask_app, fastapi_app = load(FIXTURES / "shop", "app"), load(tmp_path / "shop", "app")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/"),
            ("GET", "/?page=3&q=hi"),
            ("GET", "/items/3"),
            ("GET", "/items/30"),
            ("GET", "/items/abc"),
            ("POST", "/items", {"json": {"name": "a"}}),
            ("POST", "/items", {"json": {}}),
            ("GET", "/login"),
            ("POST", "/login", {"data": {"username": "bob"}}),
            ("GET", "/"),
            ("GET", "/missing"),
        ],
    )
