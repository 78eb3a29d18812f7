from flask import Flask, request, render_template_string

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    page = "<h2>Results for " + q + "</h2><ul></ul>"
    return render_template_string(page)
