"""Letters with many signatories and versions, made through the actions (used by tests and bench/pages.py)."""

from django.contrib.auth import get_user_model

from letters import actions
from orgs.actions import add_member, add_organisation


def letter_with_signatories(penholder_user, count: int, versions: int = 1, prefix: str = "org"):
    """A circulating letter to `count` new States' missions, each of which signed the last version."""
    letter = actions.create_letter(
        penholder_user, title="A letter with many signatories", addressee="ohchr", body="Paragraph one.", note="First"
    ).object
    for number in range(2, versions + 1):
        actions.add_version(
            penholder_user,
            letter.id,
            body=f"Paragraph one, revised {number} times.",
            note=f"Revision {number}",
            base_version=number - 1,
        )
    slugs = [f"{prefix}{i:03d}" for i in range(count)]
    for slug in slugs:
        add_organisation(slug, f"Mission {slug}", "state", "", "Asia-Pacific States")
    actions.circulate(penholder_user, letter.id, invitees=slugs)
    current = letter.versions.get(number=versions)
    for slug in slugs:
        user = add_member(f"signer-{slug}", slug, "signer").user
        actions.sign(user, letter.id, version=current.number, version_hash=current.hash)
    return letter


def get_user(username):
    return get_user_model().objects.get(username=username)
