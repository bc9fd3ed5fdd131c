-- Python's number semantics for the customer-success toolkit (models/*/toolkit*): the toolkit's
-- scripts round with round(x, n) (half to even on the exact binary value) and print floats with
-- repr() and format specs. These macros reproduce them in portable double arithmetic, so the
-- warehouse gives byte-identical numbers. Valid for |x * 10^n| < 2^52 (the loader bounds inputs).

{#- The integer nearest to x * scale (scale 1, 10 or 100), ties to even, decided on the exact
    product: p = fl(x * scale) is on the same side of a representable midpoint as the exact product,
    and when p lands exactly on the midpoint, Dekker's error term (x split in two 26-bit halves)
    says which side the exact product is on. Returns a double holding an integer. -#}
{% macro python_round_to_integer(x, scale=1) -%}
    {%- set p = '(' ~ x ~ ') * ' ~ scale ~ '.0' -%}
    {%- set split = '(134217729.0 * (' ~ x ~ '))' -%}
    {%- set x_high = '(' ~ split ~ ' - (' ~ split ~ ' - (' ~ x ~ ')))' -%}
    {%- set x_low = '((' ~ x ~ ') - ' ~ x_high ~ ')' -%}
    {%- set error = '((' ~ x_high ~ ' * ' ~ scale ~ '.0 - ' ~ p ~ ') + ' ~ x_low ~ ' * ' ~ scale ~ '.0)' -%}
    (case
        when {{ p }} - floor({{ p }}) > 0.5 then floor({{ p }}) + 1
        when {{ p }} - floor({{ p }}) < 0.5 then floor({{ p }})
        when {{ error }} > 0 then floor({{ p }}) + 1
        when {{ error }} < 0 then floor({{ p }})
        when floor({{ p }}) - 2 * floor(floor({{ p }}) / 2) = 0 then floor({{ p }})
        else floor({{ p }}) + 1
    end)
{%- endmacro %}

{#- Python's round(x, ndigits) for a float x: the double nearest to x rounded half-even to
    ndigits decimals; a zero result keeps the sign of x, as in Python. -#}
{% macro python_round(x, ndigits) -%}
    {%- set scale = 10 ** ndigits -%}
    (case
        when {{ python_round_to_integer(x, scale) }} = 0 then ({{ x }}) * 0.0
        else {{ python_round_to_integer(x, scale) }} / {{ scale }}.0
    end)
{%- endmacro %}

{#- Python's max(lo, min(hi, value)) for floats (the scripts' clamp): ties keep the first argument. -#}
{% macro python_clamp(x, lo=0.0, hi=100.0) -%}
    (case
        when (case when {{ x }} < {{ hi }} then {{ x }} else {{ hi }} end) > {{ lo }}
            then (case when {{ x }} < {{ hi }} then {{ x }} else {{ hi }} end)
        else {{ lo }}
    end)
{%- endmacro %}

{#- True when a double is negative, -0.0 included (its sign shows in Python's formatting). -#}
{% macro python_is_negative(x) -%}
    {{ return(adapter.dispatch('python_is_negative')(x)) }}
{%- endmacro %}

{% macro default__python_is_negative(x) -%}
    signbit({{ x }})
{%- endmacro %}

{% macro postgres__python_is_negative(x) -%}
    ({{ x }} < 0 or ({{ x }} = 0 and cast({{ x }} as text) like '-%'))
{%- endmacro %}

{#- repr() of a Python float. DuckDB casts doubles to exactly this text. -#}
{% macro python_float_repr(x) -%}
    {{ return(adapter.dispatch('python_float_repr')(x)) }}
{%- endmacro %}

{% macro default__python_float_repr(x) -%}
    cast({{ x }} as varchar)
{%- endmacro %}

{% macro postgres__python_float_repr(x) -%}
    (case
        when {{ x }} = floor({{ x }}) and abs({{ x }}) < 1e16 then cast(cast({{ x }} as numeric) as text) || '.0'
        else cast({{ x }} as text)
    end)
{%- endmacro %}

{#- The digits of a double holding an integer, with a comma every three digits (Python's ',d'). -#}
{% macro integer_with_thousands(k) -%}
    {{ return(adapter.dispatch('integer_with_thousands')(k)) }}
{%- endmacro %}

{% macro default__integer_with_thousands(k) -%}
    format('{:,}', cast({{ k }} as bigint))
{%- endmacro %}

{% macro postgres__integer_with_thousands(k) -%}
    trim(to_char(cast({{ k }} as bigint), 'FM999,999,999,999,999,999,990'))
{%- endmacro %}

{#- format(x, ',.0f') of a Python float: rounded half-even, thousands separated, '-0' kept. -#}
{% macro python_format_thousands(x) -%}
    (case
        when {{ python_round_to_integer(x, 1) }} = 0 and {{ python_is_negative(x) }} then '-0'
        else {{ integer_with_thousands(python_round_to_integer(x, 1)) }}
    end)
{%- endmacro %}

{#- format(x, '.0%') of a Python float: Python multiplies by 100 in floating point first, then
    rounds that double half-even. -#}
{% macro python_format_percent(x) -%}
    {%- set hundredfold = '((' ~ x ~ ') * 100.0)' -%}
    (case
        when {{ python_round_to_integer(hundredfold, 1) }} = 0 and {{ python_is_negative(x) }} then '-0%'
        else cast(cast({{ python_round_to_integer(hundredfold, 1) }} as bigint) as {{ dbt.type_string() }}) || '%'
    end)
{%- endmacro %}

{#- format(x, '.2f') of a non-negative Python float. -#}
{% macro python_format_two_decimals(x) -%}
    (cast(cast(floor({{ python_round_to_integer(x, 100) }} / 100) as bigint) as {{ dbt.type_string() }})
        || '.'
        || lpad(cast(cast({{ python_round_to_integer(x, 100) }} - 100 * floor({{ python_round_to_integer(x, 100) }} / 100) as bigint) as {{ dbt.type_string() }}), 2, '0'))
{%- endmacro %}

{#- Python's sum() of floats: one addition at a time in the given order, starting from int 0
    (so a lone -0.0 sums to 0.0). -#}
{% macro python_float_sum(x, order_by) -%}
    (coalesce(sum({{ x }} order by {{ order_by }}), 0.0) + 0.0)
{%- endmacro %}
