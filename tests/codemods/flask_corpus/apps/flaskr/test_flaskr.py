import os
import sqlite3
import tempfile

import pytest
from werkzeug.security import generate_password_hash

from flaskr import create_app
from flaskr.db import init_db


@pytest.fixture
def app():
    fd, path = tempfile.mkstemp()
    init_db(path)
    db = sqlite3.connect(path)
    db.execute("INSERT INTO user (username, password) VALUES (?, ?)", ("test", generate_password_hash("test")))
    db.execute("INSERT INTO user (username, password) VALUES (?, ?)", ("other", generate_password_hash("other")))
    db.execute("INSERT INTO post (title, body, author_id, created) VALUES ('test title', 'test body', 1, '2018-01-01 00:00:00')")
    db.commit()
    db.close()
    app = create_app({"TESTING": True, "DATABASE": path})
    yield app
    os.close(fd)
    os.unlink(path)


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username="test", password="test"):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_hello(client):
    assert client.get("/hello").data == b"Hello, World!"


def test_index_anonymous(client):
    response = client.get("/")
    assert b"Log In" in response.data
    assert b"Register" in response.data


def test_index_logged_in(client):
    login(client)
    response = client.get("/")
    assert b"Log Out" in response.data
    assert b"test title" in response.data
    assert b'href="/1/update"' in response.data


def test_register(client):
    assert client.get("/auth/register").status_code == 200
    response = client.post("/auth/register", data={"username": "a", "password": "a"})
    assert response.headers["Location"] == "/auth/login"


@pytest.mark.parametrize(("username", "password", "message"), [("", "", b"Username is required."), ("a", "", b"Password is required."), ("test", "test", b"already registered")])
def test_register_validate_input(client, username, password, message):
    response = client.post("/auth/register", data={"username": username, "password": password})
    assert message in response.data


def test_login(client):
    assert client.get("/auth/login").status_code == 200
    response = login(client)
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["user_id"] == 1


@pytest.mark.parametrize(("username", "password", "message"), [("a", "test", b"Incorrect username."), ("test", "a", b"Incorrect password.")])
def test_login_validate_input(client, username, password, message):
    response = login(client, username, password)
    assert message in response.data


def test_logout(client):
    login(client)
    response = client.get("/auth/logout")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ("/create", "/1/update", "/1/delete"))
def test_login_required(client, path):
    response = client.post(path)
    assert response.headers["Location"] == "/auth/login"


def test_author_required(client):
    login(client, "other", "other")
    assert client.post("/1/update").status_code == 403
    assert client.post("/1/delete").status_code == 403


@pytest.mark.parametrize("path", ("/2/update", "/2/delete"))
def test_exists_required(client, path):
    login(client)
    assert client.post(path).status_code == 404


def test_create(client):
    login(client)
    assert client.get("/create").status_code == 200
    response = client.post("/create", data={"title": "created", "body": ""}, follow_redirects=True)
    assert b"created" in response.data


def test_update(client):
    login(client)
    assert client.get("/1/update").status_code == 200
    client.post("/1/update", data={"title": "updated", "body": ""})
    assert b"updated" in client.get("/").data


@pytest.mark.parametrize("path", ("/create", "/1/update"))
def test_create_update_validate(client, path):
    login(client)
    response = client.post(path, data={"title": "", "body": ""})
    assert b"Title is required." in response.data


def test_delete(client):
    login(client)
    response = client.post("/1/delete")
    assert response.headers["Location"] == "/"
    assert b"test title" not in client.get("/").data
