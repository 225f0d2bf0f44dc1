"""Recorded votes: totals, the outcome, totals by regional group, agreement between two States
and group cohesion. Pure functions over plain data: a vote's ballots are {ISO3: "yes" | "no" |
"abstain" | "absent"}, one per member on the vote's date.

- Outcome: adopted when yes > no; a tie rejects (the Council's rules of procedure).
- Agreement between two States over a set of votes: 1 when both cast the same vote, 0.5 when one
  abstains and the other votes yes or no, 0 for yes against no; a vote where either was absent
  (or not a member) is left out. The index is the mean over the votes it rests on.
- Cohesion of a group on a vote: Rice's index |Y − N| / (Y + N), unknown when nobody in the
  group voted yes or no; over several votes, the mean of the known ones.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from register.vocabulary import ABSENT, ABSTAIN, ADOPTED, GROUPS, NO, REJECTED, VOTES, YES

Ballots = Mapping[str, str]


def outcome(yes: int, no: int) -> str:
    return ADOPTED if yes > no else REJECTED


def rice(yes: int, no: int) -> float | None:
    return abs(yes - no) / (yes + no) if yes + no else None


def _totals(ballots: Iterable[str]) -> dict[str, int]:
    counts = Counter(ballots)
    return {vote: counts.get(vote, 0) for vote in VOTES}


def count(ballots: Ballots, group_of: Mapping[str, str]) -> dict:
    """yes, no, abstain, absent, outcome, members, and by_group: {group: {yes, no, abstain,
    absent, cohesion}} for the five regional groups, each counted by the group it sat in."""
    totals = _totals(ballots.values())
    groups = {}
    for group in GROUPS:
        group_totals = _totals(vote for iso3, vote in ballots.items() if group_of.get(iso3) == group)
        groups[group] = {**group_totals, "cohesion": rice(group_totals[YES], group_totals[NO])}
    return {**totals, "outcome": outcome(totals[YES], totals[NO]), "members": len(ballots), "by_group": groups}


def cohesion(votes: Sequence[Ballots], group_of: Mapping[str, str]) -> dict[str, float | None]:
    """Each group's mean Rice index over the votes where it is known."""
    result = {}
    for group in GROUPS:
        known = []
        for ballots in votes:
            totals = _totals(vote for iso3, vote in ballots.items() if group_of.get(iso3) == group)
            index = rice(totals[YES], totals[NO])
            if index is not None:
                known.append(index)
        result[group] = sum(known) / len(known) if known else None
    return result


def score(a: str | None, b: str | None) -> float | None:
    """How far two ballots agree; None when either State was absent or not a member."""
    if a in (None, ABSENT) or b in (None, ABSENT):
        return None
    if a == b:
        return 1.0
    return 0.5 if ABSTAIN in (a, b) else 0.0


def agreement(pairs: Iterable[tuple[object, str | None, str | None]]) -> tuple[float | None, list[tuple]]:
    """The agreement index over (vote, ballot of a, ballot of b) triples, and the triples it
    rests on, each with its score appended."""
    rests_on = []
    for vote, a, b in pairs:
        points = score(a, b)
        if points is not None:
            rests_on.append((vote, a, b, points))
    if not rests_on:
        return None, []
    return sum(item[3] for item in rests_on) / len(rests_on), rests_on


def agreement_matrix(votes: Sequence[Ballots]) -> dict[tuple[str, str], tuple[float, int]]:
    """The agreement index of every pair of States over a set of votes: {(a, b): (index, votes
    it rests on)} with a < b, for pairs that voted together at least once.

    Each State's ballots become three bit sets over the votes (yes, no, abstain), so a pair costs
    a few big-integer operations however many votes there are, rather than a loop over them."""
    yes: dict[str, int] = {}
    no: dict[str, int] = {}
    abstain: dict[str, int] = {}
    for position, ballots in enumerate(votes):
        bit = 1 << position
        for iso3, ballot in ballots.items():
            target = {YES: yes, NO: no, ABSTAIN: abstain}.get(ballot)
            if target is not None:
                target[iso3] = target.get(iso3, 0) | bit
    states = sorted(set(yes) | set(no) | set(abstain))
    present = {s: yes.get(s, 0) | no.get(s, 0) | abstain.get(s, 0) for s in states}
    decided = {s: yes.get(s, 0) | no.get(s, 0) for s in states}
    matrix = {}
    for a, b in combinations(states, 2):
        together = (present[a] & present[b]).bit_count()
        if not together:
            continue
        same = (
            (yes.get(a, 0) & yes.get(b, 0)) | (no.get(a, 0) & no.get(b, 0)) | (abstain.get(a, 0) & abstain.get(b, 0))
        ).bit_count()
        half = ((abstain.get(a, 0) & decided[b]) | (abstain.get(b, 0) & decided[a])).bit_count()
        matrix[(a, b)] = ((same + 0.5 * half) / together, together)
    return matrix
