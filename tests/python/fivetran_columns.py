"""The column sets Fivetran's connectors land for the Salesforce and HubSpot tables we read, as
Fivetran's own dbt source packages (fivetran/dbt_salesforce_source, fivetran/dbt_hubspot_source)
declare them, with their types. Salesforce's Contract object is not in that package: its columns are
the standard object's fields as Fivetran names them. None of our custom fields (`*_c`) is there, and
HubSpot's engagement keeps its company and meeting title in other tables, so a warehouse landed with
these columns is one the project did not shape."""

from __future__ import annotations

TIMESTAMP, TEXT, BOOLEAN, INTEGER, BIGINT, DOUBLE = "timestamp", "varchar", "boolean", "integer", "bigint", "double"


def _columns(spec: str) -> dict[str, str]:
    """'name type, name type, ...' as {name: type}."""
    return dict(item.split() for item in spec.split(","))


FIVETRAN_COLUMNS: dict[str, dict[str, str]] = {
    "salesforce.account": _columns(
        "_fivetran_synced timestamp, _fivetran_active boolean, account_number varchar, account_source varchar,"
        "annual_revenue double, billing_city varchar, billing_country varchar, billing_postal_code varchar,"
        "billing_state varchar, billing_state_code varchar, billing_street varchar, description varchar, id varchar,"
        "industry varchar, is_deleted boolean, last_activity_date timestamp, last_referenced_date timestamp,"
        "last_viewed_date timestamp, master_record_id varchar, name varchar, number_of_employees integer,"
        "owner_id varchar, ownership varchar, parent_id varchar, rating varchar, record_type_id varchar,"
        "shipping_city varchar, shipping_country varchar, shipping_country_code varchar, shipping_postal_code varchar,"
        "shipping_state varchar, shipping_state_code varchar, shipping_street varchar, type varchar, website varchar"),
    "salesforce.contract": _columns(
        "_fivetran_synced timestamp, _fivetran_active boolean, id varchar, account_id varchar, contract_number varchar,"
        "status varchar, status_code varchar, start_date timestamp, end_date timestamp, contract_term integer,"
        "owner_id varchar, activated_date timestamp, created_date timestamp, last_modified_date timestamp,"
        "description varchar, is_deleted boolean"),
    "salesforce.opportunity": _columns(
        "_fivetran_synced timestamp, _fivetran_active boolean, account_id varchar, amount double, campaign_id varchar,"
        "close_date timestamp, created_date timestamp, description varchar, expected_revenue double, fiscal varchar,"
        "fiscal_quarter integer, fiscal_year integer, forecast_category varchar, forecast_category_name varchar,"
        "has_open_activity boolean, has_opportunity_line_item boolean, has_overdue_task boolean, id varchar,"
        "is_closed boolean, is_deleted boolean, is_won boolean, last_activity_date timestamp,"
        "last_referenced_date timestamp, last_viewed_date timestamp, lead_source varchar, name varchar,"
        "next_step varchar, owner_id varchar, probability double, record_type_id varchar, stage_name varchar,"
        "synced_quote_id varchar, type varchar"),
    "salesforce.task": _columns(
        "_fivetran_synced timestamp, _fivetran_active boolean, account_id varchar, activity_date timestamp,"
        "call_disposition varchar, call_duration_in_seconds integer, call_object varchar, call_type varchar,"
        "completed_date_time timestamp, created_by_id varchar, created_date timestamp, description varchar, id varchar,"
        "is_archived boolean, is_closed boolean, is_deleted boolean, is_high_priority boolean,"
        "last_modified_by_id varchar, last_modified_date timestamp, owner_id varchar, priority varchar,"
        "record_type_id varchar, status varchar, subject varchar, task_subtype varchar, type varchar,"
        "what_count integer, what_id varchar, who_count integer, who_id varchar"),
    "salesforce.event": _columns(
        "_fivetran_synced timestamp, _fivetran_active boolean, account_id varchar, activity_date timestamp,"
        "activity_date_time timestamp, created_by_id varchar, created_date timestamp, description varchar,"
        "end_date timestamp, end_date_time timestamp, event_subtype varchar, group_event_type varchar, id varchar,"
        "is_archived boolean, is_child boolean, is_deleted boolean, is_group_event boolean, is_recurrence boolean,"
        "last_modified_by_id varchar, last_modified_date timestamp, location varchar, owner_id varchar,"
        "start_date_time timestamp, subject varchar, type varchar, what_count integer, what_id varchar,"
        "who_count integer, who_id varchar"),
    "salesforce.user": _columns(
        "_fivetran_deleted boolean, _fivetran_active boolean, _fivetran_synced timestamp, account_id varchar,"
        "alias varchar, city varchar, company_name varchar, contact_id varchar, country varchar, country_code varchar,"
        "department varchar, email varchar, first_name varchar, id varchar, individual_id varchar, is_active boolean,"
        "last_login_date timestamp, last_name varchar, last_referenced_date timestamp, last_viewed_date timestamp,"
        "manager_id varchar, name varchar, postal_code varchar, profile_id varchar, state varchar, state_code varchar,"
        "street varchar, title varchar, user_role_id varchar, user_type varchar, username varchar"),
    "hubspot.company": _columns(
        "_fivetran_synced timestamp, id bigint, is_deleted boolean, property_name varchar, property_description varchar,"
        "property_createdate timestamp, property_industry varchar, property_address varchar,"
        "property_address_2 varchar, property_city varchar, property_state varchar, property_country varchar,"
        "property_annualrevenue bigint"),
    "hubspot.contact": _columns(
        "_fivetran_deleted boolean, _fivetran_synced timestamp, id bigint, property_hs_calculated_merged_vids varchar,"
        "property_email varchar, property_company varchar, property_firstname varchar, property_lastname varchar,"
        "property_createdate timestamp, property_jobtitle varchar, property_annualrevenue bigint"),
    "hubspot.email_campaign": _columns(
        "_fivetran_synced timestamp, app_id bigint, app_name varchar, content_id bigint, id bigint, name varchar,"
        "num_included bigint, num_queued bigint, sub_type varchar, subject varchar, type varchar"),
    "hubspot.email_event": _columns(
        "_fivetran_synced timestamp, app_id bigint, caused_by_created timestamp, caused_by_id varchar, created timestamp,"
        "email_campaign_id bigint, filtered_event boolean, id varchar, obsoleted_by_created timestamp,"
        "obsoleted_by_id varchar, portal_id bigint, recipient varchar, sent_by_created timestamp, sent_by_id varchar,"
        "type varchar"),
    "hubspot.engagement": _columns(
        "_fivetran_synced timestamp, active boolean, created_at timestamp, id bigint, owner_id bigint, portal_id bigint,"
        "timestamp timestamp, type varchar"),
}
