import os
from flask import Flask, request
from itsdangerous import URLSafeSerializer, BadSignature

app = Flask(__name__)
serializer = URLSafeSerializer(os.environ["CART_SECRET"])


@app.route("/cart")
def view_cart():
    raw = request.cookies.get("cart")
    try:
        cart = serializer.loads(raw) if raw else []
    except BadSignature:
        cart = []
    return {"items": cart}
