import pickle
from flask import Flask, request

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    model = pickle.load(request.files["model"])
    features = [float(x) for x in request.form["features"].split(",")]
    return {"prediction": float(model.predict([features])[0])}
