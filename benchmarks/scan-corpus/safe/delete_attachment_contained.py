import os
from flask import Flask, request, abort

app = Flask(__name__)
ATTACH_DIR = os.path.realpath("attachments")


@app.route("/attachments/delete", methods=["POST"])
def delete_attachment():
    target = os.path.realpath(os.path.join(ATTACH_DIR, request.form["name"]))
    if os.path.commonpath([ATTACH_DIR, target]) != ATTACH_DIR:
        abort(400)
    os.remove(target)
    return {"status": "deleted"}
