"""``/migration``: ``asyncshift status`` as a page, with each target's mismatch and error rates
over time drawn as small inline-SVG charts that refresh by themselves.

A plain Starlette app with no JavaScript library: the server draws the SVG, and a few lines of
script fetch the fresh fragment every ``refresh`` seconds. The application mounts it
wherever it likes::

    from compat.control.dashboard import dashboard_app
    from compat.control.results import SqlSource
    app.mount("/migration", dashboard_app(SqlSource(database.sync_engine), store))

Routes (under the mount): ``/`` the page, ``/fragment`` what the page refreshes, ``/data.json``
the same figures as JSON, ``/style.css`` and ``/refresh.js`` (never inline: a strict
Content-Security-Policy allows them).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from compat.control.project import Project
from compat.control.results import Point, Source, timeline
from compat.control.status import MigrationStatus, TargetStatus, migration_status
from compat.flags import FlagStore

CHART_W, CHART_H = 260, 64
MISMATCH_COLOUR, ERROR_COLOUR, RUNS_COLOUR = "#d97706", "#dc2626", "#cbd5e1"


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def chart(points: list[Point]) -> str:
    """Runs per bucket as grey bars, mismatch and error rates as two lines, scaled to the highest."""
    if not points:
        return ""
    n = len(points)
    step = CHART_W / max(n - 1, 1)
    top_rate = max(0.01, *(max(p.mismatch_rate, p.error_rate) for p in points))
    top_runs = max(1, *(p.runs for p in points))
    bars = "".join(
        f'<rect x="{i * step - step / 2 + 1:.1f}" y="{CHART_H - p.runs / top_runs * CHART_H:.1f}" '
        f'width="{max(step - 2, 1):.1f}" height="{p.runs / top_runs * CHART_H:.1f}" fill="{RUNS_COLOUR}"/>'
        for i, p in enumerate(points)
    )

    def line(values: list[float], colour: str, name: str) -> str:
        coords = " ".join(
            f"{i * step:.1f},{CHART_H - v / top_rate * (CHART_H - 4) - 2:.1f}" for i, v in enumerate(values)
        )
        return f'<polyline class="{name}" points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'

    last = points[-1]
    title = (
        f"last bucket: {last.runs} runs, mismatch {_pct(last.mismatch_rate)}, errors {_pct(last.error_rate)}; "
        f"scale 0..{_pct(top_rate)}"
    )
    return (
        f'<svg class="chart" width="{CHART_W}" height="{CHART_H}" viewBox="-4 0 {CHART_W + 8} {CHART_H}" '
        f'role="img" aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>{bars}'
        f"{line([p.mismatch_rate for p in points], MISMATCH_COLOUR, 'mismatch')}"
        f"{line([p.error_rate for p in points], ERROR_COLOUR, 'errors')}"
        f'<text x="{CHART_W}" y="10" text-anchor="end" font-size="9" fill="#64748b">{_pct(top_rate)}</text></svg>'
    )


def _gate(status: TargetStatus) -> str:
    verdict = status.verdict
    if verdict.next is None:
        return '<span class="ok">done</span>'
    if not verdict.conditions:
        return (
            f"&rarr; {verdict.next.value} (no evidence needed)" if status.configured.value == "sync" else "no gate set"
        )
    if verdict.passed:
        return f'<span class="ok">passes &rarr; {verdict.next.value}</span>'
    failed = "; ".join(c.text for c in verdict.failed)
    return f'<span class="hold" title="{html.escape(failed)}">holds: {", ".join(c.name for c in verdict.failed)}</span>'


def _row(status: TargetStatus, charts: dict[str, list[Point]], child: bool) -> str:
    summary = status.verdict.summary
    stage = status.stage.value + ("*" if status.stage is not status.configured else "")
    figures = (
        (
            f"{summary.runs} runs, {_pct(summary.mismatch_rate)} mismatch, "
            f"{summary.error_rate_increase * 100:+.1f}% errors"
        )
        if summary.runs
        else "&ndash;"
    )
    points = charts.get(status.target)
    drawn = f'<div class="spark">{chart(points)}</div>' if points else ""
    note = f'<div class="note">{html.escape(status.note)}</div>' if status.note else ""
    return (
        f'<tr class="{"child" if child else "phase"}" data-target="{html.escape(status.target)}">'
        f'<td>{html.escape(status.target)}{note}</td><td class="stage {status.stage.value}">{stage}</td>'
        f"<td>{status.modules or '&ndash;'}</td><td>{figures}</td><td>{_gate(status)}</td><td>{drawn}</td></tr>"
    )


def _jobs(status: MigrationStatus) -> str:
    """Interrupted job occurrences (nothing when the records' database has no ``job_runs``)."""
    jobs = status.jobs
    if jobs is None:
        return ""
    items = "".join(
        f"<li>{html.escape(r.job_id)} &middot; scheduled {r.scheduled_at:%Y-%m-%d %H:%M:%S} &middot; "
        f"attempts {r.attempts}{' &middot; ' + html.escape(r.error) if r.error else ''}</li>"
        for r in jobs.recent
    )
    return (
        f'<div class="jobs"><p>job occurrences: {jobs.interrupted} interrupted, {jobs.stale} stale '
        f"(running with no lease renewal for over {jobs.lease:g}s)</p>{f'<ul>{items}</ul>' if items else ''}</div>"
    )


def fragment(status: MigrationStatus, charts: dict[str, list[Point]], refreshes: int = 0) -> str:
    """The part of the page that refreshes: rollback banner, table, charts."""
    banner = (
        f'<p class="rollback">ROLLBACK {html.escape(status.rollback_detail)}</p>'
        if status.rollback
        else '<p class="calm">rollback: off</p>'
    )
    rows = []
    for phase in status.phases:
        rows.append(_row(phase, charts, False))
        rows += [_row(child, charts, True) for child in phase.children]
    return (
        f'<div id="live" data-at="{status.at.isoformat()}">{banner}'
        "<table><thead><tr><th>phase / target</th><th>stage</th><th>new/all</th><th>side by side</th>"
        '<th>gate</th><th>mismatch <span class="key-mismatch">&#9644;</span> errors '
        '<span class="key-errors">&#9644;</span> runs <span class="key-runs">&#9632;</span></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{_jobs(status)}"
        f'<p class="at">updated {status.at:%H:%M:%S} UTC &middot; flags {html.escape(status.flags_path)}</p></div>'
    )


# The style and the script are served beside the page (``style.css``, ``refresh.js``), never
# inline, so the page works under a strict Content-Security-Policy (``script-src 'self'``).
STYLE = f"""\
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #0f172a; }}
h1 {{ font-size: 1.3rem; margin: 0 0 .5rem; }}
table {{ border-collapse: collapse; }}
th, td {{ text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }}
tr.phase td:first-child {{ font-weight: 600; }}
tr.child td:first-child {{ padding-left: 1.6rem; }}
.stage.sync {{ color: #64748b; }} .stage.shadow {{ color: #2563eb; }}
.stage.live {{ color: #9333ea; }} .stage.async {{ color: #16a34a; font-weight: 600; }}
.ok {{ color: #16a34a; }} .hold {{ color: #b45309; }}
.note {{ font-size: 12px; color: #b91c1c; font-weight: normal; max-width: 28rem; }}
.rollback {{ background: #fee2e2; color: #991b1b; padding: .4rem .6rem; font-weight: 600; }}
.calm {{ color: #64748b; }} .at {{ color: #64748b; font-size: 12px; }}
.spark {{ display: inline-block; margin-right: .6rem; }} .spark small {{ display: block; color: #64748b; }}
.key-mismatch {{ color: {MISMATCH_COLOUR}; }} .key-errors {{ color: {ERROR_COLOUR}; }}
.key-runs {{ color: {RUNS_COLOUR}; }}
"""

SCRIPT = """\
(function () {
  var body = document.body, every = Number(body.dataset.refresh), url = body.dataset.fragment;
  function tick() {
    fetch(url, {cache: "no-store", credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (text) {
      document.getElementById("content").innerHTML = text;
      body.dataset.refreshes = String(Number(body.dataset.refreshes) + 1);
    }).catch(function () {}).finally(function () { setTimeout(tick, every); });
  }
  setTimeout(tick, every);
})();
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Migration status</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{root}/style.css">
</head>
<body data-refreshes="0" data-refresh="{refresh_ms}" data-fragment="{root}/fragment"><h1>Migration status</h1>
<div id="content">{fragment}</div>
<script src="{root}/refresh.js"></script>
</body></html>
"""


def dashboard_app(
    results_source: Source,
    store: FlagStore,
    *,
    project: Project | None = None,
    window: dt.timedelta = dt.timedelta(minutes=10),
    buckets: int = 30,
    refresh: float = 2.0,
    status_since: dt.timedelta | None = dt.timedelta(hours=24),
) -> Starlette:
    """The ``/migration`` app: mount it under any path. Charts cover the last ``window`` in
    ``buckets`` steps; figures and gates use the runs of the last ``status_since``."""

    def collect() -> tuple[MigrationStatus, dict[str, list[Point]]]:
        now = dt.datetime.now(dt.UTC)
        since = now - status_since if status_since else None
        status = migration_status(store.snapshot(), results_source, project=project, since=since, now=now)
        runs = results_source.runs(since=now - window)
        charts = timeline(runs, bucket=window / buckets, end=now, buckets=buckets)
        return status, charts

    def page(request: Request) -> HTMLResponse:
        status, charts = collect()
        root = request.scope.get("root_path", "").rstrip("/")
        body = PAGE.format(fragment=fragment(status, charts), refresh_ms=int(refresh * 1000), root=html.escape(root))
        return HTMLResponse(body, headers={"cache-control": "no-store"})

    def style(request: Request) -> Response:
        return Response(STYLE, media_type="text/css", headers={"cache-control": "max-age=300"})

    def script(request: Request) -> Response:
        return Response(SCRIPT, media_type="text/javascript", headers={"cache-control": "max-age=300"})

    def live(request: Request) -> HTMLResponse:
        status, charts = collect()
        return HTMLResponse(fragment(status, charts), headers={"cache-control": "no-store"})

    def data(request: Request) -> JSONResponse:
        status, charts = collect()
        series: dict[str, Any] = {
            target: [
                {"at": p.at.isoformat(), "runs": p.runs, "mismatch_rate": p.mismatch_rate, "error_rate": p.error_rate}
                for p in points
            ]
            for target, points in charts.items()
        }
        return JSONResponse({"status": status.as_dict(), "series": series})

    return Starlette(
        routes=[
            Route("/", page),
            Route("/fragment", live),
            Route("/data.json", data),
            Route("/style.css", style),
            Route("/refresh.js", script),
        ]
    )
