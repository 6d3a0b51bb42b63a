from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash


class User(UserMixin):
    def __init__(self, id, email, password):
        self.id = id
        self.email = email
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


USERS = {1: User(1, "ann@example.com", "secret")}
NOTES = {1: [{"id": 1, "text": "first note"}]}


def find_user(email):
    return next((u for u in USERS.values() if u.email == email), None)
