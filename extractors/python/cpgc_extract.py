"""cpgc's Python extractor worker (stdlib only).

    python3 -I -B cpgc_extract.py < job.json

The job (one JSON object on stdin):
    {"worker": 0, "root": "/abs/root", "files": ["pkg/a.py", ...], "staging_dir": "/abs/dir",
     "tables": [{"dataset": "py_ast_nodes", "table": "ast_nodes",
                 "columns": [{"name": "path", "type": "utf8", "nullable": false}, ...]}, ...],
     "max_file_bytes": 8388608 | null, "chunk_rows": 200000}

Events on stdout, one JSON object per line:
    {"event": "file", "done": 3}                   after each file
    {"event": "done", "tables": {dataset: {"files": [...], "rows": n}}, "files_ok": n,
     "files_failed": n, "peak_rss_bytes": n, "cpu_seconds": x}
    {"event": "error", "code": "EXTRACT_SCHEMA_MISMATCH", "dataset": ..., "column": ...,
     "file": ..., "message": ...}                  then exit status 3
Anything else (a bug, a killed process) is a non-zero exit with a traceback on stderr.
"""

import json
import os
import resource
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cpgc_py.extract import extract_file  # noqa: E402
from cpgc_py.native import TABLE_ALIASES, TABLES  # noqa: E402
from cpgc_py.schema import SchemaMismatch, compile_writer  # noqa: E402
from cpgc_py.sink import ChunkSink  # noqa: E402

EXIT_SCHEMA_MISMATCH = 3


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def peak_rss_bytes() -> int:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb if sys.platform == "darwin" else kb * 1024


def run(job: dict) -> int:
    tables = job["tables"]
    writers = {}
    sinks = {}
    datasets = {}
    first_file = job["files"][0] if job["files"] else ""
    for t in tables:
        key, dataset = TABLE_ALIASES.get(t["table"], t["table"]), t["dataset"]
        if key in writers:
            emit({"event": "error", "code": "EXTRACT_SCHEMA_MISMATCH", "dataset": dataset, "column": "", "file": "", "message": f"dataset {dataset}: table {key!r} is requested by two datasets ({datasets[key]} and {dataset})"})
            return EXIT_SCHEMA_MISMATCH
        if key not in TABLES:
            emit({"event": "error", "code": "EXTRACT_SCHEMA_MISMATCH", "dataset": dataset, "column": "", "file": "", "message": f"dataset {dataset}: the python extractor has no table {key!r} (it has: {', '.join(TABLES)})"})
            return EXIT_SCHEMA_MISMATCH
        try:
            writers[key] = compile_writer(t["columns"], TABLES[key])
        except SchemaMismatch as e:
            emit({"event": "error", "code": "EXTRACT_SCHEMA_MISMATCH", "dataset": dataset, "column": e.column, "file": first_file, "message": f"dataset {dataset}: {e}"})
            return EXIT_SCHEMA_MISMATCH
        sinks[key] = ChunkSink(job["staging_dir"], dataset, int(job["worker"]), int(job.get("chunk_rows") or 200_000))
        datasets[key] = dataset
    want = frozenset(writers)
    root = job["root"]
    max_bytes = job.get("max_file_bytes")
    ok = failed = 0
    for n, path in enumerate(job["files"], 1):
        rows = extract_file(root, path, want, max_bytes)
        for key, table_rows in rows.items():
            write = writers[key]
            try:
                lines = [write(r) for r in table_rows]
            except SchemaMismatch as e:
                emit({"event": "error", "code": "EXTRACT_SCHEMA_MISMATCH", "dataset": datasets[key], "column": e.column, "file": path, "message": f"dataset {datasets[key]}, file {path}: {e}"})
                return EXIT_SCHEMA_MISMATCH
            sinks[key].write_lines(lines)
        if "errors" in rows:
            failed += 1
        else:
            ok += 1
        emit({"event": "file", "done": n})
    for s in sinks.values():
        s.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    emit(
        {
            "event": "done",
            "tables": {datasets[k]: {"files": s.files, "rows": s.rows} for k, s in sinks.items()},
            "files_ok": ok,
            "files_failed": failed,
            "peak_rss_bytes": peak_rss_bytes(),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        }
    )
    return 0


def main() -> int:
    warnings.simplefilter("ignore")  # SyntaxWarning/DeprecationWarning of the code being compiled
    job = json.load(sys.stdin)
    return run(job)


if __name__ == "__main__":
    sys.exit(main())
