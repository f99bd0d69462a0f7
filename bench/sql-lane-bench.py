# SQLGlot's side of bench/sql-lane-bench.js: reads {"inputs": [...], "schema": {...}, "runs": N}
# on stdin and prints JSON rates (queries per second, median of N runs after warm-up) for
#  - "lane":     parse_one + normalize (CNF, max_distance 128) + lower_identities-like canonical
#                work — what cpgc's lane does today (no binder yet);
#  - "optimize": parse_one + optimizer.optimize(schema) (TPC-H only; the full optimizer,
#                qualify + types included) — the reference once the binder is in the lane.
import json, sys, time
import sqlglot
from sqlglot.optimizer import optimizer, normalize
from sqlglot.optimizer.lower_identities import lower_identities

cfg = json.load(sys.stdin)
runs = cfg.get("runs", 5)

def lane(sql):
    e = sqlglot.parse_one(sql)
    e = lower_identities(e)
    e = normalize.normalize(e, max_distance=128)
    e.sql()
    hash(e)

def opt(sql, schema):
    optimizer.optimize(sqlglot.parse_one(sql), schema=schema).sql()

def rate(inputs, work):
    ok = []
    for s in inputs:
        try:
            work(s); ok.append(s)
        except Exception:
            pass
    if not ok:
        return 0, 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.5:
        for s in ok: work(s)
    rates = []
    for _ in range(runs):
        t = time.perf_counter(); n = 0
        while time.perf_counter() - t < 0.3:
            for s in ok: work(s)
            n += len(ok)
        rates.append(n / (time.perf_counter() - t))
    rates.sort()
    return rates[len(rates) // 2], len(ok)

out = {"sqlglot": sqlglot.__version__}
for name, inputs in cfg["sets"].items():
    r, n = rate(inputs, lane)
    out[name] = {"lane": r, "lane_ok": n}
    if name == "tpch":
        r, n = rate(inputs, lambda s: opt(s, cfg["schema"]))
        out[name].update({"optimize": r, "optimize_ok": n})
print(json.dumps(out))
