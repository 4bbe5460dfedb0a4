"""gunicorn settings of the example shop (``bin/demo`` and the benchmarks use them).

    gunicorn -c example_shop/gunicorn.conf.py example_shop.wsgi

Sync workers, one process each: every worker keeps one database connection
(``CONN_MAX_AGE``) and serves one request at a time, so N workers never open more than
N connections. Requests are CPU-bound Python (GraphQL), so a few workers per core are
enough; ``WEB_CONCURRENCY`` overrides the default of two per core. The application is
loaded once in the master (``preload_app``) and the workers fork from it: they start
in a fraction of a second and share the imported code's memory.
"""
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 10
# A request body larger than this is refused before Django reads it.
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def pre_fork(server, worker):
    # The master loaded the app (preload_app); a database connection it opened would
    # be shared by the forked workers: close it before forking.
    from django.db import connections

    connections.close_all()
