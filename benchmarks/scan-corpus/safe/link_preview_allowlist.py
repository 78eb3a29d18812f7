import re
from urllib.parse import urlparse
import requests
from flask import Flask, request, jsonify, abort

app = Flask(__name__)
ALLOWED_HOSTS = {"en.wikipedia.org", "docs.python.org"}


@app.route("/preview")
def preview():
    url = request.args["url"]
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        abort(400)
    html = requests.get(url, timeout=5, allow_redirects=False).text
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return jsonify(title=match.group(1).strip() if match else None)
