"""What a report's actions tell the layers above them, which they cannot import: the mail
(letters/notify.py) listens."""

from django.dispatch import Signal

# Sent once a share has committed, with ``share_id``.
version_shared = Signal()
