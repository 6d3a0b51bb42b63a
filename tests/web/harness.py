"""Helpers of the web suite: people with API tokens, and signing in through the form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from admin_assistant.wiring.app import Application


@dataclass
class Person:
    id: int
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def person(application: Application, email: str, name: str, timezone: str = "UTC") -> Person:
    user, token = await application.aio.users.create(email, name, timezone=timezone)
    return Person(user.id, user.email, token)


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    found = CSRF_INPUT.search(page.text)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, who: Person) -> str:
    """Sign in through the form; returns the CSRF token of the signed-in session."""
    form = await client.get("/sign-in")
    response = await client.post("/sign-in", data={"email": who.email, "token": who.token, "csrf_token": csrf_of(form)})
    assert response.status_code == 303, response.text
    return csrf_of(await client.get("/"))
