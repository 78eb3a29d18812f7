import psycopg2


def get_connection():
    return psycopg2.connect(
        host="db.internal",
        dbname="billing",
        user="billing_app",
        password="Tr0ub4dor&3-billing",
    )
