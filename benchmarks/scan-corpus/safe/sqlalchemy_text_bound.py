import os
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])


def count_signups(since):
    with engine.connect() as conn:
        result = conn.execute(text("SELECT COUNT(*) FROM users WHERE created_at >= :since"), {"since": since})
        return result.scalar_one()
