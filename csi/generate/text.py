"""Vectorised text: ids, ISO-8601 dates and string assembly done in numpy/Arrow, never per row in
Python, so a million accounts cost seconds."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.calendar import US_PER_DAY

BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
SF_CHECKSUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)
_MILLIS = np.array(
    [[ord("0") + i // 100, ord("0") + i // 10 % 10, ord("0") + i % 10] for i in range(1000)], dtype=np.uint8
)
SF_POD = b"Hn"  # the instance part of every id of this org
SF_SERIAL_WIDTH = 10  # 62**10 > 8e17 serials per object type

# Serial ranges (see ids of each object): real rows stay below DIRTY_SERIAL; injected rows with
# fresh keys and keys of parents that never existed come from their own ranges above it.
DIRTY_SERIAL = 7 * 62**9
ORPHAN_SERIAL = 8 * 62**9


def fixed_width(chars: np.ndarray) -> pa.StringArray:
    """An (n, width) uint8 array of ASCII characters as an Arrow string array, without copies."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(chars, dtype=np.uint8)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _digits(values: np.ndarray, base: int, width: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.int64).copy()
    out = np.empty((values.size, width), dtype=np.int64)
    for position in range(width - 1, -1, -1):
        out[:, position] = values % base
        values //= base
    return out


def salesforce_ids(prefix: str, serials: np.ndarray) -> pa.StringArray:
    """18-character Salesforce ids: key prefix (001 account, 800 contract, ...), pod, a base-62
    serial, and the real case-safety suffix, so ids look and check like the CRM's own."""
    serials = np.asarray(serials, dtype=np.int64)
    head = np.frombuffer(prefix.encode() + SF_POD, dtype=np.uint8)
    core = np.empty((serials.size, 18), dtype=np.uint8)
    core[:, : head.size] = head
    core[:, head.size : 15] = BASE62[_digits(serials, 62, SF_SERIAL_WIDTH)]
    upper = (core[:, :15] >= ord("A")) & (core[:, :15] <= ord("Z"))
    weights = 1 << np.arange(5)
    for block in range(3):
        core[:, 15 + block] = SF_CHECKSUM[upper[:, block * 5 : block * 5 + 5] @ weights]
    return fixed_width(core)


def hex_ids(serials: np.ndarray, width: int = 16) -> pa.StringArray:
    """Lower-case hex of each serial, zero-padded to `width` (at most 16) characters."""
    raw = np.asarray(serials, dtype=">u8").view(np.uint8).reshape(-1, 8)
    nibbles = np.empty((raw.shape[0], 16), dtype=np.uint8)
    nibbles[:, 0::2], nibbles[:, 1::2] = raw >> 4, raw & 15
    return fixed_width(HEX[nibbles[:, 16 - width :]])


def masked(values: np.ndarray, mask: np.ndarray | None, arrow_type: pa.DataType) -> pa.Array:
    """An Arrow array with nulls where mask is True."""
    return pa.array(values, type=arrow_type, mask=mask)


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return masked(np.asarray(days, dtype=np.int32), mask, pa.date32())


def timestamps(us: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return masked(np.asarray(us, dtype=np.int64), mask, pa.timestamp("us"))


def iso_dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Business dates as landed text: 'YYYY-MM-DD'."""
    return dates(days, mask).cast(pa.string())


def iso_datetimes(us: np.ndarray, mask: np.ndarray | None = None, millis: bool = False) -> pa.Array:
    """Timestamps as landed text: 'YYYY-MM-DDTHH:MM:SSZ' (HubSpot adds milliseconds), assembled
    from lookup tables of the few thousand distinct days and of the seconds of a day: Arrow's
    strftime costs seconds per million rows."""
    us = np.asarray(us, dtype=np.int64)
    day, in_day = np.divmod(us, US_PER_DAY)
    first = int(day.min()) if day.size else 0
    span = int(day.max()) - first + 1 if day.size else 1
    days = np.frombuffer(
        "".join(np.datetime_as_string(np.arange(first, first + span).astype("datetime64[D]"))).encode(),
        dtype=np.uint8,
    ).reshape(span, 10)
    chars = np.empty((us.size, 24 if millis else 20), dtype=np.uint8)
    chars[:, :10] = days[day - first]
    chars[:, 10] = ord("T")
    chars[:, 11:19] = _seconds_of_day()[in_day // 1_000_000]
    if millis:
        chars[:, 19] = ord(".")
        chars[:, 20:23] = _MILLIS[in_day // 1000 % 1000]
    chars[:, -1] = ord("Z")
    text = fixed_width(chars)
    return (
        text if mask is None else pc.if_else(pa.array(~np.asarray(mask)), text, pa.scalar(None, pa.string()))
    )


@cache
def _seconds_of_day() -> np.ndarray:
    """'HH:MM:SS' of every second of a day, as an (86400, 8) character table."""
    second = np.arange(86_400)
    digits = np.stack(
        [
            second // 36_000,
            second // 3600 % 10,
            second // 600 % 6,
            second // 60 % 10,
            second // 10 % 6,
            second % 10,
        ],
        axis=1,
    )
    table = np.full((86_400, 8), ord(":"), dtype=np.uint8)
    table[:, [0, 1, 3, 4, 6, 7]] = ord("0") + digits
    return table


def day_time_us(
    days: np.ndarray, rng: np.random.Generator, start_hour: float = 8, end_hour: float = 18
) -> np.ndarray:
    """A time of day within working hours on each day, to the second."""
    days = np.asarray(days, dtype=np.int64)
    seconds = rng.integers(int(start_hour * 3600), int(end_hour * 3600), size=days.shape)
    return days * US_PER_DAY + seconds * 1_000_000


def pick(pool: pa.Array, index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """pool[index] as an Arrow array (null where mask is True)."""
    return pc.take(pool, pa.array(np.asarray(index, dtype=np.int64), mask=mask))


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def choice_index(rng: np.random.Generator, weights: np.ndarray, size: int | tuple) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights; rows of a 2-D weight matrix draw per row."""
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim == 1:
        return rng.choice(weights.size, size=size, p=weights / weights.sum())
    cumulative = np.cumsum(weights, axis=1)
    draws = rng.random(weights.shape[0]) * cumulative[:, -1]
    return np.minimum((cumulative < draws[:, None]).sum(axis=1), weights.shape[1] - 1)
