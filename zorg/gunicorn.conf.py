"""gunicorn settings for production: `gunicorn -c zorg/gunicorn.conf.py`.

Every value can be changed from the environment (README, "Productie"); a command-line
option still wins over this file. The figures behind the defaults are bench/load.py's,
on a 2-core machine with PostgreSQL on the same machine.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "zorg.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, one request at a time each: the pages are CPU work in Python
# (the overview of 1,000 measures is ~100 ms of it), so more processes than cores keep
# the cores busy while a request waits for PostgreSQL. WEB_CONCURRENCY is gunicorn's own
# name for the number; GUNICORN_THREADS > 1 switches to the threaded worker, which also
# keeps idle connections open (keep-alive) for clients that talk to gunicorn directly.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# A request that runs longer than this is killed with its worker (and answered 502 by
# the proxy). Reports are rendered by the task worker, not in a request, so no page
# should come near it.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Each worker is replaced after this many requests (plus a random 0..jitter, so that they
# do not all restart at once): whatever memory a large export or page left behind is
# returned to the system. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Load Django once in the master and fork the workers from it: they start faster and
# share the code's memory. No database connection may cross the fork (pre_fork below).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() in {"1", "true", "yes"}

# Access log on stdout: client (the proxy's X-Forwarded-For first), request, status,
# size, duration in milliseconds, user agent.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# X-Forwarded-Proto from the proxy on this machine only (Django reads it through
# SECURE_PROXY_SSL_HEADER); FORWARDED_ALLOW_IPS widens it for a proxy elsewhere.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def pre_fork(server, worker):
    """Runs in the master before each worker is forked: no database connection opened
    while the app was preloaded may be inherited, and then shared, by the workers."""
    if not server.cfg.preload_app:
        return  # the master never loaded Django
    from django.db import connections

    connections.close_all()
