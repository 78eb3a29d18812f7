import requests

STRIPE_API_KEY = "sk_live_51Hx9QkLm2nB7vR4tY8wZ3pD6"


def list_charges(limit=10):
    resp = requests.get(
        "https://api.stripe.com/v1/charges",
        params={"limit": limit},
        headers={"Authorization": f"Bearer {STRIPE_API_KEY}"},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["data"]
