import re
import requests
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/preview")
def preview():
    url = request.args["url"]
    html = requests.get(url, timeout=5).text
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return jsonify(title=match.group(1).strip() if match else None)
