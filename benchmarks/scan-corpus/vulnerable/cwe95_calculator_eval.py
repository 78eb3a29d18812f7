from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/calc", methods=["POST"])
def calc():
    expression = request.form.get("expr", "")
    try:
        value = eval(expression)
    except Exception as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"result": value})
