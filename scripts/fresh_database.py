"""Drop and re-create the browser tests' database (DATABASE_URL, whose name must end in
``_e2e``: this script never touches a development or shop database).

``--template NAME`` copies a migrated template database instead of starting empty
(PostgreSQL's CREATE DATABASE ... TEMPLATE: a second instead of a full migrate).
``--exists`` only answers whether DATABASE_URL's database exists (exit code)."""
import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql


def main():
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = config["NAME"]
    if not name.endswith("_e2e"):
        sys.exit(f"error: refusing to drop {name!r}: not a browser-test database (*_e2e)")
    conn = psycopg2.connect(
        dbname="postgres",
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        connect_timeout=5,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        if "--exists" in sys.argv:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            sys.exit(0 if cursor.fetchone() else 1)
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if "--template" in sys.argv:
            template = sys.argv[sys.argv.index("--template") + 1]
            create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        cursor.execute(create)
    conn.close()


if __name__ == "__main__":
    main()
