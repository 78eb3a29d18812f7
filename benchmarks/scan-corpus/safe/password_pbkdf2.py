import hashlib
import hmac
import os


def hash_pw(pw, salt=None, iterations=600_000):
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pw.encode(), salt, iterations)
    return salt.hex() + "$" + digest.hex()


def verify_pw(pw, stored):
    salt_hex, digest_hex = stored.split("$", 1)
    candidate = hash_pw(pw, bytes.fromhex(salt_hex)).split("$", 1)[1]
    return hmac.compare_digest(candidate, digest_hex)
