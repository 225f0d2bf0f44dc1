"""The server's actions and the offline verifier follow one lifecycle (ledger/lifecycle.py):
letters/states.py takes its sets from it, and, tried in every status, each action records its
event exactly where the verifier accepts that event, and every bundle it leaves verifies."""

import pytest

from ledger import events as ev
from ledger import lifecycle
from ledger.verify import verify_bundle
from letters import states
from record.models import Entry
from tests.conftest import sign

# The name letters/states.py gives the statuses each action may start from, and the action's event.
ACTION_SETS = {
    "EDITABLE": ev.VERSION_CREATED,
    "CIRCULATABLE": ev.LETTER_CIRCULATED,
    "NAMES_CHANGEABLE": ev.LETTER_VISIBILITY,
    "SIGNABLE": ev.SIGNATURE_SIGNED,
    "WITHDRAWABLE": ev.SIGNATURE_WITHDRAWN,
    "CLOSABLE": ev.LETTER_CLOSED,
    "DELIVERABLE": ev.LETTER_DELIVERED,
    "ACKNOWLEDGEABLE": ev.DELIVERY_ACKNOWLEDGED,
    "PUBLISHABLE": ev.LETTER_PUBLISHED,
    "ABANDONABLE": ev.LETTER_ABANDONED,
}


def test_every_action_of_the_server_starts_from_the_statuses_the_lifecycle_allows():
    for name, event_type in ACTION_SETS.items():
        assert getattr(states, name) == lifecycle.allowed_from(event_type), name
    assert set(ACTION_SETS.values()) == set(lifecycle.STEPS) - {ev.LETTER_CREATED}
    assert states.LATE == lifecycle.LATE


def test_the_server_knows_the_lifecycles_statuses_in_its_order():
    assert [status for status, _ in states.STATUSES] == list(lifecycle.STATUSES)
    assert (
        states.DRAFT,
        states.CIRCULATING,
        states.CLOSED,
        states.DELIVERED,
        states.PUBLISHED,
        states.ABANDONED,
    ) == lifecycle.STATUSES


def test_the_sets_the_server_used_before_are_unchanged():
    assert states.EDITABLE == states.CIRCULATABLE == {states.DRAFT, states.CIRCULATING}
    assert states.CLOSABLE == {states.CIRCULATING}
    assert states.DELIVERABLE == {states.CIRCULATING, states.CLOSED, states.DELIVERED}
    assert states.SIGNABLE == {states.CIRCULATING, states.DELIVERED, states.PUBLISHED}
    assert states.WITHDRAWABLE == states.SIGNABLE | {states.CLOSED}
    assert states.LATE == {states.DELIVERED, states.PUBLISHED}
    assert states.PUBLISHABLE == {states.DELIVERED}
    assert states.ABANDONABLE == {states.DRAFT, states.CIRCULATING, states.CLOSED}


# --- the server's actions, tried in every status ---------------------------------------------


class Cast:
    """The personas of one letter: chn holds it, pak and cub are invited, ohchr receives it."""

    def __init__(self, request):
        for name in ("penholder", "penholder_signer", "signer", "second_signer", "addressee", "outsider"):
            setattr(self, name, request.getfixturevalue(name))


def post(persona, path, data=None):
    return persona.api.post(path, data or {})


def current(cast, letter) -> dict:
    return cast.penholder.api.get(f"/letters/{letter['id']}").json()


def letter_in(cast, draft, status: str) -> dict:
    """The draft brought to ``status`` through the API, with pak's signature from circulation on."""
    path = f"/letters/{draft['id']}"
    steps = {
        lifecycle.CIRCULATING: [
            lambda: post(cast.penholder, f"{path}/circulate", {"invitees": ["pak", "cub"]}),
            lambda: sign(cast.signer, draft),
        ],
        lifecycle.CLOSED: [lambda: post(cast.penholder, f"{path}/close")],
        lifecycle.DELIVERED: [lambda: post(cast.penholder, f"{path}/deliver", {"version": 1})],
        lifecycle.PUBLISHED: [lambda: post(cast.penholder, f"{path}/publish")],
    }
    route = {
        lifecycle.DRAFT: [],
        lifecycle.CIRCULATING: [lifecycle.CIRCULATING],
        lifecycle.CLOSED: [lifecycle.CIRCULATING, lifecycle.CLOSED],
        lifecycle.DELIVERED: [lifecycle.CIRCULATING, lifecycle.CLOSED, lifecycle.DELIVERED],
        lifecycle.PUBLISHED: [lifecycle.CIRCULATING, lifecycle.CLOSED, lifecycle.DELIVERED, lifecycle.PUBLISHED],
        lifecycle.ABANDONED: [lifecycle.CIRCULATING, lifecycle.CLOSED],
    }[status]
    for stage in route:
        for step in steps[stage]:
            assert step().status_code in (200, 201)
    if status == lifecycle.ABANDONED:
        assert post(cast.penholder, f"{path}/abandon").status_code == 201
    letter = current(cast, draft)
    assert letter["status"] == status
    return letter


def sign_shown(persona, letter):
    """Sign the current version as the penholder shows it (a persona may not see the letter)."""
    version = next(v for v in letter["versions"] if v["number"] == letter["current_version"])
    return post(
        persona, f"/letters/{letter['id']}/signatures", {"version": version["number"], "version_hash": version["hash"]}
    )


def _deliver(cast, letter):
    sign_shown(cast.second_signer, letter)  # refused where signing is; a late signature makes an addendum
    return post(
        cast.penholder, f"/letters/{letter['id']}/deliver", {"version": current(cast, letter)["current_version"]}
    )


def _acknowledge(cast, letter):
    deliveries = letter["deliveries"]
    return post(cast.addressee, f"/deliveries/{deliveries[0]['id']}/acknowledge") if deliveries else None


ACTIONS = {
    ev.VERSION_CREATED: lambda cast, letter: post(
        cast.penholder,
        f"/letters/{letter['id']}/versions",
        {"body": "A revised text.", "note": "Tighter", "base_version": letter["current_version"]},
    ),
    ev.LETTER_CIRCULATED: lambda cast, letter: post(
        cast.penholder, f"/letters/{letter['id']}/circulate", {"invitees": ["usa"]}
    ),
    ev.LETTER_VISIBILITY: lambda cast, letter: post(
        cast.penholder, f"/letters/{letter['id']}/visibility", {"names_visible_to": "public"}
    ),
    ev.SIGNATURE_SIGNED: lambda cast, letter: sign_shown(cast.penholder_signer, letter),
    ev.SIGNATURE_WITHDRAWN: lambda cast, letter: post(cast.signer, f"/letters/{letter['id']}/withdraw"),
    ev.LETTER_CLOSED: lambda cast, letter: post(cast.penholder, f"/letters/{letter['id']}/close"),
    ev.LETTER_DELIVERED: _deliver,
    ev.DELIVERY_ACKNOWLEDGED: _acknowledge,
    ev.LETTER_PUBLISHED: lambda cast, letter: post(cast.penholder, f"/letters/{letter['id']}/publish"),
    ev.LETTER_ABANDONED: lambda cast, letter: post(cast.penholder, f"/letters/{letter['id']}/abandon"),
}


def types_after(handle: str, index: int) -> list[str]:
    return [entry.type for entry in Entry.objects.filter(handle=handle, index__gt=index).order_by("index")]


@pytest.mark.parametrize("event_type", sorted(ACTIONS))
@pytest.mark.parametrize("status", lifecycle.STATUSES)
def test_each_action_records_its_event_exactly_where_the_verifier_accepts_it(request, draft, status, event_type):
    cast = Cast(request)
    letter = letter_in(cast, draft, status)
    last = Entry.objects.filter(handle=letter["handle"]).order_by("-index").first().index

    response = ACTIONS[event_type](cast, letter)

    allowed = status in lifecycle.allowed_from(event_type)
    assert (event_type in types_after(letter["handle"], last)) == allowed
    if response is not None and response.status_code == 409:
        assert allowed is (response.json()["error"]["code"] != "illegal_transition"), response.content
    bundle = cast.penholder.api.get(f"/letters/{letter['id']}/bundle").json()
    verify_bundle(bundle)
