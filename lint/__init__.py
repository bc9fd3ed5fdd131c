"""Stand-ins for dbt and our macros when sqlfluff's jinja templater renders a model.

The first lint of `make lint` checks the SQL as written in the model files, layout included: each
stand-in renders a small expression or CTE of the same shape as the real macro, so the text around
it parses. What the macros really expand to is linted second, in the SQL dbt compiles
(lint/compiled.sqlfluff).
"""

import json
from pathlib import Path
from types import SimpleNamespace

import yaml

_PROJECT_VARS = yaml.safe_load((Path(__file__).parents[1] / "dbt_project.yml").read_text())["vars"]


def _call(name):
    return lambda *args, **kwargs: f"{name}({', '.join(str(a) for a in args)})"


def var(name, default=None):
    value = _PROJECT_VARS.get(name)
    if value is None:
        return "null" if default is None else default
    return value


def _datediff(first, second, part):
    return f"date_diff('{part}', {first}, {second})"


def _dateadd(part, interval, expression):
    return f"date_add({expression}, {interval})"


dbt = SimpleNamespace(
    datediff=_datediff,
    dateadd=_dateadd,
    date_trunc=lambda part, expression: f"date_trunc('{part}', {expression})",
    concat=lambda fields: f"concat({', '.join(fields)})",
    split_part=lambda string, delimiter, part: f"split_part({string}, {delimiter}, {part})",
    type_string=lambda: "varchar",
    type_int=lambda: "integer",
    type_bigint=lambda: "bigint",
    type_float=lambda: "float",
    type_numeric=lambda: "numeric",
    type_boolean=lambda: "boolean",
    type_timestamp=lambda: "timestamp",
    safe_cast=lambda expression, data_type: f"cast({expression} as {data_type})",
    any_value=_call("any_value"),
    bool_or=_call("bool_or"),
    listagg=lambda measure, delimiter="','", order_by=None, limit=None: f"string_agg({measure}, {delimiter})",
    last_day=lambda date, part: f"last_day({date})",
    hash=_call("md5"),
    date_spine=lambda part, start, end: f"select {start} as date_{part}",
    generate_series=lambda upper_bound: "select 1 as generated_number",
)


def as_of_date():
    return "cast('2026-06-30' as date)"


def type_double():
    return "double precision"


def type_varchar():
    return "varchar"


def safe_cast(expression, data_type):
    return f"try_cast({expression} as {data_type})"


def safe_divide(numerator, denominator):
    return f"cast({numerator} as double precision) / nullif({denominator}, 0)"


def source_columns(source_name, table_name):
    return "*"


def typed_columns(name, *args, **kwargs):
    return f"null as {name}"


def triage(checked_cte, key_columns):
    return f"triaged as (\n    select * from {checked_cte}\n)"


def component_metric_scores(measured_cte, component, *args, **kwargs):
    return f"component_scores as (\n    select * from {measured_cte}\n)"


def snapshot_valid_on(date, relation):
    return f"{date} between {relation}.dbt_valid_from and coalesce({relation}.dbt_valid_to, {date})"


def is_unparseable(column, data_type):
    return f"{column} is null"


def is_after_sync(column):
    return f"{column} > _fivetran_synced"


def is_orphaned(*args, **kwargs):
    return "false"


def is_unknown_value(*args, **kwargs):
    return "false"


def round_double(value, places):
    return f"round({value}, {places})"


def is_at_risk_band(band):
    return f"({band} in ('At Risk', 'Critical'))"


def not_materialized():
    return "not materialized"


def landed_source(source_name, table_name):
    return f"{source_name}_{table_name}"


def landed_row(source_name, table_name, columns):
    return f"struct_pack({', '.join(columns)})"


def published_raw_row(raw_row, fields):
    return f"to_json({raw_row})"


def personal_fields(source_name, table_name):
    return {}


def alerting_table(name):
    return f"alerting.{name}"


clean_text = _call("clean_text")
median = _call("median")
percentile = _call("percentile")
risk_mid_rank = _call("risk_mid_rank")
rank_sum_auc = _call("rank_sum_auc")
wilson_bound = _call("wilson_bound")
auc_bound = _call("auc_bound")
correlation_bound = _call("correlation_bound")
average_precision_bound = _call("average_precision_bound")
mean_bound = _call("mean_bound")
quarter_label = _call("quarter_label")
scrub_contact_details = _call("scrub_contact_details")
record_key = _call("record_key")
web_domain = _call("web_domain")
json_entries = _call("json_entries")
json_members = _call("json_members")
json_number = _call("json_number")
json_string = _call("json_string")
json_truthy = _call("json_truthy")
json_unpack_object = _call("json_unpack_object")
json_value_type = _call("json_value_type")
python_clamp = _call("python_clamp")
python_float_sum = _call("python_float_sum")
python_format_percent = _call("python_format_percent")
python_format_thousands = _call("python_format_thousands")
python_format_two_decimals = _call("python_format_two_decimals")
python_round = _call("python_round")


def toolkit_customer_fields():
    return {
        "top_fields": {"customer_id": "echo", "name": "echo", "segment": "string", "arr": "number"},
        "containers": {"usage": {"login_frequency": "number"}, "product_usage": {}},
    }


def _select_from(relation, *args, **kwargs):
    return f"select * from {relation}"


def toolkit_record_columns(values):
    columns = [f"{value[1]} as {name}" for name, value in values.items()]
    return ",\n        ".join(columns or ["null as customer_id"])


def toolkit_warehouse_health_fields(accounts="accounts", signals="signals"):
    return {"customer_id": ["VARCHAR", f"{accounts}.account_id"], "usage__login_frequency": ["DOUBLE", f"{signals}.login_frequency"]}


def tojson(value, *args, **kwargs):
    return json.dumps(value)


def is_weekday(day):
    return f"extract(dow from {day}) not in (0, 6)"


toolkit_health_scores = _select_from
toolkit_churn_scores = _select_from
toolkit_churn_warnings = _select_from
toolkit_expansion_opportunities = _select_from
toolkit_expansion_summary = _select_from


def health_component_enabled(component):
    return True


def row_text(relation):
    return "cast(1 as varchar)"


def sorted_text_agg(expression, delimiter):
    return f"string_agg({expression}, {delimiter})"


def enabled_health_components():
    return list(var("health_components"))


def enabled_sources():
    return sorted(set(var("health_components").values()) | {"hubspot", "support"})


def staged_sources():
    return [
        {"source": "salesforce", "table": "account", "base_model": "base_salesforce__accounts", "key": ["account_id"]},
        {"source": "product", "table": "usage_daily", "base_model": "base_product__usage_daily",
         "key": ["account_id", "usage_date"]},
    ]


def candidate_weighted_sum(weights, column):
    return f" + coalesce({column}, 0)"


def freshness_thresholds():
    return [{"source": "salesforce", "table": "account", "field": "_fivetran_synced", "hours": 24}]


def validation_scopes(relation, columns):
    return f"select cohort_quarter, cohort_quarter_start, segment, {', '.join(columns)} from {relation}"


def at_risk_lines(bands):
    return f"select segment, min(min_score) as at_risk_below_score from {bands} group by segment"


def column_as(expression, name):
    return expression if expression == name else f"{expression} as {name}"
