"""The register's four CSV files (DESIGN, "The register"): each known by its header, exactly."""

TEXTS = "texts"
PARTICIPANTS = "participants"
MEMBERS = "members"
VOTES = "votes"

COLUMNS = {
    TEXTS: ("text", "kind", "forum", "session", "date", "title", "lead", "symbol", "topic", "reported_count", "source"),
    PARTICIPANTS: ("text", "country", "event", "date", "provenance", "source"),
    MEMBERS: ("body", "country", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to"),
    VOTES: ("text", "date", "country", "vote"),
}
# The order rows are checked and stored in, whatever order the files come in: participants
# and votes name texts, votes need the members on their date.
ORDER = (TEXTS, PARTICIPANTS, MEMBERS, VOTES)
# What each kind of row is called when the command says what it added.
ROW_NAMES = {TEXTS: "texts", PARTICIPANTS: "participants", MEMBERS: "membership terms", VOTES: "votes"}


def format_of(header: list[str]) -> str | None:
    for name, columns in COLUMNS.items():
        if tuple(header) == columns:
            return name
    return None


def closest_format(header: list[str]) -> str:
    """The format a wrong header was most likely meant to be: the most columns in common."""
    given = set(header)
    return max(ORDER, key=lambda name: (len(given & set(COLUMNS[name])), -ORDER.index(name)))
