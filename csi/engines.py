"""The project on other engines: a throwaway local PostgreSQL server, landing raw tables in it, and
reading a table from any engine for comparison with the DuckDB build.

Used by the cross-engine tests (PostgreSQL in `make test`, Spark in `make test-spark`). The loader
(csi/load.py) lands Parquet in DuckDB; here the same Arrow tables go to PostgreSQL through COPY.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from csi.sources import raw_tables


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str

    def env(self) -> dict[str, str]:
        """The CSI_PG_* variables profiles.yml's postgres target reads."""
        return {"CSI_PG_HOST": self.host, "CSI_PG_PORT": str(self.port), "CSI_PG_USER": self.user,
                "CSI_PG_PASSWORD": "", "CSI_PG_DATABASE": self.database}

    def connect(self):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname=self.database)


def _apt_install(package: str, missing: str) -> None:
    """Install a Debian package for a test engine, or say what to install by hand."""
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"{missing} and apt-get is unavailable: install {package} (or its equivalent)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", package]
    if subprocess.run(install, capture_output=True, env=env).returncode != 0:  # stale or empty package lists
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True, env=env)
        subprocess.run(install, check=True, capture_output=True, env=env)


def _postgres_bin() -> Path:
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if installed:
        return installed[0].parent
    _apt_install("postgresql", "PostgreSQL is not installed")
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr or done.stdout}")


@contextmanager
def postgres_server(database: str = "csi") -> Iterator[PostgresServer]:
    """Start a PostgreSQL server on 127.0.0.1 and a free port with a temp data dir (installing
    PostgreSQL with apt-get if missing), create `database`, and stop the server and remove its
    files on exit. initdb refuses to run as root, so as root the server runs as `postgres`."""
    bin_dir = _postgres_bin()
    work_dir = Path(tempfile.mkdtemp(prefix="csi-postgres-"))
    data_dir = work_dir / "pgdata"
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    user = "postgres" if as_user else os.environ.get("USER", "postgres")
    if as_user:
        shutil.chown(work_dir, "postgres")
    port = _free_port()
    try:
        _run([*as_user, str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", user, "-E", "UTF8",
              "--locale=C"])
        options = f"-p {port} -k {work_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        _run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-o", options,
              "-l", str(work_dir / "server.log"), "-w", "start"])
        server = PostgresServer("127.0.0.1", port, user, "postgres")
        connection = server.connect()
        connection.autocommit = True  # create database cannot run in a transaction
        with connection.cursor() as cursor:
            cursor.execute(f"create database {database}")
        connection.close()
        yield PostgresServer("127.0.0.1", port, user, database)
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(work_dir, ignore_errors=True)


def _postgres_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_int8(arrow_type) or pa.types.is_int16(arrow_type) or pa.types.is_int32(arrow_type):
        return "integer"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return "numeric"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    raise TypeError(f"no PostgreSQL type for Arrow {arrow_type}")


def land_postgres(server: PostgresServer, tables: Mapping[str, pa.Table]) -> None:
    """Replace raw tables ("<schema>.<table>" -> Arrow table) in PostgreSQL, in one transaction.
    polars writes the CSV that COPY reads: NULL as an empty field, an empty string as ""."""
    with server.connect() as connection, connection.cursor() as cursor:
        for qualified_name, table in tables.items():
            schema = qualified_name.split(".")[0]
            columns = ", ".join(f'"{f.name}" {_postgres_type(f.type)}' for f in table.schema)
            cursor.execute(f"create schema if not exists {schema}")
            # Views built on a raw table keep it: replace its rows, as a sync overwriting it does.
            cursor.execute(f"create table if not exists {qualified_name} ({columns})")
            cursor.execute(f"truncate table {qualified_name}")
            csv = pl.from_arrow(table).write_csv(null_value="", quote_style="non_numeric")
            cursor.copy_expert(f"copy {qualified_name} from stdin with (format csv, header true)", io.StringIO(csv))


@contextmanager
def local_spark(root: Path) -> Iterator[Any]:
    """A local Spark session (2 cores, Hive catalog) with its catalog (Derby metastore) and
    warehouse under root, stopped on exit; dbt-spark's `method: session` runs in it (same process).
    pyspark needs Java 17 or later: Debian's headless JRE is installed with apt-get if none is found."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _apt_install("default-jre-headless", "Spark needs Java 17 or later, and none is installed")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("csi")
        .config("spark.sql.warehouse.dir", str(root / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        # Spark 4.3's adaptive execution fails some tasks over a union in local mode
        # (ClassCastException deserialising UnionExec.children, e.g. dbt's unit-test fixtures);
        # it only re-plans, so the results are the same without it.
        .config("spark.sql.adaptive.enabled", "false")
        .enableHiveSupport()
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()


def land_spark(spark, tables: Mapping[str, pa.Table]) -> None:
    """Replace raw tables ("<schema>.<table>" -> Arrow table) in Spark's catalog."""
    for qualified_name, table in tables.items():
        spark.sql(f"create database if not exists {qualified_name.split('.')[0]}")
        spark.createDataFrame(table).write.mode("overwrite").saveAsTable(qualified_name)


def differences(columns: list[str], expected: list[tuple], actual: list[tuple], tolerance: float = 1e-6) -> list[str]:
    """Cell by cell differences between two row sets sorted the same way (floats to a tolerance),
    as '<first column value>.<column>: expected ... got ...'."""
    def same(left: object, right: object) -> bool:
        if isinstance(left, float) or isinstance(right, float):
            return left is not None and right is not None and math.isclose(left, right, abs_tol=tolerance)
        return left == right

    found = [f"row count: expected {len(expected)} got {len(actual)}"] if len(expected) != len(actual) else []
    return found + [
        f"{left[0]}.{column}: expected {a!r} got {b!r}"
        for left, right in zip(expected, actual)
        for column, a, b in zip(columns, left, right)
        if not same(a, b)
    ]


def raw_directory_tables(data_dir: Path) -> dict[str, pa.Table]:
    """Every raw table of the sources YAML, read from data_dir/<source>/<table>.parquet."""
    return {table.qualified_name: pq.read_table(data_dir / table.source / f"{table.name}.parquet")
            for table in raw_tables()}
