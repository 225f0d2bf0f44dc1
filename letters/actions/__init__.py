"""Every state change of a letter, one function each, shared by the web pages, the API and the CLI.

Each action follows the same steps: lock the letter, re-read it, check the actor and the state,
change the rows, and append the event that records the change, all in one transaction. Slow
work (mail, integration of the log) happens after commit. A repeated identical request (a
double click, a retry) returns the object the first one made instead of making another.

One module per flow: drafting (create_letter, add_version), circulation (circulate, who sees
the names, close), signing (sign, withdraw), delivery (deliver, acknowledge) and publication
(publish, abandon); common holds what they share, inputs the shapes they accept (their
lengths are letters/limits.py's). Callers
use this package alone: ``from letters import actions; actions.sign(...)``.
"""

from letters.actions.circulation import circulate, close, resolve_invitees, set_names_visibility
from letters.actions.common import Outcome
from letters.actions.delivery import acknowledge, deliver
from letters.actions.drafting import DOUBLE_SUBMIT_WINDOW, add_version, create_letter
from letters.actions.inputs import REQUIRED
from letters.actions.publication import abandon, publish
from letters.actions.signing import sign, withdraw

__all__ = [
    "DOUBLE_SUBMIT_WINDOW",
    "REQUIRED",
    "Outcome",
    "abandon",
    "acknowledge",
    "add_version",
    "circulate",
    "close",
    "create_letter",
    "deliver",
    "publish",
    "resolve_invitees",
    "set_names_visibility",
    "sign",
    "withdraw",
]
