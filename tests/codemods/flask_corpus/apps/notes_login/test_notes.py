import pytest

from notes import create_app
from notes.models import NOTES


@pytest.fixture
def client():
    NOTES.clear()
    NOTES[1] = [{"id": 1, "text": "first note"}]
    app = create_app({"TESTING": True})
    return app.test_client()


def login(client, password="secret"):
    return client.post("/login", data={"email": "ann@example.com", "password": password})


def test_index(client):
    response = client.get("/")
    assert b"Keep your notes." in response.data
    assert b"Login" in response.data


def test_profile_requires_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_login_redirects_to_profile(client):
    response = login(client)
    assert response.status_code == 302
    assert response.location == "/profile"
    assert b"Welcome, ann@example.com!" in client.get("/profile").data


def test_bad_password_flashes(client):
    response = login(client, "nope")
    assert response.location == "/login"
    assert b"Please check your login details" in client.get("/login").data


def test_notes_api(client):
    login(client)
    assert client.get("/api/notes").get_json() == [{"id": 1, "text": "first note"}]
    response = client.post("/api/notes", json={"text": "second"})
    assert response.status_code == 201
    assert response.get_json()["id"] == 2
    assert client.post("/api/notes", json={"text": " "}).status_code == 400


def test_logout(client):
    login(client)
    assert client.get("/logout").location == "/"
    assert client.get("/profile").status_code == 302
