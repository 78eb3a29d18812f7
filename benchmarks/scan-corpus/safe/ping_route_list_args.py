import ipaddress
import subprocess
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "127.0.0.1")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return jsonify({"error": "invalid address"}), 400
    result = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True, timeout=10)
    return jsonify({"output": result.stdout, "code": result.returncode})
