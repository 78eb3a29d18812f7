import sqlite3


def search_products(term):
    conn = sqlite3.connect("shop.db")
    cur = conn.cursor()
    cur.execute("SELECT name, price FROM products WHERE name LIKE ?", (f"%{term}%",))
    results = cur.fetchall()
    conn.close()
    return results


if __name__ == "__main__":
    for name, price in search_products(input("Product: ")):
        print(f"{name}: ${price:.2f}")
