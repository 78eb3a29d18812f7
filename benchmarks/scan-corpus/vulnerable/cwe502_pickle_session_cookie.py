import base64
import pickle
from flask import Flask, request

app = Flask(__name__)


@app.route("/cart")
def view_cart():
    raw = request.cookies.get("cart")
    cart = pickle.loads(base64.b64decode(raw)) if raw else []
    return {"items": cart}
