"""System checks with stable IDs for the pages' settings: passkeys' origin and relying party."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_passkey_settings(app_configs, **kwargs):
    """A browser makes and uses passkeys only for a relying party that is the origin's host or a
    domain it belongs to; settings that break that rule would refuse every passkey, so say it at
    start-up rather than at the first signature."""
    origin, rp_id = settings.WEBAUTHN_ORIGIN, settings.WEBAUTHN_RP_ID
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return [
            Error(
                f"WEBAUTHN_ORIGIN is {origin!r}, not an origin",
                hint="An origin is scheme://host[:port], as the browser's address bar shows the site.",
                id="undersigned.E005",
            )
        ]
    host = parts.hostname
    if not rp_id or not (host == rp_id or host.endswith("." + rp_id)):
        return [
            Error(
                f"WEBAUTHN_RP_ID {rp_id!r} is not {host!r} nor a domain {host!r} belongs to",
                hint="Leave WEBAUTHN_RP_ID unset to use WEBAUTHN_ORIGIN's host name.",
                id="undersigned.E006",
            )
        ]
    return []
