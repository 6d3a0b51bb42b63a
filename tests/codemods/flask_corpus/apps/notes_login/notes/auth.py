from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from . import login_manager
from .models import USERS, find_user

auth = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    return USERS.get(int(user_id))


@auth.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = find_user(request.form.get("email"))
        if user is None or not user.check_password(request.form.get("password", "")):
            flash("Please check your login details and try again.")
            return redirect(url_for("auth.login"))
        login_user(user, remember=bool(request.form.get("remember")))
        return redirect(request.args.get("next") or url_for("main.profile"))
    return render_template("login.html")


@auth.route("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("main.index"))
