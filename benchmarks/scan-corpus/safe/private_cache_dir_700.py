import os

CACHE_DIR = os.path.expanduser("~/.cache/reports")


def ensure_cache():
    os.makedirs(CACHE_DIR, mode=0o700, exist_ok=True)
    return CACHE_DIR
