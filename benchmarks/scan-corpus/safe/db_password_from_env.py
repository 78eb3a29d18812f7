import os
import psycopg2


def get_connection():
    return psycopg2.connect(
        host=os.environ.get("DB_HOST", "localhost"),
        dbname="billing",
        user="billing_app",
        password=os.environ["DB_PASSWORD"],
    )
