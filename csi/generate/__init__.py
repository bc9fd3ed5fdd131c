"""Synthetic source data for CSI: every raw table of the six sources as a Fivetran sync would land
it, driven by a latent account-health process, with night-by-night state of the overwritten
tables, optional dirty rows with their manifest, and ground truth for tests.

    generate(Path("data/generated"), accounts=1000, seed=42, today=date(2025, 6, 1), dirty_rate=0.01)
    state_on(Path("data/generated"), date(2025, 3, 1))  # {'salesforce.account': Table, ...}
"""

from csi.generate.history import STATE_TABLES, state_on
from csi.generate.run import generate

__all__ = ["STATE_TABLES", "generate", "state_on"]
