# SQLGlot's side of bench/sql-lane-bench.js: a small server on stdin/stdout (one JSON object per
# line each way), so the two sides can be measured alternately in one run.
#
#   {"cmd": "load", "sets": {name: {"sql": [...], "schema": {table: {col: type}} | null, "works": [...]}}}
#       -> {"sqlglot": version, "ok": {name: {work: [bool...]}}}  (whether each input goes through)
#   {"cmd": "select", "set": name, "indices": [...]}        the inputs later runs of `set` use
#   {"cmd": "run", "set": name, "work": "full" | "optimize", "seconds": s}
#       -> {"rate": queries per second (wall), "cpu_rate": per CPU second, "fastest_chunk_rate":
#           per CPU second in the fastest stretch of passes lasting >= CHUNK s, "n": queries done}
#          (at least one pass over the inputs)
#   {"cmd": "quit"}
#
# "full" is the SQLGlot work that matches cpgc's whole policy lane (see bench/README.md,
# sql-lane): parse_one, then optimizer.optimize with the rules
#   lower_identities, qualify_tables, qualify_columns, normalize, annotate_types, canonicalize
# (identifier case, tables aliased, columns qualified and validated against the schema, stars
# and USING expanded, CNF with max_distance 128, types, canonical forms), then .sql() and a
# sha256 of the canonical text (the fingerprint). "optimize" is the full default optimizer
# (RULES, with the rewrites cpgc does not do: unnesting, pushdowns, merges, join elimination),
# printed; it is reported for reference only.
import hashlib
import json
import sys
import time

import sqlglot
from sqlglot.optimizer import optimizer
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.canonicalize import canonicalize
from sqlglot.optimizer.lower_identities import lower_identities
from sqlglot.optimizer.normalize import normalize
from sqlglot.optimizer.qualify_columns import qualify_columns
from sqlglot.optimizer.qualify_tables import qualify_tables

LANE_RULES = (lower_identities, qualify_tables, qualify_columns, normalize, annotate_types, canonicalize)


def full(sql, schema):
    e = optimizer.optimize(sqlglot.parse_one(sql), schema=schema, rules=LANE_RULES)
    hashlib.sha256(e.sql().encode()).hexdigest()


def optimize(sql, schema):
    optimizer.optimize(sqlglot.parse_one(sql), schema=schema).sql()


WORK = {"full": full, "optimize": optimize}

# passes are timed in stretches of at least this many seconds (both sides use the same), so the
# fastest stretch compares like with like
CHUNK = 0.2


def succeeds(work, sql, schema):
    try:
        work(sql, schema)
        return True
    except Exception:
        return False


def main():
    sets = {}
    chosen = {}
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "load":
            sets = {name: (s["sql"], s.get("schema") or {}) for name, s in msg["sets"].items()}
            ok = {
                name: {w: [succeeds(WORK[w], q, sets[name][1]) for q in sets[name][0]] for w in s.get("works", ["full"])}
                for name, s in msg["sets"].items()
            }
            out = {"sqlglot": sqlglot.__version__, "ok": ok}
        elif cmd == "select":
            sqls, schema = sets[msg["set"]]
            chosen[msg["set"]] = ([sqls[i] for i in msg["indices"]], schema)
        elif cmd == "run":
            sqls, schema = chosen[msg["set"]]
            work = WORK[msg["work"]]
            t0 = time.perf_counter()
            c0 = time.process_time()
            n = 0
            fastest = 0.0
            chunk_t, chunk_c, chunk_n = time.perf_counter(), time.process_time(), 0
            while n == 0 or time.perf_counter() - t0 < msg["seconds"]:
                for q in sqls:
                    work(q, schema)
                n += len(sqls)
                chunk_n += len(sqls)
                if time.perf_counter() - chunk_t >= CHUNK:
                    fastest = max(fastest, chunk_n / max(1e-9, time.process_time() - chunk_c))
                    chunk_t, chunk_c, chunk_n = time.perf_counter(), time.process_time(), 0
            if fastest == 0.0:
                fastest = chunk_n / max(1e-9, time.process_time() - chunk_c)
            out = {
                "rate": n / (time.perf_counter() - t0),
                "cpu_rate": n / max(1e-9, time.process_time() - c0),
                "fastest_chunk_rate": fastest,
                "n": n,
            }
        elif cmd == "quit":
            return
        else:
            out = {"error": f"unknown command {cmd}"}
        if cmd != "select":
            print(json.dumps(out), flush=True)
        else:
            print("{}", flush=True)


main()
