"""Uploads, downloads, headers, cookies and make_response, in one module."""
import io
import os
import tempfile

from flask import Flask, make_response, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = tempfile.mkdtemp()


@app.route("/upload", methods=["POST"])
def upload():
    if "file" not in request.files:
        return {"error": "no file"}, 400
    file = request.files["file"]
    name = secure_filename(file.filename)
    file.save(os.path.join(app.config["UPLOAD_FOLDER"], name))
    return {"saved": name}, 201


@app.route("/files/<path:name>")
def download(name):
    return send_from_directory(app.config["UPLOAD_FOLDER"], name)


@app.route("/report.csv")
def report():
    buffer = io.BytesIO(b"a,b\n1,2\n")
    return send_file(buffer, mimetype="text/csv", as_attachment=True, download_name="report.csv")


@app.route("/whoami")
def whoami():
    agent = request.headers.get("User-Agent", "unknown")
    theme = request.cookies.get("theme", "light")
    return {"agent": agent, "theme": theme}


@app.route("/theme/<name>")
def set_theme(name):
    response = make_response({"theme": name})
    response.set_cookie("theme", name)
    response.headers["X-Theme"] = name
    return response
