"""gunicorn's settings for a deployment (README: `gunicorn -c config/gunicorn.conf.py config.wsgi`), behind nginx
(docs/nginx.conf). Each value can be overridden on the command line."""

import os

# Only this machine: nginx forwards to it (and is the only peer TRUSTED_PROXIES believes).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# A request may run as long as nginx waits for it (proxy_read_timeout 120s): a 20,000-row roster import took 26 s at
# a province, a 100,000-row export streams for 20 s; gunicorn's own default (30 s) would kill the worker mid-import
# (the import rolls back whole, but the clerk sees a 502).
timeout = 120
