"""Create the database named in DATABASE_URL if it does not exist (idempotent)."""
import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql


def main():
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    params = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
    )
    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    except psycopg2.OperationalError as exc:
        sys.exit(f"error: cannot reach PostgreSQL at {params['host']}:{params['port']}: {exc}")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    conn.close()


if __name__ == "__main__":
    main()
