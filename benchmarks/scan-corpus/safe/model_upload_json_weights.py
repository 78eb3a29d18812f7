import json
from flask import Flask, request

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    weights = json.load(request.files["model"])
    features = [float(x) for x in request.form["features"].split(",")]
    score = sum(w * x for w, x in zip(weights["coef"], features)) + weights["intercept"]
    return {"prediction": score}
