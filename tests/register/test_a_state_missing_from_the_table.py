"""A name the resolver knows (from core/data) whose State is missing from the Country table, as
when the table was loaded from an older list, is a 404 that names it, never a server error."""

from register.models import Country
from tests.conftest import ApiClient


def test_a_state_the_names_know_but_the_table_lacks_is_404(db):
    Country.objects.filter(iso3="TUV").delete()

    response = ApiClient().get("/register/countries/TUV")

    assert response.status_code == 404
    assert "TUV" in response.json()["error"]["message"]
