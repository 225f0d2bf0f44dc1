"""The kinds of organisation and the roles of their members, written once: orgs/models.py stores
them, and the command line offers them as choices before Django is set up, so this module is
plain Python."""

KIND_STATE = "state"
KIND_OBSERVER = "observer"
KIND_UN_OFFICE = "un_office"
KIND_IGO = "igo"
KIND_NGO = "ngo"
KINDS = [
    (KIND_STATE, "State"),
    (KIND_OBSERVER, "Observer State"),
    (KIND_UN_OFFICE, "UN office"),
    (KIND_IGO, "Intergovernmental organisation"),
    (KIND_NGO, "Non-governmental organisation"),
]

ROLE_DRAFTER = "drafter"
ROLE_SIGNER = "signer"
ROLE_VIEWER = "viewer"
ROLES = [(ROLE_DRAFTER, "Drafter"), (ROLE_SIGNER, "Signer"), (ROLE_VIEWER, "Viewer")]

SLUG_LENGTH = 64  # the longest slug, as stored and as requests name organisations
