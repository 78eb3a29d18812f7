import requests

API = "https://internal-api.example.com/v2/status"


def fetch_status():
    response = requests.get(API, verify=False, timeout=5)
    return response.json()
