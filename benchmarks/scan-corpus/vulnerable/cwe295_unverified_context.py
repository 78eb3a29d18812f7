import json
import ssl
import urllib.request


def get_json(url):
    ctx = ssl._create_unverified_context()
    with urllib.request.urlopen(url, context=ctx) as resp:
        return json.loads(resp.read().decode())
