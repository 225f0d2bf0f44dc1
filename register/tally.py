"""Tallies over a set of texts, and the verdict on a claim: pure functions over plain data.

Kinds of support are never added together. What the register can say about "how many distinct
States supported these texts" is a pair of bounds (docs/register.md):

    lower = max(|union of the listed States|, the largest single count)
    upper = min(|union| + Σ max(0, reported − listed), 195)

where a text's count is its reported count or its listed count, whichever is larger. `upper`
is unknown (None) when a text has neither a list nor a count: anyone at all may have supported it.
For every way of filling in the unlisted supporters that agrees with the counts, the true number
of distinct States lies between the two (tests/register/test_bounds_properties.py).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from register import vocabulary as v


@dataclass(frozen=True)
class TextFacts:
    """What the register knows of one text's support."""

    text: str
    kind: str
    live: frozenset[str] = frozenset()  # ISO3 codes supporting it now, after withdrawals
    reported: int | None = None  # "on behalf of 69 countries"
    has_list: bool = False  # whether any participant is recorded (all may have withdrawn since)
    title: str = ""
    # ISO3 codes that sat on the Council on the text's date, when the caller asks about it.
    council: frozenset[str] | None = field(default=None, compare=False)

    @property
    def listed(self) -> int:
        return len(self.live)

    @property
    def known(self) -> bool:
        return self.has_list or self.reported is not None

    @property
    def count(self) -> int | None:
        """Its supporters as far as anyone says: the larger of the count and the list."""
        return max(self.reported or 0, self.listed) if self.known else None

    @property
    def remainder(self) -> int:
        """Supporters counted but not named."""
        return max(0, self.reported - self.listed) if self.reported is not None else 0


@dataclass(frozen=True)
class Bounds:
    distinct_listed: int
    lower: int
    upper: int | None
    rests_on_reported: bool


def union_of(texts: Iterable[TextFacts]) -> frozenset[str]:
    return frozenset().union(*(facts.live for facts in texts))


def bounds(texts: list[TextFacts], state_count: int = v.STATE_COUNT) -> Bounds:
    union = union_of(texts)
    lower = max([len(union), *(facts.count or 0 for facts in texts)])
    if all(facts.known for facts in texts):
        upper = min(len(union) + sum(facts.remainder for facts in texts), state_count)
    else:
        upper = None
    return Bounds(len(union), lower, upper, rests_on_reported=any(facts.remainder for facts in texts))


def verdict(number: int, lower: int, upper: int | None) -> str:
    """consistent (lower ≤ n ≤ upper), exceeds_record (n > upper), below_record (n < lower),
    unverifiable (no upper bound and n ≥ lower)."""
    if number < lower:
        return v.BELOW_RECORD
    if upper is None:
        return v.UNVERIFIABLE
    return v.EXCEEDS_RECORD if number > upper else v.CONSISTENT


def tally(texts: list[TextFacts], group_of: Mapping[str, str], state_count: int = v.STATE_COUNT) -> dict:
    """The API's tally: bounds over all the texts, then per text, by kind, by regional group
    (of the distinct listed States) and the overlaps between texts."""
    overall = bounds(texts, state_count)
    union = union_of(texts)
    return {
        "texts": [facts.text for facts in texts],
        "distinct_listed": overall.distinct_listed,
        "listed": sorted(union),
        "lower": overall.lower,
        "upper": overall.upper,
        "rests_on_reported": overall.rests_on_reported,
        "per_text": [per_text(facts) for facts in texts],
        "by_kind": by_kind(texts, state_count),
        "by_group": by_group(union, group_of),
        "overlap": overlap(texts),
    }


def per_text(facts: TextFacts) -> dict:
    row = {
        "text": facts.text,
        "kind": facts.kind,
        "listed_count": facts.listed,
        "reported_count": facts.reported,
        "count": facts.count,
        "unlisted": facts.remainder,
    }
    if facts.council is not None:
        row["council_members"] = len(facts.live & facts.council)
    return row


def by_kind(texts: list[TextFacts], state_count: int = v.STATE_COUNT) -> dict[str, dict]:
    """Bounds per kind of text, each over that kind's texts alone: {kind: {texts, distinct_listed,
    lower, upper}}, in the vocabulary's order of kinds, for the kinds present."""
    grouped: dict[str, list[TextFacts]] = defaultdict(list)
    for facts in texts:
        grouped[facts.kind].append(facts)
    result = {}
    for kind in sorted(grouped, key=lambda k: v.KINDS.index(k) if k in v.KINDS else len(v.KINDS)):
        kind_bounds = bounds(grouped[kind], state_count)
        result[kind] = {
            "texts": len(grouped[kind]),
            "distinct_listed": kind_bounds.distinct_listed,
            "lower": kind_bounds.lower,
            "upper": kind_bounds.upper,
        }
    return result


def by_group(states: Iterable[str], group_of: Mapping[str, str]) -> dict[str, int]:
    """How many of `states` belong to each of the five regional groups (all five, zeros too), and
    under "none" those in no group (the observer States)."""
    counts = Counter(group_of.get(iso3) or v.NO_GROUP for iso3 in states)
    return {group: counts.get(group, 0) for group in (*v.GROUPS, v.NO_GROUP)}


def overlap(texts: list[TextFacts]) -> dict:
    """States listed on more than one text, and each pair of texts that share listed States:

    {"states": [{"country": "PAK", "texts": ["A", "B"]}, ...],   # by country
     "pairs": [{"a": "A", "b": "B", "common": 12}, ...]}          # pairs with common > 0
    """
    texts_of: dict[str, list[str]] = defaultdict(list)
    for facts in texts:
        for iso3 in facts.live:
            texts_of[iso3].append(facts.text)
    states = [{"country": iso3, "texts": names} for iso3, names in sorted(texts_of.items()) if len(names) > 1]
    pairs = []
    for first, second in combinations(texts, 2):
        common = len(first.live & second.live)
        if common:
            pairs.append({"a": first.text, "b": second.text, "common": common})
    return {"states": states, "pairs": pairs}
