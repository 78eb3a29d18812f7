import sqlite3

ALLOWED_SORT = {"name": "name", "price": "price", "newest": "created_at"}


def list_products(sort_key="name"):
    column = ALLOWED_SORT.get(sort_key, "name")
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(f"SELECT name, price FROM products ORDER BY {column}").fetchall()
    conn.close()
    return rows
