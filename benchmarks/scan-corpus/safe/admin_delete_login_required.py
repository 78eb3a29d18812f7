import sqlite3
from flask import Flask, abort
from flask_login import login_required, current_user

app = Flask(__name__)


@app.route("/admin/users/<int:user_id>/delete", methods=["POST"])
@login_required
def admin_delete_user(user_id):
    if not current_user.is_admin:
        abort(403)
    with sqlite3.connect("app.db") as conn:
        conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
    return {"deleted": user_id}
