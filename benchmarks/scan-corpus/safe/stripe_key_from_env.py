import os
import requests

STRIPE_API_KEY = os.getenv("STRIPE_API_KEY")


def list_charges(limit=10):
    resp = requests.get(
        "https://api.stripe.com/v1/charges",
        params={"limit": limit},
        headers={"Authorization": f"Bearer {STRIPE_API_KEY}"},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["data"]
