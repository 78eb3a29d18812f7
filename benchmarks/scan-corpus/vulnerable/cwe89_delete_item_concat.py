import sqlite3
from flask import Flask

app = Flask(__name__)


@app.route("/items/<item_id>/delete", methods=["POST"])
def delete_item(item_id):
    with sqlite3.connect("inventory.db") as conn:
        conn.execute("DELETE FROM items WHERE id = " + item_id)
        conn.commit()
    return {"deleted": item_id}
