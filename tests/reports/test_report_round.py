"""A report's round with the State concerned, through the API: written, shared, acknowledged,
commented on, revised, published; each refusal with its own code."""

from tests.reports.conftest import REPORT, in_days


def test_the_office_writes_a_report_as_its_first_version(written):
    assert written["status"] == "draft"
    assert written["office"] == "ohchr" and written["concerning"] == "chn"
    assert written["current_version"] == 1 and len(written["current_hash"]) == 64


def test_a_repeated_identical_request_answers_200_with_the_same_report(office, written):
    again = office.api.post("/reports", REPORT)
    assert again.status_code == 200 and again.json()["id"] == written["id"]


def test_the_office_shares_a_version_with_the_state_and_the_state_acknowledges(shared, state_signer):
    assert shared["status"] == "shared" and shared["shares"][0]["version"] == 1
    ack = state_signer.api.post(f"/reports/{shared['id']}/acknowledge")
    assert ack.status_code == 201 and ack.json()["acknowledged_at"]
    assert state_signer.api.post(f"/reports/{shared['id']}/acknowledge").status_code == 200


def test_sharing_an_unknown_version_is_refused(office, written):
    response = office.api.post(
        f"/reports/{written['id']}/share", {"version": 7, "version_hash": "0" * 64, "deadline": in_days(30)}
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_version"


def test_sharing_with_a_stale_hash_is_refused(office, written):
    response = office.api.post(
        f"/reports/{written['id']}/share", {"version": 1, "version_hash": "0" * 64, "deadline": in_days(30)}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"


def test_the_states_signer_comments_on_the_shared_version_signed_with_its_key(shared, state_signer):
    response = state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "We reject the assessment.", "version_hash": shared["current_hash"], "annex": True},
    )
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment["annex"] is True and comment["late"] is False and comment["signature"]
    assert comment["organisation"] == "chn" and comment["version"] == 1


def test_comments_after_the_deadline_are_recorded_as_late(office, written, state_signer):
    import datetime

    from reports import actions

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)
    actions.share(office.user, written["id"], version=1, version_hash=written["current_hash"], deadline=in_days(30))
    made = actions.comment(
        state_signer.user, written["id"], version_hash=written["current_hash"], annex=False, body="Late.", at=later
    )
    assert made.object.late is True


def test_comments_by_a_state_that_is_not_concerned_are_refused(shared, signer, office, state_signer):
    before = signer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "Us too.", "version_hash": shared["current_hash"], "annex": False}
    )
    assert before.status_code == 404  # before publication the report does not exist for other States
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})
    after = signer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "Us too.", "version_hash": shared["current_hash"], "annex": False}
    )
    assert after.status_code == 403 and after.json()["error"]["code"] == "not_concerned"


def test_a_viewer_of_the_state_may_not_comment(shared, orgs):
    from tests.conftest import make_persona

    state_viewer = make_persona("wang", [("chn", "viewer")])
    response = state_viewer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "x", "version_hash": shared["current_hash"], "annex": False}
    )
    assert response.status_code == 403


def test_comments_after_publication_are_refused(shared, office, state_signer):
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})
    response = state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Too late.", "version_hash": shared["current_hash"], "annex": True},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "illegal_transition"


def test_publishing_a_version_never_shared_is_refused(shared, office):
    revised = office.api.post(
        f"/reports/{shared['id']}/versions", {"body": "Revised text.", "note": "After comments", "base_version": 1}
    ).json()
    response = office.api.post(f"/reports/{shared['id']}/publish", {"version": 2, "version_hash": revised["hash"]})
    assert response.status_code == 409 and response.json()["error"]["code"] == "version_not_shared"


def test_a_draft_never_shared_cannot_be_published(written, office):
    response = office.api.post(
        f"/reports/{written['id']}/publish", {"version": 1, "version_hash": written["current_hash"]}
    )
    assert response.status_code == 409


def test_a_revision_names_the_comments_it_answers_and_is_shared_again(shared, office, state_signer):
    comment = state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Paragraph 3 is wrong.", "version_hash": shared["current_hash"], "annex": True},
    ).json()
    revised = office.api.post(
        f"/reports/{shared['id']}/versions",
        {
            "body": "Revised text.",
            "note": f"Answers comment {comment['id']}",
            "base_version": 1,
            "answers": [comment["id"]],
        },
    )
    assert revised.status_code == 201 and revised.json()["answers"] == [comment["id"]]
    again = office.api.post(
        f"/reports/{shared['id']}/share",
        {"version": 2, "version_hash": revised.json()["hash"], "deadline": in_days(10)},
    )
    assert again.status_code == 201


def test_a_stale_base_version_is_refused(shared, office):
    office.api.post(f"/reports/{shared['id']}/versions", {"body": "Two.", "note": "n", "base_version": 1})
    response = office.api.post(f"/reports/{shared['id']}/versions", {"body": "Three.", "note": "n", "base_version": 1})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"


def test_publication_carries_the_annexed_comments(shared, office, state_signer, anonymous):
    state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Annex me.", "version_hash": shared["current_hash"], "annex": True},
    )
    state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Not this.", "version_hash": shared["current_hash"], "annex": False},
    )
    published = office.api.post(
        f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]}
    )
    assert published.status_code == 201 and published.json()["status"] == "published"
    public = anonymous.get(f"/public/reports/{shared['handle']}").json()
    assert [c["body"] for c in public["comments"]] == ["Annex me."]
    assert public["body"] and public["published_version"] == 1
    again = office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})
    assert again.status_code == 200


def test_publication_after_a_deadline_with_no_comments_records_that_none_came(office, written):
    import datetime

    from reports import actions

    actions.share(office.user, written["id"], version=1, version_hash=written["current_hash"], deadline=in_days(30))
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31)
    report = actions.publish(office.user, written["id"], version=1, version_hash=written["current_hash"], at=later)
    assert report.object.none_by_deadline is True


def test_each_step_is_an_event_on_the_log(shared, state_signer, office, anonymous):
    state_signer.api.post(f"/reports/{shared['id']}/acknowledge")
    state_signer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "C.", "version_hash": shared["current_hash"], "annex": True}
    )
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})
    public = anonymous.get(f"/public/reports/{shared['handle']}").json()
    assert [step["type"] for step in public["timeline"]] == [
        "report.created",
        "report.shared",
        "report.acknowledged",
        "report.commented",
        "report.published",
    ]
    assert all(isinstance(step["index"], int) and step["time"] for step in public["timeline"])


def test_someone_who_drafts_for_no_organisation_may_not_write_a_report(state_signer):
    response = state_signer.api.post("/reports", REPORT)

    assert response.status_code == 403


def test_comments_are_not_annexed_unless_the_state_asks(shared, state_signer):
    response = state_signer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "Not for the annex.", "version_hash": shared["current_hash"]}
    )

    assert response.status_code == 201 and response.json()["annex"] is False
