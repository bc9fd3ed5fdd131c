"""The raw tables as declared in the dbt sources YAML: the one definition the generator, the loader
and the tests read, so the data we produce and the data dbt expects cannot drift apart. A source
loaded on demand (the toolkit portfolio `csi toolkit` loads) is no raw table a sync lands."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from csi.paths import PROJECT_DIR

STAGING_DIR = PROJECT_DIR / "models" / "staging"


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[Column, ...]
    # An export a warehouse may not have (meta optional): staging reads it as empty without it.
    optional: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.source}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def custom_fields(self) -> list[str]:
        """Salesforce custom fields (`__c`, landed as `_c`): an org may not have them, and staging
        reads a missing one as NULL."""
        return [name for name in self.column_names if name.endswith("_c")]


@cache
def raw_tables() -> tuple[RawTable, ...]:
    """Every raw table of every synced source, in the order the YAML declares them."""
    tables = []
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if source.get("config", {}).get("meta", {}).get("loaded_on_demand"):
                continue
            for table in source["tables"]:
                columns = tuple(Column(c["name"], c["data_type"]) for c in table["columns"])
                optional = bool(table.get("config", {}).get("meta", {}).get("optional"))
                tables.append(RawTable(source["name"], table["name"], columns, optional))
    return tuple(tables)


def raw_table(qualified_name: str) -> RawTable:
    for table in raw_tables():
        if table.qualified_name == qualified_name:
            return table
    raise KeyError(f"no raw table {qualified_name!r}; known: {', '.join(t.qualified_name for t in raw_tables())}")
