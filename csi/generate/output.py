"""Where a generation lands: one Parquet file per table (a row group per chunk), written under a
temporary folder and moved into place only when the whole generation succeeded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from csi.generate.dirty import MANIFEST_SCHEMA
from csi.generate.history import HISTORY_DIR, STATE_TABLES
from csi.generate.schema import arrow_schema, history_schema, table_names

MANIFEST_PATH = "_manifest/dirty.parquet"
TRUTH_DIR = "_truth"
SUMMARY_FILE = "generation.json"
PARTIAL_DIR = ".partial-generation"


def table_path(qualified_name: str) -> str:
    source, name = qualified_name.split(".")
    return f"{source}/{name}.parquet"


class Output:
    """Open writers for every file of a generation; `commit` moves them into the output folder."""

    def __init__(self, out: Path, truth_schemas: dict[str, pa.Schema]) -> None:
        self.out = out
        self.partial = out / PARTIAL_DIR
        shutil.rmtree(self.partial, ignore_errors=True)
        schemas = {table_path(name): arrow_schema(name) for name in table_names()}
        schemas |= {f"{HISTORY_DIR}/{name}.parquet": history_schema(name) for name in STATE_TABLES}
        schemas |= {f"{TRUTH_DIR}/{name}.parquet": schema for name, schema in truth_schemas.items()}
        schemas[MANIFEST_PATH] = MANIFEST_SCHEMA
        self.rows = dict.fromkeys(schemas, 0)
        self.writers = {}
        for relative, schema in schemas.items():
            path = self.partial / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[relative] = pq.ParquetWriter(path, schema, compression="zstd", compression_level=1)

    def write(self, relative: str, table: pa.Table) -> None:
        if table.num_rows:
            self.writers[relative].write_table(table, row_group_size=1 << 21)
            self.rows[relative] += table.num_rows

    def table_rows(self) -> dict[str, int]:
        return {name: self.rows[table_path(name)] for name in table_names()}

    def commit(self, summary: dict) -> None:
        """Close every file and replace the previous generation's files (only ours) with them."""
        for writer in self.writers.values():
            writer.close()
        (self.partial / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
        for stale in (HISTORY_DIR, TRUTH_DIR, Path(MANIFEST_PATH).parent):
            shutil.rmtree(self.out / stale, ignore_errors=True)
        for path in sorted(p for p in self.partial.rglob("*") if p.is_file()):
            target = self.out / path.relative_to(self.partial)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
        shutil.rmtree(self.partial)

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.close()
        shutil.rmtree(self.partial, ignore_errors=True)
