// Passkeys: the registration ceremony on the passkeys page, and signing (or withdrawing) with a
// passkey on the letter page, delivering on the delivery's confirmation, acknowledging a delivery on its page. Plain JavaScript, no build step; the pages work without it for everything else.
// Messages come from the page's data attributes, already in the reader's language.
"use strict";

(function () {
  function csrfToken(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  async function postJSON(url, form, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      throw new Error((answer.error && answer.error.message) || response.statusText);
    }
    return answer;
  }

  function supported() {
    return window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON &&
      PublicKeyCredential.parseRequestOptionsFromJSON;
  }

  function say(form, status, text) {
    status.textContent = text;
  }

  // Registration: options from the server, the device makes a key pair, the server checks and
  // registers the public half.
  function setUpRegistration(form) {
    const status = form.querySelector("#passkey-status");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (!supported()) { say(form, status, form.dataset.unsupported); return; }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      say(form, status, form.dataset.working);
      try {
        const options = await postJSON(form.dataset.optionsUrl, form);
        const credential = await navigator.credentials.create({
          publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
        });
        const organisation = form.querySelector("[name=organisation]").value;
        await postJSON(form.dataset.addUrl, form, { organisation: organisation, credential: credential.toJSON() });
        say(form, status, form.dataset.added);
        window.location.reload();
      } catch (error) {
        say(form, status, form.dataset.failed + " " + error.message);
        button.disabled = false;
      }
    });
  }

  // Signing: the page already shows the statement in words; the server gives the challenge (the
  // SHA-256 of the statement's bytes) and the member's credentials, the device signs it, and the
  // form carries the assertion to the server as the proof.
  function setUpSigning(form) {
    const status = form.querySelector(".passkey-sign-status");
    form.addEventListener("submit", async function (event) {
      if (form.querySelector("input[name=proof]").value) { return; }  // the assertion is in: send it
      event.preventDefault();
      if (!supported()) { say(form, status, form.dataset.unsupported); return; }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      say(form, status, form.dataset.working);
      try {
        const prepared = await postJSON(form.dataset.challengeUrl, form, {
          action: form.dataset.action,
          version: Number(form.dataset.version || 0),
          organisation: form.dataset.organisation,
          delivery: Number(form.dataset.delivery || 0),
        });
        if (form.dataset.expectedDelivery && prepared.statement.delivery !== form.dataset.expectedDelivery) {
          // The lists changed after the page was shown: the device would sign a delivery its
          // user has not read.
          say(form, status, form.dataset.changed);
          return;
        }
        const credential = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(prepared.options),
        });
        form.querySelector("input[name=proof]").value = JSON.stringify({
          kind: "webauthn",
          credential: credential.toJSON(),
        });
        form.submit();
      } catch (error) {
        say(form, status, form.dataset.failed + " " + error.message);
        button.disabled = false;
      }
    });
  }

  const registration = document.getElementById("passkey-add");
  if (registration) { setUpRegistration(registration); }
  document.querySelectorAll("form.passkey-sign").forEach(setUpSigning);
})();
