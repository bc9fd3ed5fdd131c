"""The customer segments and the numbers that differ between them (one place for all modules)."""

from __future__ import annotations

import numpy as np

ENTERPRISE, MID_MARKET, SMB = 0, 1, 2
SEGMENT_NAMES = ("Enterprise", "Mid-Market", "SMB")  # as the CRM spells them
SEGMENT_SHARE = (0.15, 0.35, 0.50)
ACCOUNTS_PER_CSM = (40, 60, 80)
# Latent health baseline (logit): larger customers are better served and stickier.
HEALTH_BASELINE = np.array([1.35, 1.05, 0.75])
SEATS_MEDIAN = np.array([180.0, 45.0, 10.0])
SEATS_SIGMA = np.array([0.6, 0.5, 0.5])
EMPLOYEES_MEDIAN = np.array([6000.0, 700.0, 60.0])
# Contract term mix (12, 24, 36 months): enterprises sign longer.
TERM_MONTHS = np.array([12, 24, 36])
TERM_WEIGHTS = np.array([[0.30, 0.40, 0.30], [0.50, 0.35, 0.15], [0.75, 0.20, 0.05]])
# Product tier (Standard, Professional, Enterprise) and the list price per seat of each tier.
TIERS = ("Standard", "Professional", "Enterprise")
TIER_WEIGHTS = np.array([[0.00, 0.30, 0.70], [0.25, 0.60, 0.15], [0.70, 0.30, 0.00]])
SEAT_PRICE = np.array([480.0, 690.0, 920.0])
CONTACTS_MEAN = np.array([8.0, 4.5, 2.2])
