"""Loading history (the demo) mails nobody; the same change made live does."""

from letters import notify


def test_changes_committed_while_suppressed_mail_nobody(
    penholder, signer, second_signer, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with notify.suppressed(), django_capture_on_commit_callbacks(execute=True):
        penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"]})
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["cub"]})
    assert [message.to for message in mailoutbox] == [["carlos@example.org"]]
