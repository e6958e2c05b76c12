"""gunicorn settings of the web service (deploy/casework-web.service): 2 cores, so 4
processes × 4 threads, behind the office's TLS reverse proxy."""

workers = 4
threads = 4
bind = "127.0.0.1:8000"
# The proxy keeps idle connections to gunicorn and reuses them (nginx: `keepalive` in the
# upstream block, idle for up to 60 s). gunicorn's default of 2 s closes them first, and a
# request the proxy sends at that moment dies with a connection reset (a 502 for the user:
# 233 of 1,200 requests in benchmarks/bench_keepalive.py, 0 with 75 s). The backend must
# keep connections longer than the proxy does, so the proxy closes first.
keepalive = 75
accesslog = "-"
# TRUSTED_PROXIES=1 (in /etc/casework/env) makes the app take the client address from the
# proxy's X-Forwarded-For; this lets gunicorn believe its X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1"
