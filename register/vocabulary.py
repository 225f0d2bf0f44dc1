"""The register's fixed words: kinds of text, events, provenances, votes, regional groups.

Plain Python (no Django), so the pure tallies and their property tests need nothing else.
"""

JOINT_LETTER = "joint_letter"
JOINT_STATEMENT = "joint_statement"
DRAFT_RESOLUTION = "draft_resolution"
DRAFT_DECISION = "draft_decision"
KINDS = (JOINT_LETTER, JOINT_STATEMENT, DRAFT_RESOLUTION, DRAFT_DECISION)
# Only drafts are put to a vote.
DRAFTS = frozenset({DRAFT_RESOLUTION, DRAFT_DECISION})

SIGNED = "signed"
JOINED = "joined"
WITHDREW = "withdrew"
MAIN_SPONSOR = "main_sponsor"
COSPONSOR = "cosponsor"
EVENTS = (SIGNED, JOINED, WITHDREW, MAIN_SPONSOR, COSPONSOR)
# Every event but a withdrawal adds the State to the text's supporters.
SUPPORT_EVENTS = frozenset({SIGNED, JOINED, MAIN_SPONSOR, COSPONSOR})

# How a fact is known (docs/register.md): signed on this platform, listed in a UN document,
# published by a State or mission, reported by the press or others.
PROVENANCE_SIGNED = "signed"
PROVENANCE_UN_DOCUMENT = "un_document"
PROVENANCE_PUBLISHED = "published"
PROVENANCE_REPORTED = "reported"
PROVENANCES = (PROVENANCE_SIGNED, PROVENANCE_UN_DOCUMENT, PROVENANCE_PUBLISHED, PROVENANCE_REPORTED)

YES, NO, ABSTAIN, ABSENT = "yes", "no", "abstain", "absent"
VOTES = (YES, NO, ABSTAIN, ABSENT)
ADOPTED, REJECTED = "adopted", "rejected"

HRC = "HRC"
BODIES = (HRC,)

AFRICAN = "African States"
ASIA_PACIFIC = "Asia-Pacific States"
EASTERN_EUROPEAN = "Eastern European States"
LATIN_AMERICAN = "Latin American and Caribbean States"
WESTERN_EUROPEAN = "Western European and other States"
GROUPS = (AFRICAN, ASIA_PACIFIC, EASTERN_EUROPEAN, LATIN_AMERICAN, WESTERN_EUROPEAN)
# The observer States sit in no regional group; tallies by group count them under this key.
NO_GROUP = "none"
# The Human Rights Council's 47 seats by regional group (General Assembly resolution 60/251).
HRC_SEATS = {AFRICAN: 13, ASIA_PACIFIC: 13, EASTERN_EUROPEAN: 6, LATIN_AMERICAN: 8, WESTERN_EUROPEAN: 7}

# The 193 Member States and 2 observer States (core/data/un_states.csv): no text can have
# more supporters than this.
STATE_COUNT = 195

CONSISTENT = "consistent"
EXCEEDS_RECORD = "exceeds_record"
BELOW_RECORD = "below_record"
UNVERIFIABLE = "unverifiable"
VERDICTS = (CONSISTENT, EXCEEDS_RECORD, BELOW_RECORD, UNVERIFIABLE)
