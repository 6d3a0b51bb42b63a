from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user, login_required

from .models import NOTES

main = Blueprint("main", __name__)


@main.route("/")
def index():
    return render_template("index.html")


@main.route("/profile")
@login_required
def profile():
    return render_template("profile.html", name=current_user.email)


@main.route("/api/notes", methods=["GET", "POST"])
@login_required
def notes():
    mine = NOTES.setdefault(current_user.id, [])
    if request.method == "POST":
        text = request.json.get("text", "").strip()
        if not text:
            return jsonify(error="text is required"), 400
        note = {"id": len(mine) + 1, "text": text}
        mine.append(note)
        return jsonify(note), 201
    return jsonify(mine)
