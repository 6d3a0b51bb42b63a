"""compat.flags: parsing, most-specific resolution, rollback, hot reload (forks too), editing."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
import time
from pathlib import Path

import pytest

from compat import flags as flags_module
from compat.flags import (
    Flags,
    FlagsError,
    FlagStore,
    Gate,
    Stage,
    load_flags,
    parse_flags,
    set_rollback,
    set_stage,
)
from compat.flags import store as store_module

REPO_FLAGS = Path(__file__).resolve().parents[2] / "feature_flags.yaml"
FAST = 0.02  # poll interval for tests, so reloads show up quickly


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("ASYNCSHIFT_FLAGS", raising=False)
    monkeypatch.delenv("ASYNCSHIFT_ROLLBACK", raising=False)


def flags_text(targets: str = "", *, rollback: bool = False, default: str = "sync", extra: str = "") -> str:
    body = "".join(f"  {line.strip()}\n" for line in targets.split(";") if line.strip())
    return f"version: 1\nrollback: {str(rollback).lower()}\ndefault: {default}\ntargets:\n{body or '  {}'}\n{extra}"


def write(path: Path, text: str) -> Path:
    """Replace the file atomically, as editors and 'flags set' do."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    return path


def wait_for(predicate, timeout: float = 1.0) -> float:
    """Seconds until predicate() holds; fails after timeout."""
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < timeout, "not within the time allowed"
        time.sleep(0.005)
    return time.monotonic() - start


def problem_lines(text: str) -> list[str]:
    with pytest.raises(FlagsError) as info:
        parse_flags(text, "feature_flags.yaml")
    return [str(p) for p in info.value.problems]


# ------------------------------------------------------------------------------------ stages


def test_stage_helpers_say_which_path_serves_and_whether_both_run():
    assert [s.serves_new for s in Stage] == [False, False, True, True]
    assert [s.runs_both for s in Stage] == [False, True, True, False]


def test_most_specific_target_wins():
    flags = parse_flags(flags_text("repositories: shadow; repositories.appointments: live"))
    assert flags.stage("repositories.appointments") is Stage.LIVE
    assert flags.stage("repositories.users") is Stage.SHADOW


def test_target_falls_back_to_parent_then_grandparent_then_default():
    flags = parse_flags(flags_text("web: live; web.routes: async", default="shadow"))
    assert flags.stage("web.routes.archive") is Stage.ASYNC
    assert flags.stage("web.pages") is Stage.LIVE
    assert flags.stage("jobs") is Stage.SHADOW


def test_source_names_the_key_that_decided():
    flags = parse_flags(flags_text("web: live; web.routes: async"))
    assert flags.source("web.routes.archive") == "web.routes"
    assert flags.source("cli") == "default"


def test_a_name_that_only_shares_a_prefix_is_not_a_parent():
    flags = parse_flags(flags_text("web: live"))
    assert flags.stage("webhooks") is Stage.SYNC


# ---------------------------------------------------------------------------------- rollback


def test_rollback_sends_every_target_to_sync():
    flags = parse_flags(flags_text("web: live; repositories: async", rollback=True, default="shadow"))
    assert {flags.stage(t) for t in ("web", "repositories", "cli")} == {Stage.SYNC}
    assert flags.source("web") == "rollback"


def test_rollback_keeps_each_targets_configured_stage():
    flags = parse_flags(flags_text("web: live", rollback=True))
    assert flags.configured("web.routes") == (Stage.LIVE, "web")


def test_env_var_forces_rollback_whatever_the_file_says(tmp_path, monkeypatch):
    store = FlagStore(write(tmp_path / "f.yaml", flags_text("web: async")), poll_interval=FAST)
    assert store.stage("web") is Stage.ASYNC
    monkeypatch.setenv("ASYNCSHIFT_ROLLBACK", "1")
    wait_for(lambda: store.stage("web") is Stage.SYNC)
    assert store.snapshot().source("web") == "ASYNCSHIFT_ROLLBACK=1"


def test_rollback_undo_in_the_file_restores_the_stages(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("web: live; cli: async"))
    store = FlagStore(path, poll_interval=FAST)
    set_rollback(path, True)
    wait_for(lambda: store.stage("web") is Stage.SYNC and store.stage("cli") is Stage.SYNC)
    set_rollback(path, False)
    wait_for(lambda: store.stage("web") is Stage.LIVE and store.stage("cli") is Stage.ASYNC)


# -------------------------------------------------------------------------------- validation


def test_unknown_stage_is_reported_with_file_line_and_the_stages_to_use():
    text = "version: 1\ntargets:\n  web: sync\n  repositories: asnyc\n"
    assert problem_lines(text) == [
        "feature_flags.yaml:4: unknown stage 'asnyc' for target 'repositories'; use one of sync, shadow, live, async"
    ]


def test_unknown_key_is_reported_with_the_closest_known_key():
    [line] = problem_lines("version: 1\nrolback: true\n")
    assert line.startswith("feature_flags.yaml:2: unknown key 'rolback'; did you mean 'rollback'?")


def test_yaml_syntax_error_is_reported_with_its_line():
    [line] = problem_lines("version: 1\ntargets:\n  web: [sync\n  cli: sync\n")
    assert re.match(r"feature_flags\.yaml:4: YAML syntax error: .*; check the indentation and quoting", line)


def test_duplicate_target_is_an_error():
    [line] = problem_lines("version: 1\ntargets:\n  web: sync\n  web: async\n")
    assert line.startswith("feature_flags.yaml:4: YAML syntax error: found duplicate key")


def test_every_problem_is_listed_in_line_order_and_the_error_is_one_line():
    text = "version: 1\nshadow:\n  sample_rate: 2\ntargets:\n  web: nope\nextra: 1\n"
    with pytest.raises(FlagsError) as info:
        parse_flags(text, "f.yaml")
    assert [p.line for p in info.value.problems] == [3, 5, 6]
    assert "\n" not in str(info.value) and str(info.value).endswith("(and 2 more problems)")


def test_version_is_required():
    assert problem_lines("targets: {}\n") == ["feature_flags.yaml:1: missing 'version'; add 'version: 1' at the top"]


def test_rollback_must_be_a_boolean():
    [line] = problem_lines("version: 1\nrollback: yes\n")
    assert line == "feature_flags.yaml:2: 'rollback' must be true or false, got 'yes'"


def test_invalid_target_name_is_an_error():
    [line] = problem_lines("version: 1\ntargets:\n  web routes: sync\n")
    assert line.startswith("feature_flags.yaml:3: invalid target name 'web routes'")


def test_shadow_settings_are_read():
    extra = "shadow:\n  sample_rate: 0.25\n  timeout: 1\n  ignore_fields: [updated_at]\n"
    extra += "  max_in_flight: 8\n  max_share: 0.05\n"
    shadow = parse_flags(flags_text(extra=extra)).shadow
    settings = (shadow.sample_rate, shadow.timeout, shadow.ignore_fields, shadow.max_in_flight, shadow.max_share)
    assert settings == (0.25, 1.0, ("updated_at",), 8, 0.05)


def test_shadow_max_share_is_unbounded_unless_set_and_must_be_a_share():
    assert parse_flags(flags_text()).shadow.max_share is None
    [line] = problem_lines("version: 1\nshadow:\n  max_share: 0\n")
    assert line == "feature_flags.yaml:3: 'shadow.max_share' must be a number greater than 0 and at most 1, got 0"


def test_shadow_sample_rate_outside_zero_to_one_is_an_error():
    [line] = problem_lines("version: 1\nshadow:\n  sample_rate: 1.5\n")
    assert line == "feature_flags.yaml:3: 'shadow.sample_rate' must be a number between 0 and 1, got 1.5"


def test_gates_must_be_numbers():
    [line] = problem_lines("version: 1\ngates:\n  default:\n    max_p99_ratio: fast\n")
    assert line.startswith("feature_flags.yaml:4: 'gates.default.max_p99_ratio' must be a number")


def test_gate_fields_fall_back_field_by_field_to_less_specific_entries():
    flags = parse_flags(
        flags_text(
            extra="gates:\n  default: {min_runs: 100, max_p99_ratio: 1.5}\n  repositories: {max_p99_ratio: 1.1}\n"
        )
    )
    assert flags.gate("repositories.users") == Gate(min_runs=100, max_p99_ratio=1.1)


def test_missing_file_runs_every_target_at_default_sync(tmp_path):
    flags = load_flags(tmp_path / "absent.yaml")
    assert (flags.exists, flags.stage("repositories"), flags.source("web")) == (False, Stage.SYNC, "default")


# ------------------------------------------------------------------------ the repo's own file


def test_repo_flags_file_is_valid_with_every_phase_at_sync():
    flags = load_flags(REPO_FLAGS)
    assert dict(flags.targets) == dict.fromkeys(["repositories", "services", "web", "cli", "jobs"], Stage.SYNC)
    assert (flags.rollback, flags.default, flags.gate("web").min_runs is not None) == (False, Stage.SYNC, True)


def test_repo_flags_file_documents_every_key():
    lines = REPO_FLAGS.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^\s*[\w.]+:", line):
            above = next(prev for prev in reversed(lines[:number]) if prev.strip())
            assert "#" in line or above.strip().startswith("#") or line.endswith(":"), f"undocumented: {line}"


# ------------------------------------------------------------------------------ hot reload


def test_store_sees_a_change_within_a_second_with_the_default_poll_interval(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("web: sync"))
    store = FlagStore(path)
    store.stage("web")
    write(path, flags_text("web: shadow"))
    assert wait_for(lambda: store.stage("web") is Stage.SHADOW) < 1.0


def test_store_sees_a_same_size_rewrite_in_place(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(flags_text("web: sync"))
    store = FlagStore(path, poll_interval=FAST)
    path.write_text(flags_text("web: live"))  # same size, maybe the same mtime tick
    wait_for(lambda: store.stage("web") is Stage.LIVE)


def test_lookups_between_polls_do_not_touch_the_file(tmp_path, monkeypatch):
    store = FlagStore(write(tmp_path / "f.yaml", flags_text("web: live")), poll_interval=60)
    stats = []
    monkeypatch.setattr(store_module, "_file_signature", lambda path: stats.append(path))
    for _ in range(1000):
        store.stage("web")
    assert stats == []


def test_bad_edit_keeps_the_last_good_flags(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("web: live"))
    store = FlagStore(path, poll_interval=FAST)
    write(path, flags_text("web: asnyc"))
    wait_for(lambda: store.last_error is not None)
    assert store.stage("web") is Stage.LIVE
    assert str(store.last_error).startswith(f"{path}:5: unknown stage 'asnyc' for target 'web'")


def test_bad_version_is_logged_once(tmp_path, caplog):
    path = write(tmp_path / "f.yaml", flags_text("web: live"))
    store = FlagStore(path, poll_interval=FAST)
    with caplog.at_level(logging.ERROR, logger="compat.flags"):
        write(path, "version: 1\nrolback: true\n")
        wait_for(lambda: store.last_error is not None)
        os.utime(path)  # touched, same content: not a new bad version
        time.sleep(10 * FAST)
        store.stage("web")
    assert len(caplog.records) == 1 and "keeping the last good flags" in caplog.text


def test_fixing_a_bad_edit_clears_the_error_and_applies_the_fix(tmp_path):
    path = write(tmp_path / "f.yaml", "version: 1\ntargets: [\n")
    store = FlagStore(path, poll_interval=FAST)
    assert store.last_error is not None and store.stage("web") is Stage.SYNC
    write(path, flags_text("web: async"))
    wait_for(lambda: store.stage("web") is Stage.ASYNC)
    assert store.last_error is None


def test_a_deleted_file_is_logged_and_the_last_good_flags_stay(tmp_path, caplog):
    """Issue 16: deleting the file used to send every target back to sync, silently."""
    path = write(tmp_path / "f.yaml", flags_text("web: async"))
    store = FlagStore(path, poll_interval=FAST)
    path.unlink()
    wait_for(lambda: store.last_error is not None)
    assert store.stage("web") is Stage.ASYNC and store.snapshot().exists is True
    assert "the flags file is gone; restore it" in str(store.last_error)
    assert any("keeping the last good flags" in r.getMessage() for r in caplog.records)
    write(path, flags_text("web: live"))  # restored: read again as any edit
    wait_for(lambda: store.stage("web") is Stage.LIVE)
    assert store.last_error is None


def test_a_file_missing_from_the_start_runs_every_target_at_default_sync(tmp_path):
    store = FlagStore(tmp_path / "none.yaml", poll_interval=FAST)
    assert store.stage("web") is Stage.SYNC and store.last_error is None


def test_a_file_that_is_not_utf8_is_a_bad_version(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("web: live"))
    store = FlagStore(path, poll_interval=FAST)
    path.write_bytes(b"version: 1\ntargets:\n  web: \xff\n")
    wait_for(lambda: store.last_error is not None)
    assert str(store.last_error) == f"{path}:3: the file is not UTF-8 text; save it as UTF-8"
    assert store.stage("web") is Stage.LIVE


def test_an_unexpected_failure_while_checking_never_reaches_the_caller(tmp_path, monkeypatch):
    path = write(tmp_path / "f.yaml", flags_text("web: live"))
    store = FlagStore(path, poll_interval=FAST)

    read = []

    def broken(text, path, **kw):
        read.append(text)
        raise RuntimeError("boom")

    monkeypatch.setattr(store_module, "parse_flags", broken)
    write(path, flags_text("web: sync"))
    wait_for(lambda: store.stage("web") is Stage.LIVE and read)  # the new version was read, and failed
    assert "web: sync" in read[0]
    assert [store.stage("web") for _ in range(3)] == [Stage.LIVE] * 3


def test_lookups_from_many_threads_never_fail_while_the_file_flips(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("web: live"))
    store = FlagStore(path, poll_interval=0.001)
    seen, errors, stop = set(), [], threading.Event()

    def lookups():
        try:
            while not stop.is_set():
                seen.add(store.stage("web.routes"))
        except Exception as exc:  # pragma: no cover - the failure this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=lookups) for _ in range(2)]
    for thread in threads:
        thread.start()
    for stage_name in ["async", "shadow", "live", "async"]:
        set_stage(path, "web", stage_name)
        time.sleep(0.01)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == [] and seen <= {Stage.LIVE, Stage.ASYNC, Stage.SHADOW} and len(seen) >= 2


def test_module_stage_reads_the_file_named_by_the_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYNCSHIFT_FLAGS", str(write(tmp_path / "f.yaml", flags_text("jobs: live"))))
    monkeypatch.setattr(store_module, "_default_store", None)
    assert flags_module.stage("jobs.daily_archive") is Stage.LIVE


def test_module_store_defaults_to_feature_flags_yaml_in_the_working_directory(tmp_path, monkeypatch):
    write(tmp_path / "feature_flags.yaml", flags_text("cli: shadow"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store_module, "_default_store", None)
    assert flags_module.get_store().stage("cli") is Stage.SHADOW


# ------------------------------------------------------------------------------------ fork


def run_in_child(child) -> tuple[int, str]:
    """Fork; the child runs child(go) after the parent calls go(), and reports a string back."""
    report_r, report_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.read(go_r, 1)
            os.write(report_w, str(child()).encode())
        finally:
            os._exit(0)
    os.close(report_w)
    return pid, (go_w, report_r)


def child_result(pid: int, pipes) -> str:
    go_w, report_r = pipes
    os.write(go_w, b"x")
    result = os.read(report_r, 256).decode()
    os.waitpid(pid, 0)
    return result


def stage_within_a_second(store: FlagStore, target: str, want: Stage) -> str:
    deadline = time.monotonic() + 1.0
    while store.stage(target) is not want and time.monotonic() < deadline:
        time.sleep(0.005)
    return store.stage(target).value


def test_forked_child_sees_a_change_made_after_the_fork(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("repositories: sync"))
    store = FlagStore(path, poll_interval=FAST)
    assert store.stage("repositories") is Stage.SYNC
    pid, pipes = run_in_child(lambda: stage_within_a_second(store, "repositories", Stage.ASYNC))
    set_stage(path, "repositories", "async")
    assert child_result(pid, pipes) == "async"


def test_forked_child_reloads_even_if_a_thread_held_the_store_lock_at_fork(tmp_path):
    path = write(tmp_path / "f.yaml", flags_text("repositories: sync"))
    store = FlagStore(path, poll_interval=FAST)
    with store._lock:  # as if another thread were checking the file when the fork happened
        pid, pipes = run_in_child(lambda: stage_within_a_second(store, "repositories", Stage.LIVE))
    set_stage(path, "repositories", "live")
    assert child_result(pid, pipes) == "live"


# ------------------------------------------------------------------------------------ edit

COMMENTED = """\
# flags for the test
version: 1
rollback: false   # the big switch
default: sync

targets:
  repositories: sync   # phase 1
  # phase 3
  web: sync

# shadow settings
shadow:
  ignore_fields:
    - updated_at   # timestamps differ
"""


def test_set_stage_changes_one_line_and_keeps_comments(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    set_stage(path, "repositories", "shadow")
    before, after = COMMENTED.splitlines(), path.read_text().splitlines()
    assert [(a, b) for a, b in zip(before, after, strict=False) if a != b] == [
        ("  repositories: sync   # phase 1", "  repositories: shadow # phase 1")
    ]
    assert len(before) == len(after)


def test_set_stage_adds_a_new_target_after_its_parent(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    set_stage(path, "repositories.appointments", "live")
    lines = path.read_text().splitlines()
    assert lines[6:9] == ["  repositories: sync   # phase 1", "  repositories.appointments: live", "  # phase 3"]


def test_set_stage_adds_a_new_target_before_the_next_sections_comment(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    set_stage(path, "jobs", "shadow")
    assert "  web: sync\n  jobs: shadow\n\n# shadow settings\n" in path.read_text()


@pytest.mark.parametrize("dash_indent", ["  ", "    "], ids=["indentless", "indented"])
def test_set_stage_keeps_the_files_list_indentation(tmp_path, dash_indent):
    text = COMMENTED.replace("    - updated_at", dash_indent + "- updated_at")
    path = write(tmp_path / "f.yaml", text)
    set_stage(path, "web", "async")
    assert f"\n{dash_indent}- updated_at" in path.read_text()


def test_set_stage_default_sets_the_top_level_default(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    assert set_stage(path, "default", "shadow").stage("cli") is Stage.SHADOW


def test_set_stage_rejects_an_unknown_stage_and_writes_nothing(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    with pytest.raises(FlagsError, match="unknown stage 'asnyc'; use one of sync, shadow, live, async"):
        set_stage(path, "web", "asnyc")
    assert path.read_text() == COMMENTED


def test_set_stage_refuses_to_write_a_file_that_would_not_validate(tmp_path):
    broken = COMMENTED.replace("default: sync", "defualt: sync")
    path = write(tmp_path / "f.yaml", broken)
    with pytest.raises(FlagsError, match="unknown key 'defualt'"):
        set_stage(path, "web", "live")
    assert path.read_text() == broken


def test_set_stage_creates_a_missing_file(tmp_path):
    path = tmp_path / "new.yaml"
    set_stage(path, "web.routes", "shadow")
    assert load_flags(path).stage("web.routes.archive") is Stage.SHADOW


def test_set_rollback_leaves_the_targets_untouched(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    set_rollback(path, True)
    assert path.read_text() == COMMENTED.replace("rollback: false", "rollback: true ")


def test_edits_replace_the_file_atomically_and_leave_no_temporary_file(tmp_path):
    path = write(tmp_path / "f.yaml", COMMENTED)
    inode = path.stat().st_ino
    set_stage(path, "web", "live")
    assert path.stat().st_ino != inode and sorted(p.name for p in tmp_path.iterdir()) == ["f.yaml"]


def test_flags_is_an_immutable_snapshot():
    flags = parse_flags(flags_text("web: live"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        flags.default = Stage.ASYNC  # type: ignore[misc]
    assert isinstance(flags, Flags)


# ---------------------------------------------------------------------------- declared targets

KNOWN = "known_targets: [repositories.users, services.archive, web.routes.*, cli.*]\n"


def test_declared_targets_accept_phases_names_and_names_under_a_prefix():
    flags = parse_flags("version: 1\n" + KNOWN, "f.yaml")
    known = ("repositories", "repositories.users", "services", "web", "web.routes", "web.routes.archive", "cli.a")
    for name in known:
        assert flags.knows(name), name
    for name in ("servics.archive", "services.archiv", "repositories.user", "foo.bar", "webroutes"):
        assert not flags.knows(name), name


def test_an_undeclared_target_in_the_file_is_a_problem_at_its_line_naming_the_closest():
    text = "version: 1\n" + KNOWN + "targets:\n  services.archive: live\n  servics.archive: live\n"
    [line] = problem_lines(text)
    assert line.startswith("feature_flags.yaml:5: unknown target 'servics.archive'; did you mean 'services.archive'?")
    assert "known targets (known_targets in feature_flags.yaml): repositories.users, services.archive" in line


def test_a_gate_for_an_undeclared_target_is_a_problem():
    text = "version: 1\n" + KNOWN + "gates:\n  default: {min_runs: 1}\n  foo.bar: {min_runs: 2}\n"
    [line] = problem_lines(text)
    assert line.startswith("feature_flags.yaml:5: gate for unknown target 'foo.bar'")


def test_known_targets_must_be_a_list_of_dotted_names():
    assert problem_lines("version: 1\nknown_targets: [ok, 'not ok']\n") == [
        "feature_flags.yaml:2: invalid name 'not ok' in 'known_targets'; use a dotted name (at most 200 characters), "
        "or 'prefix.*' for every name under it"
    ]


def test_without_a_declaration_every_name_is_accepted():
    assert parse_flags(flags_text("foo.bar: live"), "f.yaml").knows("anything.at.all")


def test_set_stage_refuses_an_undeclared_target_and_leaves_the_file_alone(tmp_path):
    path = write(tmp_path / "f.yaml", "version: 1\n" + KNOWN)
    before = path.read_text()
    with pytest.raises(FlagsError, match="unknown target 'servics.archive'; did you mean 'services.archive'"):
        set_stage(path, "servics.archive", "live")
    assert path.read_text() == before


def test_the_repositorys_flags_file_declares_its_targets():
    flags = parse_flags(REPO_FLAGS.read_text(), str(REPO_FLAGS))
    assert flags.known and not flags.knows("servics.archive")


def test_a_target_name_too_long_to_record_is_an_error():
    """The records keep a target in 200 characters: a longer name could be served but never
    recorded, so no gate could ever see its evidence."""
    name = "web." + "a" * 197
    [line] = problem_lines(f"version: 1\ntargets:\n  {name}: sync\n")
    assert line.startswith(f"feature_flags.yaml:3: invalid target name '{name}'") and "at most 200" in line
    assert parse_flags(f"version: 1\ntargets:\n  {name[:200]}: sync\n").targets == {name[:200]: Stage.SYNC}
