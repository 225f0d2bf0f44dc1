"""The register knows the 195 States as soon as the database is migrated."""

from collections import Counter

from register.models import Country


def test_the_register_holds_the_193_members_and_2_observers_after_migrate(db):
    assert Country.objects.count() == 195
    assert Counter(Country.objects.values_list("status", flat=True)) == {"member": 193, "observer": 2}


def test_each_state_has_its_regional_group_and_the_observers_none(db):
    groups = Counter(Country.objects.values_list("regional_group", flat=True))
    assert groups == {
        "African States": 54,
        "Asia-Pacific States": 54,
        "Eastern European States": 23,
        "Latin American and Caribbean States": 33,
        "Western European and other States": 29,
        "": 2,
    }
    assert Country.objects.get(iso3="TUR").regional_group == "Western European and other States"
