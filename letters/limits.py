"""How long each input of a letter may be, written once.

The models size their columns from here, the actions refuse what is longer (letters.actions),
the API's request schemas declare the same limits in the OpenAPI document (api/schemas.py), and
the pages give them to the browser as ``maxlength`` (``{{ limits.title }}`` in a template, from
web/context_processors.py). Plain integers, importable before Django is set up.
"""

from documents.limits import NOTE, TITLE  # a version's, the same for a report's
from orgs.vocabulary import SLUG_LENGTH

BODY = 50_000  # the body is a TextField: only this limit bounds it
REASON = 500  # why a signature is withdrawn
MESSAGE = 5_000  # the penholder's message to the invitees
INVITEES = 1_000  # items in one circulation request
LANGUAGE = 16  # a BCP 47 tag such as zh-Hans
SLUG = SLUG_LENGTH  # an organisation's slug, as requests name it
COMMENT = 5_000  # an invitee's comment on a draft
DOCX_BYTES = 5 * 1024 * 1024  # a Word document uploaded as the next version's text

# For the templates: {{ limits.title }}.
FOR_TEMPLATES = {"title": TITLE, "body": BODY, "note": NOTE, "reason": REASON, "message": MESSAGE, "comment": COMMENT}
