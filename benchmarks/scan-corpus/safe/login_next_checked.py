from urllib.parse import urlparse
from flask import Flask, request, redirect, session, url_for

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["username"]
    next_url = request.args.get("next", "")
    parsed = urlparse(next_url)
    if not next_url or parsed.netloc or parsed.scheme:
        next_url = url_for("index")
    return redirect(next_url)


@app.route("/")
def index():
    return "home"
