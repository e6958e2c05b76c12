"""gunicorn settings beside the command line of deploy/casework-web.service: load the app
and its heavy modules once in the master, then fork, so the workers share those pages
(measured in benchmarks/README.md: PSS per worker).

Forking after loading has two traps, handled here: objects the master created would have
their pages copied the first time the workers' garbage collector touches them (gc.freeze
keeps them out of its way), and a database connection opened in the master must never be
shared by the workers (each worker drops the pool it inherited)."""

import gc

preload_app = True
_loaded = False


def pre_fork(server, worker):
    global _loaded
    if not _loaded:
        from casework.preload import heavy_modules

        heavy_modules()
        _loaded = True
    gc.freeze()


def post_fork(server, worker):
    from casework.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)  # the master's connections stay the master's
