"""Raw measurements -> the figures people compare (`summarise`) -> one table (`table`)."""

from __future__ import annotations

from typing import Any

from bench import gazetteer
from bench.stages import STAGES

TEN_K = 10_000
# The targets: (key, label, test).
TARGET_APS = 200.0
TARGET_IDLE_SECONDS = 2.0
TARGET_FLAT = 1.10  # "flat": per-article CPU at the largest size within 10% of the smallest
TARGET_RSS_MB = 500.0
TARGET_PREFECT = 1.15
TARGET_FLOOR = 3.0
TARGET_GENERIC = 1.5


def _per(value: float | None, count: int) -> float | None:
    return None if value is None or not count else value / count


def _slope_mb_per_1k_pages(cold: dict[str, Any], pages: int) -> float:
    """How fast RSS rose in the later part of one cold pass (sampled in the pass), per 1,000 pages.

    Not a growth rate to project with: one-time costs that land in that part of the pass (a
    table loaded on the first page that needs it, a lazy import) look the same as memory held
    per page. Kept in the JSON to show where a pass's memory goes over time.
    """
    return cold["rss_slope_mb_per_s"] * cold["wall"] / pages * 1000


def rss_growth(cold: dict[str, Any], other: dict[str, Any] | None, pages: int) -> float:
    """How peak RSS grows per 1,000 pages a pass reads: the cold pass's peak against the same
    cold pass over another number of pages (``other``, twice as many by default); one pass's
    in-pass slope when there is none."""
    if other is None or pages == other["pages"]:
        return _slope_mb_per_1k_pages(cold, pages)
    return (_rss(other) - _rss(cold)) / (other["pages"] - pages) * 1000


def _projected_rss(
    cold: dict[str, Any], other: dict[str, Any] | None, growth: float, pages: int
) -> float:
    """Peak RSS of a pass of 10k new pages: the larger pass's peak (page workers included)
    plus the growth rate from there to 10k."""
    start, start_pages = cold, pages
    if other is not None and other["pages"] > pages:
        start, start_pages = other, other["pages"]
    return _rss(start) + max(growth, 0.0) * max(TEN_K - start_pages, 0) / 1000


def _worker_cpu(p: dict[str, Any]) -> float:
    """Seconds of CPU the pass's page workers used (start-up and pipes included)."""
    return (p.get("workers") or {}).get("cpu_s", 0.0)


def _cpu(p: dict[str, Any]) -> float:
    """A pass's CPU seconds: its own process and its page workers."""
    return p["cpu"] + _worker_cpu(p)


def _rss(p: dict[str, Any]) -> float:
    """A pass's peak memory: its own process's peak plus each page worker's."""
    return p["peak_rss_mb"] + (p.get("workers") or {}).get("peak_rss_mb", 0.0)


def _stage_ns(p: dict[str, Any]) -> dict[str, float]:
    """CPU ns per stage: the clocks in this process plus the steps the workers ran (their own
    clocks: `briefwatch.pages.read` times parse and extract), and what else the workers spent
    (start-up, pickling, pipes) as "worker overhead"."""
    out: dict[str, float] = dict(p["stage_cpu_ns"])
    workers = p.get("workers")
    if workers:
        steps = workers["step_cpu_ns"]
        for step, ns in steps.items():
            out[step] = out.get(step, 0) + ns
        out["worker overhead"] = max(workers["cpu_s"] * 1e9 - sum(steps.values()), 0.0)
    return out


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """The comparable figures, top-level keys first, with the raw measurements under ``raw``."""
    n = raw["settings"]["pass_articles"]
    cold, flow = raw["cold_direct"], raw.get("cold_prefect")
    idle_direct, idle_flow = raw["idle_direct"], raw.get("idle_prefect")
    floors = raw["floors"]
    cpu_ms = _cpu(cold) * 1000 / n
    cold_ns = _stage_ns(cold)
    stages_cpu = {s: cold_ns.get(s, 0) / 1e6 / n for s in (*STAGES, "worker overhead")}
    stages_wall = {s: cold["stage_wall_ns"].get(s, 0) / 1e6 / n for s in STAGES}
    stages_wall["worker overhead"] = 0.0  # in other processes, meanwhile
    stages_cpu["unattributed"] = cpu_ms - sum(stages_cpu.values())
    stages_wall["unattributed"] = cold["wall"] * 1000 / n - sum(stages_wall.values())

    growth = []
    for point in raw["growth"]:
        batch_pages = raw["settings"]["batch"]
        b = point["batch"]
        batch_ns = _stage_ns(b)
        growth.append(
            {
                "stored_articles": point["stored_articles"],
                "cpu_ms_per_article": _cpu(b) * 1000 / batch_pages,
                "wall_ms_per_article": b["wall"] * 1000 / batch_pages,
                "stages_cpu_ms_per_article": {
                    s: batch_ns.get(s, 0) / 1e6 / batch_pages for s in STAGES
                },
                "idle_pass_seconds": point["idle"]["wall"],
                "idle_pass_requests": point["idle"]["requests"],
                "db_mb_per_1000_articles": point["db_bytes"] / 1e6 / point["articles_after"] * 1000,
                "peak_rss_mb": _rss(b),
                "grow_seconds": point["grow_seconds"],
            }
        )
    growth_ratio = (
        growth[-1]["cpu_ms_per_article"] / growth[0]["cpu_ms_per_article"]
        if len(growth) > 1
        else None
    )
    # A stage that grows with the store can hide in the noise of the total: name the worst.
    worst = None
    if len(growth) > 1:
        first, last = (
            growth[0]["stages_cpu_ms_per_article"],
            growth[-1]["stages_cpu_ms_per_article"],
        )
        stage = max(STAGES, key=lambda s: last[s] - first[s])
        worst = {"stage": stage, "from_ms": first[stage], "to_ms": last[stage]}

    aps_direct = n / cold["wall"]
    aps_flow = n / flow["wall"] if flow else None
    idle_flow_s = idle_flow["wall"] if idle_flow else None
    rss = _rss(flow) if flow else _rss(cold)
    growth_rates = {"direct": rss_growth(cold, raw.get("cold_direct_other"), n)}
    slopes = {"direct": _slope_mb_per_1k_pages(cold, n)}
    if flow:
        growth_rates["prefect"] = rss_growth(flow, raw.get("cold_prefect_other"), n)
        slopes["prefect"] = _slope_mb_per_1k_pages(flow, n)
    rss_10k = {
        k: _projected_rss(raw[f"cold_{k}"], raw.get(f"cold_{k}_other"), v, n)
        for k, v in growth_rates.items()
    }
    out: dict[str, Any] = {
        # -- the keys scripts compare (see bench/README.md) --
        "articles_per_second": aps_flow if aps_flow is not None else aps_direct,
        "floor_ratio": floors["floor_ratio"],
        "generic_ratio": floors["generic_ratio"],
        "prefect_overhead_ratio": flow["wall"] / cold["wall"] if flow else None,
        "idle_pass_seconds": idle_flow_s if idle_flow_s is not None else idle_direct["wall"],
        "peak_rss_mb": rss,
        # -- the rest --
        "articles_per_second_direct": aps_direct,
        "prefect_cpu_ratio": _cpu(flow) / _cpu(cold) if flow else None,
        "stage_clock_ms_per_article": raw["instrument_ns_per_call"]
        * sum(cold["stage_calls"].values())
        / 1e6
        / n,
        "articles_per_second_prefect": aps_flow,
        "pass_articles": n,
        "cpu_ms_per_article": cpu_ms,
        "stages_cpu_ms_per_article": stages_cpu,
        "stages_wall_ms_per_article": stages_wall,
        "whole_pipeline_floor_ratio": cpu_ms / floors["all_lxml_ms"],
        "idle_pass_seconds_direct": idle_direct["wall"],
        "idle_pass_requests": (idle_flow or idle_direct)["requests"],
        "idle_pass_listing_requests": (idle_flow or idle_direct)["listing_requests"],
        "idle_pass_robots_requests": (idle_flow or idle_direct)["robots_requests"],
        "idle_pass_not_modified": (idle_flow or idle_direct)["not_modified"],
        "peak_rss_mb_direct": _rss(cold),
        "workers": {
            "direct": cold.get("workers"),
            "prefect": flow.get("workers") if flow else None,
        },
        "peak_rss_mb_10k_projected": rss_10k,
        "rss_growth_mb_per_1000_pages": growth_rates,
        "rss_slope_mb_per_1000_pages": slopes,
        "db_mb_per_1000_articles": cold["db_bytes"] / 1e6 / cold["stored_articles"] * 1000,
        "prefect_server_start_seconds": raw.get("prefect_server_start_seconds"),
        "gazetteer_open_ms": raw["gazetteer"]["open_ms"],
        "gazetteer_rss_mb": raw["gazetteer"]["rss_mb"],
        "gazetteer_lookup_us": raw["gazetteer"]["lookup_us"],
        "growth": growth,
        "growth_cpu_ratio": growth_ratio,
        "growth_worst_stage": worst,
        "machine": raw["machine"],
        "load_before": raw["load_before"],
        "load_after": raw["load_after"],
        "duration_seconds": raw["duration_seconds"],
        "settings": raw["settings"],
        "corpus": raw["corpus"],
    }
    out["targets"] = _targets(out)
    out["raw"] = raw
    return out


def _targets(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rss_10k = max(r["peak_rss_mb_10k_projected"].values())
    sources = r["settings"]["sources"]
    # One request per source: every listing asked once, and nothing else but robots.txt.
    per_source = (
        r["idle_pass_listing_requests"] == sources
        and r["idle_pass_requests"] - r["idle_pass_robots_requests"] == sources
    )
    idle_ok = r["idle_pass_seconds"] < TARGET_IDLE_SECONDS and per_source
    checks = {
        "articles_per_second >= 200": (
            r["articles_per_second"], r["articles_per_second"] >= TARGET_APS
        ),
        "idle pass < 2 s, 1 request/source": (r["idle_pass_seconds"], idle_ok),
        "flat cost 1k -> largest (<= 1.10x, each stage)": (
            r["growth_cpu_ratio"],
            None if r["growth_cpu_ratio"] is None else _flat(r),
        ),
        "peak RSS < 500 MB for 10k (projected)": (rss_10k, rss_10k < TARGET_RSS_MB),
        "Prefect overhead < 15% (wall)": (
            r["prefect_overhead_ratio"],
            None if r["prefect_overhead_ratio"] is None
            else r["prefect_overhead_ratio"] < TARGET_PREFECT,
        ),
        "site pages <= 3x lxml floor": (r["floor_ratio"], r["floor_ratio"] <= TARGET_FLOOR),
        "generic pages <= 1.5x trafilatura": (
            r["generic_ratio"], r["generic_ratio"] <= TARGET_GENERIC
        ),
        "gazetteer opens < 150 ms": (
            r["gazetteer_open_ms"], r["gazetteer_open_ms"] < gazetteer.TARGET_OPEN_MS
        ),
        "gazetteer < 80 MB resident": (
            r["gazetteer_rss_mb"], r["gazetteer_rss_mb"] < gazetteer.TARGET_RSS_MB
        ),
    }  # fmt: skip
    return {k: {"measured": v, "met": ok} for k, (v, ok) in checks.items()}


def _flat(r: dict[str, Any]) -> bool:
    """Flat: the total within 10%, and no stage up by more than 10% plus 0.5 ms per article."""
    worst = r["growth_worst_stage"]
    stage_ok = worst["to_ms"] <= worst["from_ms"] * TARGET_FLAT + 0.5
    return r["growth_cpu_ratio"] <= TARGET_FLAT and stage_ok


# -- the table ---------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def table(r: dict[str, Any]) -> str:
    """The one table `make bench` prints."""
    m, raw, n = r["machine"], r["raw"], r["pass_articles"]
    dirty = " (+uncommitted changes)" if m["commit_dirty"] else ""
    lines = [
        f"briefwatch bench · {m['cores']} cores ({m['cpu']}) · Python {m['python']} · "
        f"commit {m['commit'][:10]}{dirty}",
        f"load average {r['load_before'][0]:.2f} before, {r['load_after'][0]:.2f} after · "
        f"run took {r['duration_seconds']:.0f} s",
        f"corpus: {r['corpus']['pages']:,} pages, {r['corpus']['stories']:,} stories, "
        f"{r['corpus']['sources']} sources, builds {r['corpus']['by_build']}",
        "",
    ]
    if r["prefect_server_start_seconds"] is not None:
        lines.append(f"Prefect server start (one time){r['prefect_server_start_seconds']:>29.1f} s")
        lines.append("")
    cold, flow = raw["cold_direct"], raw.get("cold_prefect")
    lines.append(
        f"{'end to end: cold pass, ' + format(n, ',') + ' new pages':<44}{'wall s':>8}"
        f"{'art/s':>8}{'CPU ms/art':>12}{'peak RSS MB':>13}"
    )
    lines.append(
        "  (wall of the pass alone; importing briefwatch before it took "
        + ", ".join(
            f"{p['imports']:.1f} s {label}"
            for label, p in (("direct", cold), ("Prefect", flow))
            if p is not None
        )
        + ")"
    )
    rows = [("direct (pipeline.run_pass)", cold)]
    if flow:
        rows.append(("Prefect flow (flows.monitor)", flow))
    for label, p in rows:
        lines.append(
            f"  {label:<42}{p['wall']:>8.1f}{n / p['wall']:>8.1f}{_cpu(p) * 1000 / n:>12.1f}"
            f"{_rss(p):>13.0f}"
        )
        if p.get("workers"):
            w = p["workers"]
            label = f"  of which {w['processes']} page worker process(es)"
            lines.append(
                f"  {label:<42}{'':>16}{_worker_cpu(p) * 1000 / n:>12.1f}{w['peak_rss_mb']:>13.0f}"
            )
    lines.append(
        f"  {'Prefect / direct: wall, CPU':<42}{_f(r['prefect_overhead_ratio'], 2, 'x'):>8}"
        f"{'':>8}{_f(r['prefect_cpu_ratio'], 2, 'x'):>12}"
    )
    lines.append("")
    lines.append(f"{'per stage (direct cold pass)':<44}{'CPU ms/art':>12}{'wall ms/art':>13}")
    for stage, cpu in r["stages_cpu_ms_per_article"].items():
        lines.append(f"  {stage:<42}{cpu:>12.2f}{r['stages_wall_ms_per_article'][stage]:>13.2f}")
    lines.append(f"  {'total':<42}{r['cpu_ms_per_article']:>12.2f}{cold['wall'] * 1000 / n:>13.2f}")
    uncovered = ", ".join(cold.get("stage_uncovered", [])) or "none"
    lines.append(
        f"  (the stage clocks cost {r['stage_clock_ms_per_article']:.3f} ms/article; "
        f"stages with no function to time in this core: {uncovered})"
    )
    lines.append("")
    fl = raw["floors"]
    lines.append(
        f"{'floors (sampled pages per build)':<36}{'pages':>6}{'KB':>6}{'lxml ms':>9}"
        f"{'trafil. ms':>11}{'ours ms':>9}{'ours/floor':>11}"
    )
    for build, b in fl["per_build"].items():
        floor = b["trafilatura_ms"] or b["lxml_ms"]
        lines.append(
            f"  {build + ' · ' + b['path']:<34}{b['pages']:>6}{b['kb']:>6.0f}{b['lxml_ms']:>9.2f}"
            f"{_f(b['trafilatura_ms'], 2):>11}{b['parse_ms']:>9.2f}{b['parse_ms'] / floor:>10.1f}x"
        )
    lines.append(
        f"  site-parsed: parse stage / lxml floor = {r['floor_ratio']:.1f}x (goal <= 3x); "
        f"generic: parse stage / trafilatura alone = {r['generic_ratio']:.2f}x (goal <= 1.5x)"
    )
    lines.append(
        f"  whole pipeline CPU per article / lxml floor = {r['whole_pipeline_floor_ratio']:.0f}x"
    )
    lines.append("")
    lines.append(
        f"{'passes with little new':<44}{'wall s':>8}{'requests':>10}{'listings':>10}"
        f"{'robots':>8}{'304s':>7}"
    )
    idle = f"idle, {r['settings']['sources']} sources unchanged"
    idle_rows = [(f"{idle} · direct", raw["idle_direct"])]
    if raw.get("idle_prefect"):
        idle_rows.append((f"{idle} · Prefect", raw["idle_prefect"]))
    fu = raw["follow_up"]
    idle_rows.append(
        (f"follow-up · direct: {fu['counts']['revisions']} revised, {fu['new_pages']} new", fu)
    )
    for label, p in idle_rows:
        lines.append(
            f"  {label:<42}{p['wall']:>8.2f}{p['requests']:>10}{p['listing_requests']:>10}"
            f"{p['robots_requests']:>8}{p['not_modified']:>7}"
        )
    lines.append("")
    lines.append(
        f"{'growth: batch of ' + str(r['settings']['batch']) + ' new pages':<30}{'stored':>9}"
        f"{'CPU ms/art':>12}{'wall ms/art':>12}{'idle s':>8}{'DB MB/1k':>10}{'RSS MB':>8}"
    )
    for g in r["growth"]:
        lines.append(
            f"  {'':<28}{g['stored_articles']:>9,}{g['cpu_ms_per_article']:>12.2f}"
            f"{g['wall_ms_per_article']:>12.2f}{g['idle_pass_seconds']:>8.2f}"
            f"{g['db_mb_per_1000_articles']:>10.2f}{g['peak_rss_mb']:>8.0f}"
        )
    if len(r["growth"]) > 1:
        first, last = r["growth"][0], r["growth"][-1]
        moved = {
            s: last["stages_cpu_ms_per_article"][s] - first["stages_cpu_ms_per_article"][s]
            for s in STAGES
        }
        top = sorted(moved.items(), key=lambda kv: -kv[1])[:3]
        lines.append(
            f"  largest / smallest: {r['growth_cpu_ratio']:.2f}x CPU per article; grew most: "
            + ", ".join(f"{s} {d:+.2f} ms" for s, d in top)
        )
    lines.append("")
    proj, rate = r["peak_rss_mb_10k_projected"], r["rss_growth_mb_per_1000_pages"]
    lines.append(
        f"memory: peak RSS {r['peak_rss_mb']:.0f} MB ({n:,}-page pass{', Prefect' if flow else ''})"
        "; peak grows "
        + ", ".join(f"{k} {v:+.0f}" for k, v in rate.items())
        + " MB per 1k pages (against a pass of "
        + f"{(raw.get('cold_direct_other') or {}).get('pages', n):,} pages)"
        "; projected for a 10k-page pass: " + ", ".join(f"{k} {v:.0f} MB" for k, v in proj.items())
    )
    lines.append(f"database: {r['db_mb_per_1000_articles']:.2f} MB per 1,000 articles (SQLite)")
    lines.append("")
    lines.append(gazetteer.table(raw["gazetteer"]))
    lines.append("")
    lines.append("targets")
    for name, t in r["targets"].items():
        value = t["measured"]
        shown = "—" if value is None else f"{value:,.2f}"
        verdict = "not measured" if t["met"] is None else "met" if t["met"] else "MISSED"
        lines.append(f"  {name:<48}{shown:>10}  {verdict}")
    return "\n".join(lines)
