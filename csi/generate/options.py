"""What `csi generate` is asked for, checked once so every module can trust it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from csi.errors import UserError

MAX_ACCOUNTS = 1_500_000  # the company-name pools give distinct domains for these plus prospects
MAX_DIRTY_RATE = 0.5
MIN_YEARS, MAX_YEARS = 2, 10


@dataclass(frozen=True)
class Options:
    out: Path = Path("data/generated")
    accounts: int = 1000
    seed: int = 42
    today: date = field(default_factory=date.today)
    years: int = 2
    dirty_rate: float = 0.0

    def __post_init__(self) -> None:
        if not 1 <= self.accounts <= MAX_ACCOUNTS:
            raise UserError(f"--accounts must be between 1 and {MAX_ACCOUNTS:,}, got {self.accounts}")
        if self.seed < 0:
            raise UserError(f"--seed must be zero or positive, got {self.seed}")
        if not MIN_YEARS <= self.years <= MAX_YEARS:
            raise UserError(f"--years must be between {MIN_YEARS} and {MAX_YEARS}, got {self.years}")
        if not 0.0 <= self.dirty_rate <= MAX_DIRTY_RATE:
            raise UserError(f"--dirty must be a share between 0 and {MAX_DIRTY_RATE}, got {self.dirty_rate}")
        if not date(2000, 1, 1) <= self.today <= date(2200, 1, 1):
            raise UserError(f"--today must be between 2000-01-01 and 2200-01-01, got {self.today}")
        if self.out.exists() and not self.out.is_dir():
            raise UserError(f"--out {self.out} is a file; give a directory (it is created if missing)")
