"""A class-based JSON API: MethodView, add_url_rule, custom errors and error handlers."""
from flask import Flask, jsonify, request
from flask.views import MethodView


class APIError(Exception):
    def __init__(self, message, status=400):
        self.message = message
        self.status = status


app = Flask(__name__)
USERS = {}


@app.errorhandler(APIError)
def handle_api_error(error):
    return jsonify({"error": error.message}), error.status


class UserList(MethodView):
    def get(self):
        limit = request.args.get("limit", 50, type=int)
        return jsonify(list(USERS.values())[:limit])

    def post(self):
        payload = request.get_json(silent=True) or {}
        name = payload.get("name")
        if not name:
            raise APIError("name is required")
        user = {"id": len(USERS) + 1, "name": name, "email": payload.get("email")}
        USERS[user["id"]] = user
        return jsonify(user), 201


class UserDetail(MethodView):
    def get(self, user_id):
        if user_id not in USERS:
            raise APIError("no such user", 404)
        return jsonify(USERS[user_id])

    def delete(self, user_id):
        if USERS.pop(user_id, None) is None:
            raise APIError("no such user", 404)
        return jsonify(deleted=user_id)


app.add_url_rule("/users", view_func=UserList.as_view("user_list"))
app.add_url_rule("/users/<int:user_id>", view_func=UserDetail.as_view("user_detail"))


@app.route("/health")
def health():
    return {"status": "ok", "users": len(USERS)}
