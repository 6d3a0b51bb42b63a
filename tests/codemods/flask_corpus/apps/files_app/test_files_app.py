import io

import pytest

from app import app


@pytest.fixture
def client():
    return app.test_client()


def test_upload_and_download(client):
    response = client.post("/upload", data={"file": (io.BytesIO(b"hello"), "hello.txt")})
    assert response.status_code == 201
    assert response.get_json() == {"saved": "hello.txt"}
    assert client.get("/files/hello.txt").data == b"hello"
    assert client.get("/files/missing.txt").status_code == 404


def test_upload_without_file(client):
    assert client.post("/upload", data={}).status_code == 400


def test_report(client):
    response = client.get("/report.csv")
    assert response.data == b"a,b\n1,2\n"
    assert response.headers["Content-Type"].startswith("text/csv")


def test_headers_and_cookies(client):
    assert client.get("/whoami", headers={"User-Agent": "pytest"}).get_json() == {"agent": "pytest", "theme": "light"}
    response = client.get("/theme/dark")
    assert response.headers["X-Theme"] == "dark"
    assert client.get("/whoami", headers={"User-Agent": "pytest"}).get_json()["theme"] == "dark"
