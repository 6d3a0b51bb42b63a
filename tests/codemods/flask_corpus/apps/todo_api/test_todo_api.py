import pytest

from app import TODOS, app


@pytest.fixture
def client():
    app.config["TESTING"] = True
    TODOS.clear()
    TODOS[1] = {"id": 1, "title": "Write code", "done": False}
    return app.test_client()


def test_list(client):
    response = client.get("/api/todos")
    assert response.status_code == 200
    assert response.get_json()[0]["title"] == "Write code"


def test_filter_done(client):
    assert client.get("/api/todos?done=true").get_json() == []


def test_get_missing(client):
    response = client.get("/api/todos/99")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}


def test_create_and_update(client):
    response = client.post("/api/todos", json={"title": "Test"})
    assert response.status_code == 201
    todo_id = response.get_json()["id"]
    response = client.put(f"/api/todos/{todo_id}", json={"done": True})
    assert response.get_json()["done"] is True


def test_create_requires_title(client):
    response = client.post("/api/todos", json={})
    assert response.status_code == 400


def test_delete(client):
    assert client.delete("/api/todos/1").status_code == 204
    assert client.delete("/api/todos/1").status_code == 404


def test_unknown_url(client):
    assert client.get("/nowhere").status_code == 404
