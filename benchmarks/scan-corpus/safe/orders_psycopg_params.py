import psycopg2


def orders_for_customer(conn, customer_name, status):
    query = "SELECT id, total FROM orders WHERE customer = %s AND status = %s"
    with conn.cursor() as cur:
        cur.execute(query, (customer_name, status))
        return cur.fetchall()


if __name__ == "__main__":
    connection = psycopg2.connect(dbname="shop", user="shop")
    print(orders_for_customer(connection, input("Customer: "), "open"))
