import ast
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/parse", methods=["POST"])
def parse_value():
    raw = request.form.get("value", "")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError) as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"type": type(value).__name__, "value": repr(value)})
