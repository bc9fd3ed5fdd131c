"""Independent random streams, each derived from (seed, chunk, stream name), so a chunk's data
depends on nothing but its own inputs and adding a stream never shifts another one."""

from __future__ import annotations

import zlib

import numpy as np

GLOBAL = -1  # the chunk number of things generated once (users, campaigns, name pools)


def stream(seed: int, chunk: int, name: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, chunk + 1, zlib.crc32(name.encode())]))
