"""A JSON to-do API in one module, the way most tutorials write it."""
from flask import Flask, jsonify, request, abort

app = Flask(__name__)

TODOS = {1: {"id": 1, "title": "Write code", "done": False}}


@app.route("/api/todos", methods=["GET"])
def list_todos():
    done = request.args.get("done")
    items = list(TODOS.values())
    if done is not None:
        items = [t for t in items if str(t["done"]).lower() == done.lower()]
    return jsonify(items)


@app.route("/api/todos/<int:todo_id>")
def get_todo(todo_id):
    todo = TODOS.get(todo_id)
    if todo is None:
        abort(404)
    return jsonify(todo)


@app.route("/api/todos", methods=["POST"])
def create_todo():
    data = request.get_json()
    if not data or not data.get("title"):
        return jsonify({"error": "title is required"}), 400
    todo_id = max(TODOS) + 1 if TODOS else 1
    TODOS[todo_id] = {"id": todo_id, "title": data["title"], "done": False}
    return jsonify(TODOS[todo_id]), 201


@app.route("/api/todos/<int:todo_id>", methods=["PUT", "PATCH"])
def update_todo(todo_id):
    if todo_id not in TODOS:
        abort(404)
    data = request.get_json() or {}
    TODOS[todo_id].update({k: v for k, v in data.items() if k in ("title", "done")})
    return jsonify(TODOS[todo_id])


@app.route("/api/todos/<int:todo_id>", methods=["DELETE"])
def delete_todo(todo_id):
    if TODOS.pop(todo_id, None) is None:
        abort(404)
    return "", 204


@app.errorhandler(404)
def not_found(error):
    return jsonify({"error": "not found"}), 404


if __name__ == "__main__":
    app.run(debug=True)
