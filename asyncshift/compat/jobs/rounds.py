"""Rounds on the event loop: what many runs ask of the database at once, served by one statement.

With hundreds of occurrences due at once, each run on the loop claimed its occurrence (one
``INSERT``) and recorded its outcome (one ``UPDATE``) on its own: a round trip and a socket write
each, for the winner and for every loser of the race between processes (the costliest step of the
asyncio worker in ``bench/bench_jobs.py``). Here a request joins the next round: while one round
is in flight, the requests that arrive meanwhile wait, and the next round serves all of them in one
call. No timer: a request alone goes at once; under load a round is what arrived during one round
trip (group commit).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Request = TypeVar("Request")
Answer = TypeVar("Answer")


class Rounds(Generic[Request, Answer]):
    """``await rounds.ask(request)``: the answer ``serve`` gave for it, served with the requests
    that arrived while the round before was in flight. ``serve`` takes a round's requests and
    returns their answers in the same order; what it raises, every request of that round raises."""

    def __init__(self, serve: Callable[[list[Request]], Awaitable[list[Answer]]]) -> None:
        self.serve = serve
        self._waiting: list[tuple[Request, asyncio.Future[Answer]]] = []
        self._serving = False

    async def ask(self, request: Request) -> Answer:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Answer] = loop.create_future()
        self._waiting.append((request, answer))
        if not self._serving:
            self._serving = True
            # a context of its own: the asker's (a job's fence, see ``fencing``) is not the round's
            loop.create_task(self._serve_rounds(), context=contextvars.Context())
        return await answer

    async def _serve_rounds(self) -> None:
        try:
            while self._waiting:
                # a request given up before its round (its run cancelled) is not served
                round_, self._waiting = [(r, a) for r, a in self._waiting if not a.done()], []
                if not round_:
                    continue
                try:
                    answers = await self.serve([request for request, _ in round_])
                except Exception as exc:  # every asker of the round raises it
                    for _, answer in round_:
                        if not answer.done():
                            answer.set_exception(exc)
                    continue
                except BaseException:  # cancelled (the loop shutting down): so are its askers
                    for _, answer in round_:
                        answer.cancel()
                    raise
                for (_, answer), value in zip(round_, answers, strict=True):
                    if not answer.done():
                        answer.set_result(value)
        finally:
            self._serving = False
            for _, answer in self._waiting:  # left by a cancelled round (the loop shutting down)
                if not answer.done():
                    answer.cancel()
            self._waiting = []
