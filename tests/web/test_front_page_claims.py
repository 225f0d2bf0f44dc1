"""The front page shows anonymous visitors the latest claims checked against the register."""

from register.claims import save_claim
from register.importer import import_files


def test_an_anonymous_visitor_sees_the_latest_claim_and_its_verdict_in_french(client, db, tmp_path):
    text = tmp_path / "texts.csv"
    text.write_text(
        "text,kind,forum,session,date,title,lead,symbol,topic,reported_count,source\n"
        "st-1,joint_statement,HRC,50,2022-06-14,A statement,CUB,,Xinjiang,69,a source\n",
        encoding="utf-8",
    )
    import_files([text])
    claim, _ = save_claim("Nearly 100 countries supported it", 100, ["st-1"])

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 200
    assert f"/register/claims/{claim.id}" in page.content.decode()
    assert "Affirmations vérifiées dans le registre" in page.content.decode()
