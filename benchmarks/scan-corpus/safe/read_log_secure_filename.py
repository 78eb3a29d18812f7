import os
from flask import Flask, abort
from werkzeug.utils import secure_filename

app = Flask(__name__)
LOG_DIR = "/var/log/myapp"


@app.route("/logs/<name>")
def read_log(name):
    path = os.path.join(LOG_DIR, secure_filename(name))
    if not os.path.isfile(path):
        abort(404)
    with open(path) as fh:
        return "<pre>" + fh.read().replace("<", "&lt;") + "</pre>"
