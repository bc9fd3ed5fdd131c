"""`csi generate`: world-level parts once (calendar, name pools, users, campaigns), then accounts
in chunks, each chunk generated from its own random streams and written as row groups, so memory
stays bounded whatever the number of accounts."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.activities import activity_tables, plan_activities
from csi.generate.calendar import Calendar, day_date
from csi.generate.campaigns import Campaigns, email_event_table, plan_campaigns
from csi.generate.contracts import simulate_lifecycle
from csi.generate.dirty import Injector
from csi.generate.history import HISTORY_DIR, STATE_TABLES, by_expiry
from csi.generate.hubspot import build_hubspot, engagement_table
from csi.generate.latent import simulate_accounts, simulate_health
from csi.generate.ml import prediction_runs
from csi.generate.names import Pools, build_pools
from csi.generate.options import Options
from csi.generate.output import MANIFEST_PATH, TRUTH_DIR, Output, table_path
from csi.generate.product import simulate_usage, usage_table, user_activity_table
from csi.generate.randomness import GLOBAL, stream
from csi.generate.salesforce import account_history, contract_table, opportunity_history, plan_opportunities
from csi.generate.support import ticket_table
from csi.generate.surveys import survey_table
from csi.generate.truth import SCHEMAS as TRUTH_SCHEMAS
from csi.generate.truth import truth_tables
from csi.generate.users import Users, build_users

CHUNK_ACCOUNTS = 10_000
AHEAD = 2  # chunks generated ahead of the writer, each on its own thread


@dataclass(frozen=True)
class World:
    options: Options
    calendar: Calendar
    pools: Pools
    users: Users
    campaigns: Campaigns


@dataclass(frozen=True)
class Chunk:
    landed: dict[str, pa.Table]  # the tables as today's sync lands them (clean)
    history: dict[str, list[pa.Table]]  # versions of the overwritten tables
    truth: dict[str, pa.Table]
    spare_contracts: pa.Table  # contracts without a current score (keys for dirty ml rows)


def build_chunk(world: World, chunk: int, global_index: np.ndarray) -> Chunk:
    seed, calendar, users = world.options.seed, world.calendar, world.users

    def rng(name: str) -> np.random.Generator:
        return stream(seed, chunk, name)

    accounts = simulate_accounts(global_index, calendar, world.pools, users, rng("accounts"))
    health = simulate_health(accounts, calendar, rng("health"))
    life = simulate_lifecycle(accounts, health, calendar, rng("contracts"))
    opportunities = plan_opportunities(accounts, health, life, calendar, rng("opportunities"))
    activities = plan_activities(accounts, health, life, calendar, rng("activities"))
    hubspot = build_hubspot(accounts, life, world.pools, calendar, world.options.accounts, rng("hubspot"))
    history = {
        "salesforce.account": by_expiry(
            account_history(accounts, health, life, users, calendar, rng("account history"))
        ),
        "salesforce.opportunity": by_expiry(
            opportunity_history(accounts, life, opportunities, users, calendar, rng("opportunity history"))
        ),
        "ml.churn_prediction": list(prediction_runs(accounts, health, life, calendar, rng("ml"))),
    }
    landed = {name: _current(versions) for name, versions in history.items()}
    landed["salesforce.contract"] = contract_table(accounts, life, calendar, rng("contract"))
    landed |= activity_tables(accounts, activities, users, calendar, chunk, rng("activity tables"))
    landed |= hubspot.tables
    landed["hubspot.engagement"] = engagement_table(
        accounts, life, activities, hubspot, users, calendar, chunk, rng("engagement")
    )
    landed["hubspot.email_event"] = email_event_table(
        accounts, health, life, hubspot, world.campaigns, calendar, chunk, rng("email")
    )
    usage_rng = rng("usage")
    usage = simulate_usage(accounts, health, life, calendar, usage_rng)
    landed["product.usage_daily"] = usage_table(accounts, usage, calendar, usage_rng)
    landed["product.user_activity_daily"] = user_activity_table(accounts, usage, calendar, rng("user activity"))
    landed["support.ticket"] = ticket_table(accounts, health, life, calendar, chunk, rng("tickets"))
    landed["alchemer.survey_response"] = survey_table(
        accounts, health, life, hubspot.contacts, activities, calendar, chunk, rng("surveys")
    )
    contracts = landed["salesforce.contract"]
    scored = pc.is_in(
        contracts["id"], value_set=landed["ml.churn_prediction"]["contract_id"].combine_chunks()
    )
    spare = (
        contracts.filter(pc.invert(scored))
        .select(["id", "account_id"])
        .rename_columns(["contract_id", "account_id"])
    )
    return Chunk(landed, history, truth_tables(accounts, health, life, calendar), spare)


def _current(versions: list[pa.Table]) -> pa.Table:
    """The versions still current today, without their validity columns."""
    table = pa.concat_tables(versions)
    current = table.filter(pc.is_null(table["valid_to"]))
    return current.drop_columns(["valid_from", "valid_to"])


def generate(
    out_dir: Path = Path("data/generated"),
    accounts: int = 1000,
    seed: int = 42,
    today: date | None = None,
    years: int = 2,
    dirty_rate: float = 0.0,
) -> dict:
    """Generate every source table as the sync lands it on the night of `today` (default: the
    current date), with its history, ground truth and dirty manifest, under out_dir. Returns the
    summary also written to out_dir/generation.json. Bad arguments raise csi.errors.UserError."""
    return _generate(Options(out_dir, accounts, seed, today or date.today(), years, dirty_rate))


def _chunks(world: World) -> Iterator[Chunk]:
    """The chunks in order, the next ones generated on worker threads while the caller writes
    (numpy, Arrow and Parquet release the GIL); at most AHEAD chunks are held at once."""
    starts = range(0, world.options.accounts, CHUNK_ACCOUNTS)
    with ThreadPoolExecutor(max_workers=AHEAD) as pool:
        pending: deque[Future[Chunk]] = deque()
        for chunk, start in enumerate(starts):
            index = np.arange(start, min(start + CHUNK_ACCOUNTS, world.options.accounts), dtype=np.int64)
            pending.append(pool.submit(build_chunk, world, chunk, index))
            if len(pending) == AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _generate(options: Options) -> dict:
    started = time.perf_counter()
    calendar = Calendar.build(options.today, options.years)
    pools = build_pools(options.seed)
    world = World(
        options=options,
        calendar=calendar,
        pools=pools,
        users=build_users(options.accounts, calendar, pools, stream(options.seed, GLOBAL, "users")),
        campaigns=plan_campaigns(calendar, stream(options.seed, GLOBAL, "campaigns")),
    )
    options.out.mkdir(parents=True, exist_ok=True)
    output = Output(options.out, TRUTH_SCHEMAS)
    injector = Injector(options.dirty_rate, calendar)
    dirty_rows: dict[str, int] = {}

    def land(name: str, table: pa.Table, chunk: int, spare: pa.Table | None = None) -> None:
        table, manifest = injector.inject(
            name, table, chunk, stream(options.seed, chunk, f"dirty {name}"), chunk <= 0, spare
        )
        output.write(table_path(name), table)
        output.write(MANIFEST_PATH, manifest)
        dirty_rows[name] = dirty_rows.get(name, 0) + manifest.num_rows

    try:
        land("salesforce.user", world.users.table, GLOBAL)
        land("hubspot.email_campaign", world.campaigns.table, GLOBAL)
        for chunk, result in enumerate(_chunks(world)):
            for name, table in result.landed.items():
                land(name, table, chunk, result.spare_contracts if name == "ml.churn_prediction" else None)
            for name in STATE_TABLES:
                for versions in result.history[name]:
                    output.write(f"{HISTORY_DIR}/{name}.parquet", versions)
            for name, table in result.truth.items():
                output.write(f"{TRUTH_DIR}/{name}.parquet", table)
        summary = {
            "seed": options.seed,
            "accounts": options.accounts,
            "today": options.today.isoformat(),
            "years": options.years,
            "history_start": day_date(calendar.history_start).isoformat(),
            "dirty_rate": options.dirty_rate,
            "rows": output.table_rows(),
            "dirty_rows": dirty_rows,
            "chunk_accounts": CHUNK_ACCOUNTS,
            "elapsed_seconds": round(time.perf_counter() - started, 2),
        }
        output.commit(summary)
    except BaseException:
        output.abort()
        raise
    return summary
