import secrets
import time

TOKENS = {}


def issue_reset_token(user_id, ttl=900):
    token = secrets.token_urlsafe(32)
    TOKENS[token] = (user_id, time.time() + ttl)
    return token
