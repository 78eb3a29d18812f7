import os
from flask import Flask, request

app = Flask(__name__)
ATTACH_DIR = "attachments"


@app.route("/attachments/delete", methods=["POST"])
def delete_attachment():
    name = request.form["name"]
    os.remove(os.path.join(ATTACH_DIR, name))
    return {"status": "deleted", "name": name}
