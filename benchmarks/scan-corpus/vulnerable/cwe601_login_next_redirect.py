from flask import Flask, request, redirect, session

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["username"]
    next_url = request.args.get("next", "/")
    return redirect(next_url)
