from flask import Flask, session

app = Flask(__name__)
app.secret_key = "k9$Lq2!vXz7#pR4w"


@app.route("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return f"Visits: {session['visits']}"
