import pytest

from app import USERS, app


@pytest.fixture
def client():
    USERS.clear()
    return app.test_client()


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok", "users": 0}


def test_create_list_get_delete(client):
    response = client.post("/users", json={"name": "Ann", "email": "ann@example.com"})
    assert response.status_code == 201
    assert client.get("/users").get_json()[0]["name"] == "Ann"
    assert client.get("/users?limit=0").get_json() == []
    assert client.get("/users/1").get_json()["email"] == "ann@example.com"
    assert client.delete("/users/1").get_json() == {"deleted": 1}
    assert client.get("/users/1").status_code == 404


def test_validation(client):
    response = client.post("/users", json={})
    assert response.status_code == 400
    assert response.get_json() == {"error": "name is required"}


def test_wrong_method(client):
    assert client.put("/users").status_code == 405
