"""The register's part of the demo: the sourced record of core/data/ and the spokesman's claim.

In July 2022 the foreign ministry's spokesman said "nearly 100 countries" supported China on
Xinjiang, counting statements read at the Council's session and the joint letter. The demo
checks that claim against what the record can name: the statement Cuba read at the 50th session
on behalf of 69 countries (no list published) and the demo's 2022 letter (its count is proven by
the log; its names stay confidential until published, and its signatories are illustrative)."""

from core import datafiles
from register.claims import save_claim
from register.importer import import_files
from register.models import Claim, Text
from register.platform import text_identifier

# Every file cites its sources (core/data/README.md). Importing them again changes nothing.
RECORD = ("register_texts.csv", "register_participants.csv", "hrc_members.csv", "hrc51_texts.csv", "hrc51_l6_votes.csv")
STATEMENT_HRC50 = "hrc50-2022-06-14-cub"
NEARLY_100 = (
    "Nearly 100 countries had recently expressed their support for China on Xinjiang-related issues "
    "(China's foreign ministry spokesman, July 2022)"
)
CLAIMED_NUMBER = 100  # "nearly 100": the claim is checked at its round number


def load_register(letter_2022_handle: str | None) -> Claim:
    """Import the sourced record and save the spokesman's claim; return the claim."""
    import_files([datafiles.path(name) for name in RECORD])
    texts = [STATEMENT_HRC50]
    if letter_2022_handle and Text.objects.filter(identifier=text_identifier(letter_2022_handle)).exists():
        texts.append(text_identifier(letter_2022_handle))
    claim, _new = save_claim(NEARLY_100, CLAIMED_NUMBER, texts)
    return claim
