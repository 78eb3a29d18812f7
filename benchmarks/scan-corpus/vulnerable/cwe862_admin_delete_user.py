import sqlite3
from flask import Flask

app = Flask(__name__)


@app.route("/admin/users/<int:user_id>/delete", methods=["POST"])
def admin_delete_user(user_id):
    with sqlite3.connect("app.db") as conn:
        conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
    return {"deleted": user_id}
