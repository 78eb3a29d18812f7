from flask import Flask, abort

app = Flask(__name__)
LOG_DIR = "/var/log/myapp/"


@app.route("/logs/<name>")
def read_log(name):
    try:
        with open(LOG_DIR + name) as fh:
            return "<pre>" + fh.read().replace("<", "&lt;") + "</pre>"
    except FileNotFoundError:
        abort(404)
