import re
import subprocess
from flask import Flask, request

app = Flask(__name__)
REPO_RE = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+(\.git)?$")


@app.route("/clone", methods=["POST"])
def clone_repo():
    repo_url = request.json["url"]
    if not REPO_RE.match(repo_url):
        return "invalid repository url", 400
    output = subprocess.check_output(["git", "clone", "--depth", "1", "--", repo_url, "/srv/repos/"])
    return output.decode()
