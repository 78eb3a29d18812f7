import os

CACHE_DIR = "/var/cache/reports"


def ensure_cache():
    os.makedirs(CACHE_DIR, mode=0o777, exist_ok=True)
    return CACHE_DIR
