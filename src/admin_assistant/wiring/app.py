"""The application assembled: one database, the flags, and every service behind a dual adapter.

``app.sync.<service>`` is what old-stack callers (Flask views, Typer commands, thread jobs) use;
``app.aio.<service>`` is what new-stack callers (FastAPI routes, AsyncClick commands, asyncio
jobs) await. Each call is routed by the stage of ``services.<name>``; inside, repositories are
routed by ``repositories.<name>``, so any mix of old and new code runs on one database.

The checker that compares the two sides also learns noise (``compat.noise``: fields that differ
between two runs of the serving side are not mismatches) and keeps a sample of call arguments
(``compat.inputs``, for ``asyncshift compare``), both saved in the application's database from
daemon threads, off the caller's path. The new side of every service and repository is metered
(``compat.control.autorollback.ServedMeter``), so the auto-rollback watcher sees its failures at ``async``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

from admin_assistant.aio import repositories as aio_repositories
from admin_assistant.aio import services as aio_services
from admin_assistant.domain.errors import DomainError
from admin_assistant.sync import repositories as sync_repositories
from admin_assistant.sync import services as sync_services
from admin_assistant.wiring.database import open_database
from compat.control.meter import ServedMeter
from compat.db import Database
from compat.dual import DualService, DualUnits
from compat.flags import FlagStore, get_store
from compat.inputs import InputRecorder
from compat.noise import NoiseLearner
from compat.shadow import Checker, Recorder, SqlRecorder


def repository_pairs(meter: ServedMeter | None = None) -> dict[str, tuple[type, type]]:
    """Each repository name with its (old, new) class, read from the two ``Repositories`` twins;
    with ``meter``, the new class counts its calls and failures (a subclass, made once)."""
    old = {f.name: f.type for f in dataclasses.fields(sync_repositories.Repositories)}
    new = {f.name: f.type for f in dataclasses.fields(aio_repositories.Repositories)}
    pairs = {
        name: (getattr(sync_repositories, _class_name(old[name])), getattr(aio_repositories, _class_name(new[name])))
        for name in old
    }
    if meter is not None:
        pairs = {name: (o, meter.wrap_factory(f"repositories.{name}", n)) for name, (o, n) in pairs.items()}
    return pairs


def _class_name(annotation: object) -> str:
    return annotation if isinstance(annotation, str) else annotation.__name__  # type: ignore[union-attr]


@dataclass
class Application:
    database: Database
    store: FlagStore
    checker: Checker
    units: DualUnits
    services: dict[str, DualService]
    meter: ServedMeter | None = None

    @property
    def sync(self) -> SimpleNamespace:
        """Sync facades: ``app.sync.archive.archive(...)``."""
        return SimpleNamespace(**{name: dual.sync for name, dual in self.services.items()})

    @property
    def aio(self) -> SimpleNamespace:
        """Async facades: ``await app.aio.archive.archive(...)``."""
        return SimpleNamespace(**{name: dual.aio for name, dual in self.services.items()})


def make_checker(
    database: Database, store: FlagStore, *, recorder: Recorder | None = None, learn: bool = True
) -> Checker:
    """The checker of side-by-side runs: records to ``shadow_results`` unless given ``recorder``;
    with ``learn``, learns noisy fields and records call inputs (for ``asyncshift compare``).
    Their tables come from the migrations (``db upgrade``), never from the recorders at run time."""
    engine = database.sync_engine
    checker = Checker(recorder or SqlRecorder(engine, create_tables=False), settings=lambda: store.snapshot().shadow)
    if learn:
        checker.noise = NoiseLearner(engine=engine, create_tables=False)
        checker.inputs = InputRecorder(engine, create_tables=False)
    return checker


def build(
    database: Database | None = None,
    *,
    store: FlagStore | None = None,
    recorder: Recorder | None = None,
    learn: bool = True,
) -> Application:
    """Wire the application: dual units of work, both services stacks, one dual adapter per service.

    ``recorder`` receives the side-by-side records (``shadow_results`` in the database by default);
    ``learn`` attaches the noise learner and the input recorder, saving to the database."""
    database = database or open_database()
    store = store or get_store()
    checker = make_checker(database, store, recorder=recorder, learn=learn)
    meter = ServedMeter(expected=(DomainError,))
    units = DualUnits(database, repository_pairs(meter), prefix="repositories", store=store, checker=checker)
    old = sync_services.Services.on(units.sync)
    new = aio_services.Services.on(units.aio)
    services = {
        field.name: DualService(
            f"services.{field.name}",
            getattr(old, field.name),
            meter.wrap(f"services.{field.name}", getattr(new, field.name)),
            store=store,
            checker=checker,
        )
        for field in dataclasses.fields(old)
    }
    return Application(database=database, store=store, checker=checker, units=units, services=services, meter=meter)
