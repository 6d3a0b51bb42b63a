import pytest

from library import create_app


@pytest.fixture
def client():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client()


def _seed(client):
    ann = client.post("/api/authors", json={"name": "Ann"}).get_json()
    bob = client.post("/api/authors", json={"name": "Bob"}).get_json()
    for title, year, author in [("Alpha", 1990, ann), ("Beta", 1985, ann), ("Gamma", 2001, bob)]:
        client.post("/api/books", json={"title": title, "year": year, "author_id": author["id"]})
    return ann, bob


def test_authors_and_their_books(client):
    _seed(client)
    response = client.get("/api/authors")
    assert response.status_code == 200
    assert response.get_json()[0] == {"id": 1, "name": "Ann", "books": ["Alpha", "Beta"]}
    assert client.get("/api/authors/Bob").get_json()["books"] == ["Gamma"]


def test_missing_things_are_404(client):
    assert client.get("/api/authors/nobody").status_code == 404
    assert client.get("/api/books/42").status_code == 404
    assert client.post("/api/books", json={"title": "x", "author_id": 9}).status_code == 404
    assert client.post("/api/authors", json={}).status_code == 400


def test_books_are_paged(client):
    _seed(client)
    first = client.get("/api/books").get_json()
    assert first["total"] == 3 and first["pages"] == 2 and first["next"] == 2
    assert [b["title"] for b in client.get("/api/books?page=2").get_json()["items"]] == ["Gamma"]
    assert client.get("/api/books?page=5").status_code == 404


def test_delete_and_stats(client):
    _seed(client)
    assert client.get("/api/stats").get_json() == {"books": 3, "authors": 2, "oldest": "Beta"}
    assert client.delete("/api/books/2").status_code == 204
    assert client.get("/api/books/2").status_code == 404
    assert client.get("/api/stats").get_json()["books"] == 2
