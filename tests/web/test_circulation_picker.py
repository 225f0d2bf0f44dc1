"""Circulating from the letter page: a picker of States and regional groups with a filter, the
count it will invite, and what was chosen and typed kept when the circulation is refused."""

import html

from letters.models import Invitation


def letter_page(persona, letter_id) -> str:
    return html.unescape(persona.web.get(f"/letters/{letter_id}/").content.decode())


def test_the_picker_lists_states_by_name_and_groups_with_their_counts(draft, penholder):
    page = letter_page(penholder, draft["id"])
    picker = page[page.index('class="picker"') : page.index("</fieldset>")]
    assert 'value="pak"' in picker and 'value="cub"' in picker and 'value="usa"' in picker
    assert 'value="chn"' not in picker and 'value="ohchr"' not in picker  # the penholder and the addressee
    assert picker.index("Cuba") < picker.index("Pakistan") < picker.index("United States")
    assert 'value="group:Asia-Pacific States" data-count="1"' in picker  # pak; chn is the penholder
    assert 'class="picker-filter"' in picker and "web/picker.js" in page
    assert 'data-count-label="Organisations to invite:"' in page


def test_ticked_states_and_groups_are_invited(draft, penholder):
    response = penholder.web.post(
        f"/letters/{draft['id']}/circulate", {"invite": ["pak", "group:Latin American and Caribbean States"]}
    )
    assert response.status_code == 302
    invited = set(Invitation.objects.filter(letter_id=draft["id"]).values_list("organisation__slug", flat=True))
    assert invited == {"pak", "cub"}


def test_the_states_already_invited_leave_the_picker(circulating, penholder):
    picker = letter_page(penholder, circulating["id"])
    picker = picker[picker.index('class="picker"') : picker.index("</fieldset>")]
    assert 'value="pak"' not in picker and 'value="usa"' in picker


def test_a_refused_circulation_keeps_what_was_chosen_and_typed(draft, penholder):
    form = {"invite": ["pak"], "invitees": "nosuchmission", "message": "Please sign by Friday.", "deadline": ""}
    response = penholder.web.post(f"/letters/{draft['id']}/circulate", form)
    assert response.status_code >= 400
    page = html.unescape(response.content.decode())
    assert 'value="pak" data-count="1" checked' in page
    assert ">nosuchmission</textarea>" in page and ">Please sign by Friday.</textarea>" in page
    assert not Invitation.objects.filter(letter_id=draft["id"]).exists()


def test_the_regional_groups_and_the_count_are_named_in_the_readers_language(draft, penholder):
    penholder.web.cookies["django_language"] = "fr"
    page = letter_page(penholder, draft["id"])
    assert 'data-count-label="Organisations à inviter :"' in page
    assert 'value="group:Asia-Pacific States" data-count="1"> États d’Asie et du Pacifique (1 organisation)' in page


def test_each_group_carries_the_codes_of_its_members_so_the_count_is_of_distinct_organisations(draft, penholder):
    page = letter_page(penholder, draft["id"])
    picker = page[page.index('class="picker"') : page.index("</fieldset>")]
    assert 'data-members="pak" value="group:Asia-Pacific States" data-count="1"' in picker
    assert 'data-members="cub" value="group:Latin American and Caribbean States" data-count="1"' in picker
    assert 'data-members="usa" value="group:Western European and other States" data-count="1"' in picker
    assert 'data-name="pakistan pak" data-state><input' in picker  # "all" typed counts the States


def test_a_group_lists_only_the_members_not_yet_invited(draft, penholder, orgs):
    from orgs.actions import add_organisation

    add_organisation("ind", "India", "state", "IND", "Asia-Pacific States")
    assert penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
    page = letter_page(penholder, draft["id"])
    assert 'data-members="ind" value="group:Asia-Pacific States" data-count="1"' in page
