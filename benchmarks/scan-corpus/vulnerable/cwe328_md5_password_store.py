import hashlib
import sqlite3


def register(username, password):
    hashed = hashlib.md5(password.encode("utf-8")).hexdigest()
    with sqlite3.connect("app.db") as conn:
        conn.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (username, hashed))
