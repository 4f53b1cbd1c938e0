"""A threaded HTTP server on a SQLite file, started as a subprocess by tests/portal/test_sqlite_concurrency.py:
`python -m tests.portal.sqlite_server` with DATABASE_URL=sqlite:///<file> (a file that already has its tables).
Prints the port it listens on, then serves until killed."""


def main():
    import django

    django.setup()
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    run("127.0.0.1", 0, get_wsgi_application(), threading=True, on_bind=lambda port: print(port, flush=True))


if __name__ == "__main__":
    main()
