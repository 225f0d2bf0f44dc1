"""Every state change of a report, one function each, shared by the API, the pages and the demo.

Each follows the letters' steps: lock the report, re-read it, check the actor and the state,
change the rows and append the event that records the change, all in one transaction; a
repeated identical request returns what the first one made.
"""

from reports.actions.commenting import acknowledge, comment, require_commenter
from reports.actions.common import Outcome
from reports.actions.drafting import add_version, create_report
from reports.actions.publication import publish
from reports.actions.sharing import share

__all__ = ["Outcome", "acknowledge", "add_version", "comment", "create_report", "publish", "require_commenter", "share"]
