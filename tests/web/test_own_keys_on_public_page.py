"""The public page says, in one sentence in the reader's language, how many signatures were
made with keys the signers hold rather than the keys the site keeps."""

import pytest

from tests.conftest import sign
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


@pytest.fixture
def signed_with_an_own_key(tmp_path, signer, second_signer, circulating):
    """pak signs with its SSH key, cub with its custodial key."""
    key = SshKey(tmp_path / "pak")
    signer.api.post("/keys", {"kind": "ssh", "public_key": key.public_line})
    statement = signer.api.get(f"/letters/{circulating['id']}/statement", action="sign", version=1).content
    proof = {"kind": "sshsig", "signature": key.sign(statement)}
    body = {"version": 1, "version_hash": circulating["current_hash"], "proof": proof}
    assert signer.api.post(f"/letters/{circulating['id']}/signatures", body).status_code == 201
    assert sign(second_signer, circulating).status_code == 201
    return circulating


def test_the_public_page_says_how_many_signatures_were_made_with_the_signers_own_keys(signed_with_an_own_key, client):
    page = client.get(f"/p/{signed_with_an_own_key['handle']}").content.decode()

    assert "Signatures made with keys their signers hold, which this site never sees: 1 of 2." in page


def test_it_says_so_in_the_readers_language(signed_with_an_own_key, client):
    page = client.get(f"/p/{signed_with_an_own_key['handle']}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert (
        "Signatures faites avec des clés que leurs signataires détiennent, que ce site ne voit jamais : 1 sur 2."
        in page
    )
