"""The type rules' tentative questions (``Types.tentative``): the unknowns found while one is open are dropped
after it, the answers known before and the known ones found meanwhile are kept, at a cost that follows what the
question found, not every answer of the run (each call copied all of them twice: on a program of a few hundred
modules the pass spent its time there)."""

from __future__ import annotations

import random
import time

from codemods.sqlalchemy_to_async.inference import Types


class _Copying(dict):
    """The rule as it was written first: every answer before, every answer after, compared."""

    def run(self, steps) -> None:
        before = set(self)
        _play(self, steps)
        for key in set(self) - before:
            if self[key] is None:
                del self[key]


def _play(answers, steps) -> None:
    for step in steps:
        if step[0] == "store" and step[1] not in answers:  # as ``type_of``: a key is stored once, unless dropped
            answers[step[1]] = step[2]
        elif step[0] == "clear":
            answers.clear()
        elif step[0] == "open":
            if hasattr(answers, "tentative"):
                with answers.tentative():
                    _play(answers, step[1])
            else:
                answers.run(step[1])


def _steps(rng: random.Random, depth: int) -> list:
    steps = []
    for _ in range(rng.randrange(1, 8)):
        roll = rng.random()
        if roll < 0.2 and depth < 4:
            steps.append(("open", _steps(rng, depth + 1)))
        elif roll < 0.23:
            steps.append(("clear",))
        else:
            steps.append(("store", rng.randrange(25), rng.choice([None, None, "inst:m:C", "sqla:session"])))
    return steps


def test_tentative_answers_keep_and_drop_what_comparing_every_answer_kept_and_dropped():
    from codemods.sqlalchemy_to_async.tentative_answers import Answers

    rng = random.Random(14)
    for _ in range(3000):
        steps = _steps(rng, 0)
        old, new = _Copying(), Answers()
        _play(old, steps)
        _play(new, steps)
        assert dict(new) == dict(old), steps


def _timed(types: Types, calls: int) -> float:
    question = ("m", None, ("name", "known"))
    start = time.perf_counter()
    for _ in range(calls):
        assert types.tentative([question]) == ["inst:m:C"]
    return time.perf_counter() - start


def test_a_tentative_question_costs_what_it_asks_not_every_answer_known():
    small, large = Types(None), Types(None)
    for types, known in ((small, 1), (large, 50_000)):
        for i in range(known):
            types._cache["m", None, ("name", f"x{i}")] = None if i % 2 else "inst:m:C"
        types._cache["m", None, ("name", "known")] = "inst:m:C"
    assert _timed(large, 100) < max(20 * _timed(small, 100), 0.5)
    assert len(large._cache) == 50_001  # nothing dropped that was known before
