"""Newline-delimited JSON chunk files, one series per table and worker:
`<staging>/<dataset>/part-<worker>-<seq>.ndjson`, a new chunk every `chunk_rows` rows. Rows are
written as they come; nothing but the current file's rows is held in memory."""

from __future__ import annotations

import os


class ChunkSink:
    def __init__(self, staging: str, dataset: str, worker: int, chunk_rows: int):
        self.dir = os.path.join(staging, dataset)
        self.worker = worker
        self.chunk_rows = chunk_rows
        self.files: list[str] = []
        self.rows = 0
        self._in_chunk = 0
        self._f = None

    def write_lines(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            if self._f is None:
                os.makedirs(self.dir, exist_ok=True)
                name = os.path.join(self.dir, f"part-{self.worker:03d}-{len(self.files):05d}.ndjson")
                self._f = open(name, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
                self.files.append(name)
                self._in_chunk = 0
            take = min(len(lines) - i, self.chunk_rows - self._in_chunk)
            self._f.write("\n".join(lines[i : i + take]))
            self._f.write("\n")
            i += take
            self._in_chunk += take
            self.rows += take
            if self._in_chunk >= self.chunk_rows:
                self.close()

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
