"""The apps ``bench_overhead.py``'s native servers run: the application's Flask side alone under gunicorn, its
FastAPI side alone under uvicorn, each on its plain services (what a team runs before the toolkit), and ``serve``'s
app with the legacy side under a2wsgi. Kept apart from the harness: these are what is measured, not how."""

import contextlib

SECRET = "bench-overhead"


def native_services(stack: str, database):  # type: ignore[no-untyped-def]
    """The application's services of one stack as a team would wire them without the toolkit: the
    plain service classes on plain units of work, no dual adapter, no meter, no checker. A read
    (the methods the service declares, or named as reads) gets a read-only unit, as the dual
    adapters give it, so both sides do the same database work."""
    import contextlib as context
    import types

    from compat.dual.routing import declared_reads, reading

    if stack == "sync":
        from admin_assistant.sync.repositories import Repositories
        from admin_assistant.sync.services import Services

        @context.contextmanager
        def units():  # type: ignore[no-untyped-def]
            with database.unit_of_work(read_only=reading.get()) as session:
                yield Repositories.on(session)

        def as_read(method):  # type: ignore[no-untyped-def]
            def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                token = reading.set(True)
                try:
                    return method(*args, **kwargs)
                finally:
                    reading.reset(token)

            return call
    else:
        from admin_assistant.aio.repositories import Repositories
        from admin_assistant.aio.services import Services

        @context.asynccontextmanager
        async def units():  # type: ignore[no-untyped-def]
            async with database.async_unit_of_work(read_only=reading.get()) as session:
                yield Repositories.on(session)

        def as_read(method):  # type: ignore[no-untyped-def]
            async def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                token = reading.set(True)
                try:
                    return await method(*args, **kwargs)
                finally:
                    reading.reset(token)

            return call

    services = Services.on(units)
    plain = {}
    for name in services.__dataclass_fields__:
        service = getattr(services, name)
        is_read = declared_reads(service)
        methods = {
            attr: as_read(getattr(service, attr)) if is_read(attr) else getattr(service, attr)
            for attr in dir(service)
            if not attr.startswith("_") and callable(getattr(service, attr))
        }
        plain[name] = types.SimpleNamespace(**methods)
    return types.SimpleNamespace(**{stack: types.SimpleNamespace(**plain)})


def native_flask():  # type: ignore[no-untyped-def]
    """gunicorn's app: the application's Flask side alone (``overhead_apps:native_flask()``), on
    its plain services, with the garbage-collector settings ``serve`` gives its process (like for
    like: the factory runs in gunicorn's worker, after which nothing but requests allocates)."""
    from admin_assistant.sync.web import create_app
    from admin_assistant.wiring.database import open_database
    from compat.web import settle_gc

    app = create_app(native_services("sync", open_database()), secret=SECRET)
    settle_gc()
    return app


def native_fastapi():  # type: ignore[no-untyped-def]
    """uvicorn's app: the application's FastAPI side alone (a factory) on its plain async services,
    with ``serve``'s garbage-collector settings applied once its startup has run, as ``serve`` does."""
    from admin_assistant.aio.web import create_app
    from admin_assistant.wiring.database import open_database
    from compat.web import settle_gc

    app = create_app(native_services("aio", open_database()), secret=SECRET)
    startup = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(served):  # type: ignore[no-untyped-def]
        async with startup(served) as state:
            settle_gc()
            yield state

    app.router.lifespan_context = lifespan  # no layer around requests: nothing added per request
    return app


def strangler_a2wsgi():  # type: ignore[no-untyped-def]
    """``serve``'s app with the legacy side under a2wsgi, as before ``WSGIRunner`` (for ``sync-a2wsgi``)."""
    from a2wsgi import WSGIMiddleware

    from admin_assistant.wiring.serve import asgi_app

    strangler = asgi_app()
    middleware = WSGIMiddleware(strangler.wsgi_app, workers=strangler.wsgi_workers)
    middleware.close = lambda: middleware.executor.shutdown(wait=False)  # as WSGIRunner.close, at shutdown
    strangler.old_app = middleware
    return strangler
