from flask import Flask, request, render_template

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    return render_template("results.html", query=q, results=[])
