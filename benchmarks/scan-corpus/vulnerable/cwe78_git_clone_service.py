import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/clone", methods=["POST"])
def clone_repo():
    repo_url = request.json["url"]
    output = subprocess.check_output("git clone --depth 1 {} /srv/repos/".format(repo_url), shell=True)
    return output.decode()
