"""The whole story through the page forms, without a browser: each form calls its action."""

from letters.models import Delivery, Letter, Signature


def test_the_story_through_the_forms(penholder, signer, second_signer, addressee, viewer):
    response = penholder.web.post(
        "/letters/new/",
        {
            "title": "On the assessment",
            "addressee": "ohchr",
            "body": "We urge restraint.",
            "note": "First draft",
            "language": "en",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    base = f"/letters/{letter.id}"
    assert (
        penholder.web.post(f"{base}/circulate", {"invitees": "pak, cub", "deadline": "2030-01-01T12:00"}).status_code
        == 302
    )
    version = letter.versions.get()
    assert signer.web.post(f"{base}/sign", {"version": 1, "version_hash": version.hash}).status_code == 302
    assert (
        penholder.web.post(
            f"{base}/revise/",
            {"title": "On the assessment", "body": "We urge great restraint.", "note": "Stronger", "base_version": 1},
        ).status_code
        == 302
    )
    page = signer.web.get(f"{base}/").content.decode()
    assert "re-confirm" in page and "<ins>great </ins>" in page
    v2 = letter.versions.get(number=2)
    assert signer.web.post(f"{base}/sign", {"version": 2, "version_hash": v2.hash}).status_code == 302
    assert second_signer.web.post(f"{base}/sign", {"version": 2, "version_hash": v2.hash}).status_code == 302
    assert second_signer.web.post(f"{base}/withdraw", {"reason": "Instructions changed"}).status_code == 302
    assert penholder.web.post(f"{base}/visibility", {"names_visible_to": "invitees"}).status_code == 302
    assert penholder.web.post(f"{base}/deliver", {"version": 2}).status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.signatories == ["pak"]
    page = addressee.web.get(f"/deliveries/{delivery.id}/").content.decode()
    assert "Acknowledge receipt" in page and "Pakistan" in page
    assert addressee.web.post(f"/deliveries/{delivery.id}/acknowledge").status_code == 302
    assert Delivery.objects.get().acknowledged_at is not None
    assert penholder.web.post(f"{base}/publish").status_code == 302
    assert Letter.objects.get().status == "published"
    assert Signature.objects.get(organisation__slug="cub").withdrawal_reason == "Instructions changed"


def test_the_penholder_sees_who_opened_which_version(letter, penholder, signer):
    signer.web.get(f"/letters/{letter['id']}/")
    page = penholder.web.get(f"/letters/{letter['id']}/").content.decode()
    assert "Invitees: versions opened and signed" in page
    assert "v1" in page


def test_a_viewer_cannot_open_another_organisations_delivery(delivered, viewer, outsider):
    assert outsider.web.get(f"/deliveries/{delivered['delivery']['id']}/").status_code == 404
    assert viewer.web.get(f"/deliveries/{delivered['delivery']['id']}/").status_code == 404


def test_the_diff_fragment_shows_word_changes(letter, penholder):
    from tests.web.conftest import new_version

    new_version(penholder, letter, "The assessment will intensify politicization.")
    page = penholder.web.get(f"/letters/{letter['id']}/diff?from=1&to=2").content.decode()
    assert "<del>" in page and "<ins>" in page
