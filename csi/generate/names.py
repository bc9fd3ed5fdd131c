"""Names from Faker, drawn once into pools (Faker seeded) and combined with numpy: calling Faker
per row would take hours at a million accounts. Company names are unique by construction."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from faker import Faker

from csi.generate.options import MAX_ACCOUNTS
from csi.generate.text import join, pick

NOUNS = (
    "Analytics",
    "Logistics",
    "Health",
    "Labs",
    "Systems",
    "Partners",
    "Foods",
    "Energy",
    "Capital",
    "Media",
    "Robotics",
    "Dynamics",
    "Networks",
    "Consulting",
    "Software",
    "Bio",
    "Freight",
    "Retail",
    "Insurance",
    "Pharma",
    "Learning",
    "Security",
    "Studios",
    "Solutions",
    "Ventures",
    "Mobility",
    "Materials",
    "Brands",
    "Outdoors",
    "Finance",
    "Clinics",
    "Motors",
    "Data",
    "Cloud",
    "Foundry",
    "Works",
    "Industries",
    "Holdings",
    "Collective",
    "Commerce",
    "Travel",
    "Apparel",
    "Telecom",
    "Water",
    "Aerospace",
    "Legal",
    "Realty",
    "Payments",
    "Genomics",
    "Farms",
    "Textiles",
    "Optics",
    "Devices",
    "Marine",
    "Tools",
    "Kitchens",
    "Home",
    "Markets",
    "Transit",
    "Supply",
)
HEADS = (
    "Blue",
    "Harbor",
    "Summit",
    "Granite",
    "Cedar",
    "Northwind",
    "Silver",
    "Maple",
    "Redwood",
    "Atlas",
    "Beacon",
    "Crescent",
    "Evergreen",
    "Falcon",
    "Golden",
    "Horizon",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Nimbus",
    "Oakridge",
    "Pioneer",
    "Quarry",
    "Riverbend",
    "Sable",
    "Tidewater",
    "Union",
    "Vanguard",
    "Willow",
    "Zenith",
    "Aurora",
    "Bright",
    "Coastal",
    "Delta",
    "Ember",
    "Frontier",
    "Glacier",
    "Highland",
    "Indigo",
    "Jade",
    "Kestrel",
    "Lumen",
    "Mesa",
    "Northstar",
    "Orchid",
    "Prairie",
)
TLDS = ("com", "io", "co", "net", "ai", "tech", "app", "biz")
DOMAIN_VARIANTS = (("", ""), ("", "hq"), ("get", ""), ("", "group"))
WEBSITE_FORMS = ("https://www.{}", "https://{}", "http://www.{}", "www.{}", "{}", "https://www.{}/")
LEGAL_FORMS = ("", "", "Inc.", "LLC", "Ltd", "Group", "GmbH", "Corp.")
CONTACT_TITLES = (
    "VP Customer Success",
    "Director of Operations",
    "Head of Analytics",
    "Operations Manager",
    "Chief Technology Officer",
    "Chief Executive Officer",
    "Data Analyst",
    "Senior Analyst",
    "Procurement Manager",
    "IT Director",
    "Marketing Manager",
    "Research Lead",
    "Product Manager",
    "Business Analyst",
    "Program Manager",
    "Director of Finance",
    "Head of Procurement",
    "Team Lead",
    "Account Coordinator",
    "Engineering Manager",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _probabilities(weights) -> np.ndarray:
    weights = np.fromiter(weights, dtype=np.float64)
    return weights / weights.sum()


@dataclass(frozen=True)
class Pools:
    first_names: pa.Array
    first_slugs: pa.Array
    first_weights: np.ndarray  # how common each name is (Faker's frequencies)
    last_names: pa.Array
    last_slugs: pa.Array
    last_weights: np.ndarray
    heads: pa.Array
    head_slugs: pa.Array
    nouns: pa.Array
    noun_slugs: pa.Array
    multiplier: int  # coprime with the number of name combinations: spreads neighbours apart

    @property
    def combinations(self) -> int:
        return len(self.heads) * len(self.nouns) * len(DOMAIN_VARIANTS) * len(TLDS)


def build_pools(seed: int) -> Pools:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    person = next(provider for provider in fake.get_providers() if hasattr(provider, "first_names"))
    firsts, lasts = list(person.first_names), list(person.last_names)
    heads = sorted(set(lasts) | set(HEADS))
    fake.random.shuffle(heads)
    combinations = len(heads) * len(NOUNS) * len(DOMAIN_VARIANTS) * len(TLDS)
    if combinations < MAX_ACCOUNTS:
        raise RuntimeError(f"name pools give only {combinations} distinct companies")
    multiplier = next(m for m in range(combinations // 3 + 1, combinations) if np.gcd(m, combinations) == 1)
    return Pools(
        first_names=pa.array(firsts),
        first_slugs=pa.array([_slug(n) for n in firsts]),
        first_weights=_probabilities(person.first_names.values()),
        last_names=pa.array(lasts),
        last_slugs=pa.array([_slug(n) for n in lasts]),
        last_weights=_probabilities(person.last_names.values()),
        heads=pa.array(heads),
        head_slugs=pa.array([_slug(n) for n in heads]),
        nouns=pa.array(NOUNS),
        noun_slugs=pa.array([_slug(n) for n in NOUNS]),
        multiplier=multiplier,
    )


@dataclass(frozen=True)
class Companies:
    name: pa.Array  # the CRM's name, sometimes with a legal form
    short_name: pa.Array  # the brand, as marketing writes it
    domain: pa.Array
    website: pa.Array  # as typed into the CRM: scheme, www and trailing slash vary


def companies(pools: Pools, global_index: np.ndarray, rng: np.random.Generator) -> Companies:
    """A distinct brand and domain per global account index (a bijection, so no two accounts
    share a domain at any scale)."""
    code = (np.asarray(global_index, dtype=np.int64) * pools.multiplier) % pools.combinations
    head, code = code % len(pools.heads), code // len(pools.heads)
    noun, code = code % len(pools.nouns), code // len(pools.nouns)
    variant, tld = code % len(DOMAIN_VARIANTS), code // len(DOMAIN_VARIANTS)
    short = join(pick(pools.heads, head), " ", pick(pools.nouns, noun))
    prefix = pick(pa.array([v[0] for v in DOMAIN_VARIANTS]), variant)
    suffix = pick(pa.array([v[1] for v in DOMAIN_VARIANTS]), variant)
    domain = join(
        prefix,
        pick(pools.head_slugs, head),
        pick(pools.noun_slugs, noun),
        suffix,
        ".",
        pick(pa.array(TLDS), tld),
    )
    legal = pick(
        pa.array([f" {form}" if form else "" for form in LEGAL_FORMS]),
        rng.integers(0, len(LEGAL_FORMS), code.size),
    )
    form = rng.integers(0, len(WEBSITE_FORMS), code.size)
    # str.format per row would be slow: split each form around its placeholder instead.
    before = pick(pa.array([f.split("{}")[0] for f in WEBSITE_FORMS]), form)
    after = pick(pa.array([f.split("{}")[1] for f in WEBSITE_FORMS]), form)
    return Companies(
        name=join(short, legal), short_name=short, domain=domain, website=join(before, domain, after)
    )


@dataclass(frozen=True)
class People:
    first: pa.Array
    last: pa.Array
    first_slug: pa.Array
    last_slug: pa.Array


def people(
    pools: Pools, rng: np.random.Generator, n: int, distinct_within: np.ndarray | None = None
) -> People:
    """n person names; rows sharing a `distinct_within` group (contacts of one company) never
    share a first name, so e-mail addresses first.last@domain are unique within a company."""
    first = rng.choice(len(pools.first_names), size=n, p=pools.first_weights)
    if distinct_within is not None and n:
        groups = np.asarray(distinct_within)
        starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
        rank = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
        first = (first[np.repeat(starts, np.diff(np.r_[starts, n]))] + rank * 7) % len(pools.first_names)
    last = rng.choice(len(pools.last_names), size=n, p=pools.last_weights)
    return People(
        first=pick(pools.first_names, first),
        last=pick(pools.last_names, last),
        first_slug=pick(pools.first_slugs, first),
        last_slug=pick(pools.last_slugs, last),
    )
