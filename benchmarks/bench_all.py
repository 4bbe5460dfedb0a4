"""Every benchmark in one run, then the table of issue 16 from that run's figures.

``bin/bench`` runs this: the ledger benchmark (postings vs. ``pgbench -N``), the POS
benchmark over HTTP against gunicorn (lookup + sale vs. ``{ shop { name } }``) and the
checkout calculation benchmark (plugin on vs. off). Each prints its own tables as when
run alone (``bin/bench --ledger``, ``--pos``, ``--checkout``); the summary at the end
takes every row from the JSON those three wrote in this run, so each figure sits next
to a baseline measured on the same server, database and host load.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ledger_bench as lb  # noqa: E402

TARGETS = {
    "checkout_plain": (1.05, 1),
    "checkout_applied": (1.10, 3),
    "pos_ratio": 0.5,
    "sale_p50_ms": 10.0,
    "pos_p99_ms_16": 50.0,
    "ledger_ratio_8": 0.5,
}


def run(script, args, json_path):
    command = [sys.executable, str(HERE / script), *args, "--json", str(json_path)]
    done = subprocess.run(command)
    if done.returncode != 0:
        sys.exit(f"error: {script} failed ({done.returncode})")
    return json.loads(Path(json_path).read_text())


def _row(rows, what, clients):
    for row in rows:
        if row["what"] == what and row["clients"] == clients:
            return row
    return {}


def summary(ledger, pos, checkout):
    lines = []

    def add(path, measured, target, met):
        lines.append((path, measured, target, "yes" if met else ("no" if met is not None else "?")))

    for key, label in (("nothing applied", "checkout_plain"), ("wallet + points applied", "checkout_applied")):
        result = checkout["results"][key]
        first, again = result["first"], result["again"]
        ratio_target, query_target = TARGETS[label]
        add(
            f"checkout total calculation, {key} (plugin on ÷ off)",
            f"{first['ratio']:.2f}×, +{first['extra_queries']} SQL (again in request: "
            f"{again['ratio']:.2f}×, +{again['extra_queries']})",
            f"≤ {ratio_target:.2f}×, ≤ +{query_target}",
            first["ratio"] <= ratio_target and first["extra_queries"] <= query_target,
        )
        request = result.get("request")
        if request:  # the same targets, for the whole request a shopper waits for
            add(
                f"  storefront checkout query, {key} (plugin on ÷ off)",
                f"{request['ratio']:.2f}× ({request['on_ms']:.1f} vs {request['off_ms']:.1f} ms), "
                f"+{request['extra_queries']} SQL",
                f"≤ {ratio_target:.2f}×, ≤ +{query_target}",
                request["ratio"] <= ratio_target and request["extra_queries"] <= query_target,
            )
    ratios = []
    for clients in sorted({row["clients"] for row in pos["table"]}):
        row = _row(pos["table"], "POS requests (lookup+sale)", clients)
        ratios.append(f"{row.get('ratio_rate', 0):.2f} ({clients})")
    pos_ok = all(
        (_row(pos["table"], "POS requests (lookup+sale)", c).get("ratio_rate") or 0) >= TARGETS["pos_ratio"]
        for c in {row["clients"] for row in pos["table"]}
    )
    add("POS lookup + sale, requests/s ÷ Saleor shop { name } requests/s (clients)",
        ", ".join(ratios), f"≥ {TARGETS['pos_ratio']}", pos_ok)
    sale = _row(pos["table"], "posSaleRecord", 1)
    shop_cpu = next((s["cpu_ms_per_request"]["server_process"] for s in pos["scenarios"]
                     if s["scenario"] == "shop-1"), None)
    pos_cpu = next((s["cpu_ms_per_request"]["server_process"] for s in pos["scenarios"]
                    if s["scenario"] == "pos-1"), None)
    if sale:
        add("posSaleRecord p50, 1 client",
            f"{sale['p50_ms']:.1f} ms (server CPU {pos_cpu} ms per POS request vs {shop_cpu} for shop)",
            f"≤ {TARGETS['sale_p50_ms']:g} ms", sale["p50_ms"] <= TARGETS["sale_p50_ms"])
    busiest = max(row["clients"] for row in pos["table"])
    p99 = _row(pos["table"], "POS requests (lookup+sale)", busiest).get("p99_ms")
    if p99 is not None:
        add(f"POS p99 at {busiest} clients", f"{p99:.1f} ms", f"< {TARGETS['pos_p99_ms_16']:g} ms",
            p99 < TARGETS["pos_p99_ms_16"])
    eight = next((r for r in ledger["table"] if r["scenario"] == "separate wallets" and r["workers"] == 8), None)
    if eight and eight.get("ratio") is not None:
        add("ledger postings/s ÷ pgbench -N TPS, 8 workers",
            f"{eight['ratio']:.2f} (server CPU {eight['server_cpu_ms_per_posting']} ms per posting vs "
            f"{eight['pgbench_server_cpu_ms_per_txn']} per pgbench transaction)",
            f"≥ {TARGETS['ledger_ratio_8']}", eight["ratio"] >= TARGETS["ledger_ratio_8"])

    headers = ("path", "measured", "target", "met")
    widths = [max(len(x[i]) for x in [headers] + lines) for i in range(4)]
    fmt = lambda row: "  ".join(c.ljust(widths[i]) for i, c in enumerate(row))  # noqa: E731
    print()
    print(fmt(headers))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))
    print()
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="bin/bench",
        description="All benchmarks in one run and the table of issue 16. "
        "bin/bench --ledger|--pos|--checkout|--profile-pos run one of them (--help for each).",
    )
    parser.add_argument("--seconds", type=float, default=10, help="measured time per scenario (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up per scenario (default 2)")
    parser.add_argument("--rounds", type=int, default=300, help="checkout calculations per case (default 300)")
    parser.add_argument("--fresh", action="store_true", help="re-create the bench databases first")
    args = parser.parse_args(argv)
    common = ["--seconds", f"{args.seconds:g}", "--warmup", f"{args.warmup:g}"]
    fresh = ["--fresh"] if args.fresh else []
    load_at_start = lb.host_load()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = run("ledger_bench.py", common + fresh, Path(tmp) / "ledger.json")
        pos = run("pos_bench.py", common, Path(tmp) / "pos.json")
        checkout = run("checkout_bench.py", ["--rounds", str(args.rounds)], Path(tmp) / "checkout.json")
    lb.say(
        f"issue 16: every row from this run (1-min load {load_at_start} at the start, "
        f"{lb.host_load()} at the end, {os.cpu_count()} CPUs; POS over gunicorn with DEBUG off)"
    )
    lines = summary(ledger, pos, checkout)
    lb.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = lb.RESULTS_DIR / f"all-{ledger['run_id']}.json"
    path.write_text(json.dumps({
        "host_load_1min": {"start": load_at_start, "end": lb.host_load()},
        "summary": [dict(zip(("path", "measured", "target", "met"), line)) for line in lines],
        "ledger": ledger, "pos": pos, "checkout": checkout,
    }, indent=2, default=str) + "\n")
    lb.say(f"wrote {path.relative_to(lb.ROOT)}")


if __name__ == "__main__":
    main()
