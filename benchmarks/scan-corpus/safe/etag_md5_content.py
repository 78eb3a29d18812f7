import hashlib
from flask import Flask, Response

app = Flask(__name__)


@app.route("/report.csv")
def report():
    body = "id,total\n1,10\n2,20\n"
    etag = hashlib.md5(body.encode()).hexdigest()
    return Response(body, mimetype="text/csv", headers={"ETag": etag})
