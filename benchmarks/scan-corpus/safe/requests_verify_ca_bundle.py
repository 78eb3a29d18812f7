import requests

API = "https://internal-api.example.com/v2/status"
CA_BUNDLE = "/etc/ssl/certs/internal-ca.pem"


def fetch_status():
    response = requests.get(API, verify=CA_BUNDLE, timeout=5)
    response.raise_for_status()
    return response.json()
