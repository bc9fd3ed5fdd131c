-- Values that may identify a person, masked before a mart shows them.

-- Text with every e-mail address and phone number in it replaced by [e-mail] and [phone]: free
-- text that may mention a contact (an activity's subject, a ticket's title) before it is published.
-- The patterns avoid backslashes, which Spark's string literals would read as escapes.
{% macro scrub_contact_details(text) -%}
    {%- set email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}" -%}
    {%- set phone = "([+][0-9]{1,3}[ .-]?)?([(][0-9]{2,4}[)]|[0-9]{2,4})[ .-]?[0-9]{3,4}[ .-][0-9]{3,4}" -%}
    {{ regexp_replace_all(regexp_replace_all(text, "'" ~ email ~ "'", "'[e-mail]'"), "'" ~ phone ~ "'", "'[phone]'") }}
{%- endmacro %}

-- A value that identifies a person, published as the MD5 of its trimmed lower-case text: the same
-- value always gives the same pseudonym (a data steward matches it with the staged value's hash),
-- and the value itself never leaves the warehouse.
{% macro pseudonym(value) -%}
    {{ dbt.hash(clean_text('cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')')) }}
{%- endmacro %}
