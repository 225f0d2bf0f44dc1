"""The register's tables: States, forums and sessions, texts, participants, Council terms, votes
and saved claims.

Every fact a text's supporters rest on is a `Participant` row with its provenance and source;
withdrawals are rows too, never deletions, so the list as it stood on any date can be rebuilt.
States are keyed by ISO3, so a foreign key to a State stores its code and exports need no join.
"""

import secrets

from django.db import models

from register import vocabulary as v


def _choices(values) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class Country(models.Model):
    """One of the 193 Member and 2 observer States (core/data/un_states.csv, loaded by migration)."""

    iso3 = models.CharField(max_length=3, primary_key=True)
    iso2 = models.CharField(max_length=2)
    name = models.CharField(max_length=100, help_text="The UN's short English name")
    status = models.CharField(max_length=8, choices=[("member", "member"), ("observer", "observer")])
    regional_group = models.CharField(
        max_length=64,
        blank=True,
        choices=_choices(v.GROUPS),
        help_text="Empty for the observer States, which sit in none",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return f"{self.name} ({self.iso3})"


class Forum(models.Model):
    """Where texts are read or tabled: "HRC", "GA Third Committee", ..."""

    name = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.name


class Session(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="sessions")
    name = models.CharField(max_length=50, help_text='As the forum numbers it: "51", "77"')

    class Meta:
        constraints = [models.UniqueConstraint(fields=["forum", "name"], name="register_session_unique")]

    def __str__(self):
        return f"{self.forum.name} {self.name}"


class Text(models.Model):
    """A joint letter, joint statement, draft resolution or draft decision."""

    identifier = models.CharField(max_length=200, unique=True, help_text='The files\' `text`: "A/HRC/51/L.6"')
    kind = models.CharField(max_length=20, choices=_choices(v.KINDS))
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.PROTECT, related_name="texts")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="texts")
    date = models.DateField()
    title = models.CharField(max_length=500, blank=True)
    lead = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="led_texts")
    symbol = models.CharField(max_length=100, blank=True)
    topic = models.CharField(max_length=100, blank=True)
    # "Read on behalf of 69 countries": a count that may exceed the names anyone listed.
    reported_count = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "identifier"]
        indexes = [
            models.Index(fields=["kind", "date"], name="register_text_kind"),
            models.Index(fields=["topic", "date"], name="register_text_topic"),
            models.Index(fields=["date"], name="register_text_date"),
        ]

    def __str__(self):
        return self.identifier


class Participant(models.Model):
    """One event of one State on one text, and how it is known."""

    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="participants")
    # No index of its own: the (country, text) index below serves lookups by country, and each
    # index costs every one of the half million rows an import may add.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="participations", db_index=False)
    event = models.CharField(max_length=16, choices=_choices(v.EVENTS))
    date = models.DateField(null=True, blank=True, help_text="Empty when no source gives it")
    provenance = models.CharField(max_length=16, choices=_choices(v.PROVENANCES))
    source = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["country", "text"], name="register_participant_country")]

    def __str__(self):
        return f"{self.country_id} {self.event} {self.text_id}"


class MembershipTerm(models.Model):
    """A State's term on a body (the Human Rights Council), with a suspension if any."""

    body = models.CharField(max_length=8, choices=_choices(v.BODIES))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="terms")
    regional_group = models.CharField(max_length=64, choices=_choices(v.GROUPS))
    term_start = models.DateField()
    term_end = models.DateField()
    suspended_from = models.DateField(null=True, blank=True)
    # Empty with `suspended_from` set: suspended until the term's end.
    suspended_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["body", "term_start", "country"]
        constraints = [
            models.UniqueConstraint(fields=["body", "country", "term_start"], name="register_term_unique"),
        ]
        indexes = [models.Index(fields=["body", "term_start", "term_end"], name="register_term_dates")]

    def __str__(self):
        return f"{self.body} {self.country_id} {self.term_start}–{self.term_end}"


class Vote(models.Model):
    """One member's vote on a draft on one date."""

    # Served by the indexes below: (text, date, country) and (country, date).
    text = models.ForeignKey(Text, on_delete=models.PROTECT, related_name="votes", db_index=False)
    date = models.DateField()
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="votes", db_index=False)
    vote = models.CharField(max_length=8, choices=_choices(v.VOTES))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["text", "date", "country"], name="register_vote_unique"),
        ]
        indexes = [models.Index(fields=["country", "date"], name="register_vote_country")]

    def __str__(self):
        return f"{self.country_id} {self.vote} on {self.text_id} {self.date}"


def new_claim_id() -> str:
    # Unguessable, like letters' handles: a saved claim is public to whoever has its link, but
    # the register does not publish a list of what people have checked.
    return secrets.token_urlsafe(12)


class Claim(models.Model):
    """A claim checked against the register, with the verdict it got when it was saved."""

    id = models.CharField(max_length=16, primary_key=True, default=new_claim_id, editable=False)
    statement = models.TextField()
    number = models.PositiveIntegerField()
    texts = models.JSONField(help_text="The identifiers of the texts it rests on")
    verdict = models.CharField(max_length=16, choices=_choices(v.VERDICTS))
    lower = models.PositiveIntegerField()
    upper = models.PositiveIntegerField(null=True, blank=True)
    rests_on_reported = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"claim {self.id}"


# A text's columns in the order of the texts file (`text,kind,forum,session,date,title,lead,symbol,
# topic,reported_count,source`), as lookups: read by the queries, the import's checks and the export.
TEXT_FILE_FIELDS = (
    "identifier",
    "kind",
    "forum__name",
    "session__name",
    "date",
    "title",
    "lead_id",
    "symbol",
    "topic",
    "reported_count",
    "source",
)
