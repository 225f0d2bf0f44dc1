"""This platform's own letters as texts of the register, with provenance `signed`.

The letters' actions call `record_letter` inside the transaction that records each event of a
letter, with plain values (the register sits below `letters` and does not import it), so the
register never disagrees with the log. What the public may know decides what goes in:

- from circulation until publication: the letter's proven count of supporting States and the
  date it began to circulate, nothing else — no title, no penholder, no names (DESIGN, "Who sees
  what": the text and the names are confidential until publication);
- from publication on: the title, the penholder's State as lead, and each State's signatures,
  late signatures and withdrawals as participants, with the letter's public page as source;
- a draft is not in the register, and an abandoned letter leaves it.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from core import sql
from ledger import lifecycle
from register import vocabulary as v
from register.models import Forum, Participant, Session, Text
from register.support import Event, live_supporters

# A letter is in the register from circulation on; a draft is not yet, an abandoned one no more.
IN_REGISTER = frozenset({lifecycle.CIRCULATING, lifecycle.CLOSED, lifecycle.DELIVERED, lifecycle.PUBLISHED})
EVENTS = frozenset({v.SIGNED, v.JOINED, v.WITHDREW})


@dataclass(frozen=True)
class Signatory:
    """One event of a State on a letter: `signed` (before delivery), `joined` (a late signature,
    after delivery) or `withdrew`, on the day it happened."""

    country: str
    event: str
    date: datetime.date


def text_identifier(handle: str) -> str:
    return f"letter:{handle}"


def record_letter(
    *,
    handle: str,
    status: str,
    circulated_on: datetime.date | None,
    counts: Mapping[int, int],
    source: str,
    title: str = "",
    lead: str | None = None,
    forum: str = "",
    session: str = "",
    topic: str = "",
    signatories: Sequence[Signatory] = (),
) -> Text | None:
    """Bring the letter's text in the register in step with the letter; returns it (None when
    the letter is not, or no longer, in the register).

    `counts` are the live signatures by States per version ({version: count}); their sum is the
    proven count. `title`, `lead`, `forum`, `session`, `topic` and `signatories` are used only
    once the letter is published: before that the register shows its count alone.
    """
    identifier = text_identifier(handle)
    with transaction.atomic():
        if status not in IN_REGISTER or circulated_on is None:
            Text.objects.filter(identifier=identifier).delete()
            return None
        count = sum(counts.values())
        published = status == lifecycle.PUBLISHED
        fields = _public_fields(count, circulated_on, source, title, lead, topic, published)
        text, _ = Text.objects.update_or_create(identifier=identifier, defaults=fields)
        _set_forum(text, forum if published else "", session if published else "")
        _sync_participants(text, list(signatories) if published else [], source, count)
        return text


def _public_fields(count, circulated_on, source, title, lead, topic, published) -> dict:
    fields = {
        "kind": v.JOINT_LETTER,
        "date": circulated_on,
        "reported_count": count,
        "source": source,
        "title": "",
        "lead_id": None,
        "symbol": "",
        "topic": "",
    }
    if published:
        fields.update(title=title.strip(), lead_id=lead or None, topic=topic.strip())
    return fields


def _set_forum(text: Text, forum: str, session: str) -> None:
    forum_row = Forum.objects.get_or_create(name=forum)[0] if forum else None
    session_row = Session.objects.get_or_create(forum=forum_row, name=session)[0] if forum_row and session else None
    if (text.forum_id, text.session_id) != (forum_row and forum_row.id, session_row and session_row.id):
        text.forum, text.session = forum_row, session_row
        text.save(update_fields=["forum", "session"])


def _sync_participants(text: Text, signatories: list[Signatory], source: str, count: int) -> None:
    """Make the text's `signed` participants exactly the signatories' events."""
    for signatory in signatories:
        if signatory.event not in EVENTS:
            raise ValueError(f"a letter's event is signed, joined or withdrew, not {signatory.event!r}")
    live = live_supporters(Event(s.country, s.event, s.date) for s in signatories)
    if len(live) > count:
        raise ValueError(f"the letter names {len(live)} supporting States but counts {count}")
    wanted: set[tuple[str, str, datetime.date | None]] = {(s.country, s.event, s.date) for s in signatories}
    held = Participant.objects.filter(text=text, provenance=v.PROVENANCE_SIGNED)
    existing = {(p.country_id, p.event, p.date): p for p in held}
    stale = [p.id for key, p in existing.items() if key not in wanted or p.source != source]
    if stale:
        Participant.objects.filter(id__in=stale).delete()
    kept = {key for key, p in existing.items() if p.id not in stale}
    Participant.objects.bulk_create(
        [
            Participant(
                text=text, country_id=country, event=event, date=date, provenance=v.PROVENANCE_SIGNED, source=source
            )
            for country, event, date in sorted(wanted - kept, key=lambda key: (str(key[2]), key[0], key[1]))
        ]
    )


def set_proven_counts(counts: Mapping[str, int]) -> int:
    """{handle: live signatures by States} for letters already in the register, in one statement
    whatever their number, for the signing path, which signs letters in batches with a fixed
    number of statements (letters/actions/signing.py). Letters not in the register (a draft) are
    left out; returns how many texts it updated."""
    if not counts:
        return 0
    identifiers = {text_identifier(handle): count for handle, count in counts.items()}
    whens = " ".join(["WHEN %s THEN %s"] * len(identifiers))
    params: list = [value for pair in identifiers.items() for value in pair] + list(identifiers)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {sql.table(Text)} SET {sql.column(Text, 'reported_count')} = "  # noqa: S608
            f"CASE {sql.column(Text, 'identifier')} {whens} END "
            f"WHERE {sql.column(Text, 'identifier')} IN ({sql.in_list(identifiers)})",
            params,
        )
        return cursor.rowcount
