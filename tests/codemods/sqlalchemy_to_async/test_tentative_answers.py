"""The type rules' tentative questions (``Types.tentative``): the unknowns found while one is open are dropped
after it, the answers known before and the known ones found meanwhile are kept, at a cost that follows what the
question found, not every answer of the run (each call copied all of them twice: on a program of a few hundred
modules the pass spent its time there)."""

from __future__ import annotations

import pickle
import random

from codemods.sqlalchemy_to_async.inference import Types
from codemods.sqlalchemy_to_async.tentative_answers import Answers


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
    rng = random.Random(14)
    for _ in range(3000):
        steps = _steps(rng, 0)
        old, new = _Copying(), Answers()
        _play(old, steps)
        _play(new, steps)
        assert dict(new) == dict(old), steps


class _Walked(Answers):
    """Answers counting the walks over every answer (``set(answers)``, ``for key in answers``)."""

    walks = 0

    def __iter__(self):
        self.walks += 1
        return super().__iter__()


def test_a_tentative_question_looks_at_what_it_stored_not_every_answer_known():
    types = Types(None)
    types._cache = _Walked()
    for i in range(1000):
        types._cache["m", None, ("name", f"x{i}")] = None if i % 2 else "inst:m:C"
    types._cache["m", None, ("name", "known")] = "inst:m:C"
    for _ in range(100):
        assert types.tentative([("m", None, ("name", "known"))]) == ["inst:m:C"]
    assert types._cache.walks == 0  # the rule as first written walked every answer twice per call
    assert len(types._cache) == 1001  # nothing dropped that was known before


def test_answers_pickled_to_a_runs_workers_come_back_whole():
    """A run with jobs pickles the project, its answers with it, to each worker: unpickled, dict's own rebuild set
    the answers before ``__init__`` had made the lists ``__setitem__`` notes in (the worker died: BrokenProcessPool)."""
    answers = Answers()
    answers["k"] = "inst:m:C"
    with answers.tentative():
        copy = pickle.loads(pickle.dumps(answers))
    assert type(copy) is Answers and dict(copy) == {"k": "inst:m:C"}
    with copy.tentative():
        copy["unknown"] = None
    assert dict(copy) == {"k": "inst:m:C"}
