import sqlite3
import bcrypt


def register(username, password):
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())
    with sqlite3.connect("app.db") as conn:
        conn.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (username, hashed))


def check(password, hashed):
    return bcrypt.checkpw(password.encode("utf-8"), hashed)
