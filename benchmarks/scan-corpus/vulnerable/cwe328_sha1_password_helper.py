import hashlib
import os


def hash_pw(pw, salt=None):
    salt = salt or os.urandom(8).hex()
    digest = hashlib.sha1((salt + pw).encode()).hexdigest()
    return f"{salt}${digest}"


def verify_pw(pw, stored):
    salt, _ = stored.split("$", 1)
    return hash_pw(pw, salt) == stored
