from flask import Flask, request
from defusedxml.ElementTree import fromstring

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_xml():
    root = fromstring(request.data)
    return {"items": len(root.findall("item"))}
