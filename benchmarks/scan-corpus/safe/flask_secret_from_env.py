import os
import secrets
from flask import Flask, session

app = Flask(__name__)
app.secret_key = os.environ.get("FLASK_SECRET_KEY") or secrets.token_hex(32)


@app.route("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return f"Visits: {session['visits']}"
