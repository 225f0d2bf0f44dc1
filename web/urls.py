from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from django.views.i18n import set_language

from web.views import (
    check,
    compose,
    deliveries,
    histories,
    home,
    letters,
    passkey_signing,
    passkeys,
    preferences,
    public,
    register,
    register_claims,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("letters/new/", compose.compose, name="compose"),
    path("letters/preview", compose.preview, name="preview"),
    path("letters/<int:letter_id>/", letters.letter_page, name="letter"),
    path("letters/<int:letter_id>/revise/", compose.revise, name="revise"),
    path("letters/<int:letter_id>/live", letters.live_counts, name="live"),
    path("letters/<int:letter_id>/diff", letters.diff_fragment, name="diff"),
    path("letters/<int:letter_id>/sign", letters.sign, name="sign"),
    path("letters/<int:letter_id>/passkey-challenge", passkey_signing.challenge, name="passkey_challenge"),
    path("letters/<int:letter_id>/sign-with-passkey", passkey_signing.sign_with_passkey, name="sign_with_passkey"),
    path("letters/<int:letter_id>/withdraw", letters.withdraw, name="withdraw"),
    path("letters/<int:letter_id>/circulate", letters.circulate, name="circulate"),
    path("letters/<int:letter_id>/visibility", letters.visibility, name="visibility"),
    path("letters/<int:letter_id>/deliver", letters.deliver, name="deliver"),
    re_path(r"^letters/(?P<letter_id>\d+)/(?P<action>close|publish|abandon)$", letters.transition, name="transition"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery_page, name="delivery"),
    path("deliveries/<int:delivery_id>/acknowledge", deliveries.acknowledge, name="acknowledge"),
    re_path(r"^p/(?P<handle>[A-Za-z0-9_-]{1,32})\.pdf$", public.public_pdf, name="public_pdf"),
    re_path(r"^p/(?P<handle>[A-Za-z0-9_-]{1,32})$", public.public_page, name="public"),
    path("check", check.check, name="check"),
    path("letters/", histories.history_page, name="histories"),
    path("settings/notifications/", preferences.notification_settings, name="notifications"),
    path("settings/passkeys/", passkeys.passkeys_page, name="passkeys"),
    path("settings/passkeys/options", passkeys.registration_options, name="passkey_options"),
    path("settings/passkeys/add", passkeys.add_passkey, name="passkey_add"),
    path("register/", register.index, name="register"),
    path("register/texts/<path:text>", register.text_page, name="register_text"),
    path("register/countries/<str:iso3>", register.country_page, name="register_country"),
    path("register/sessions/<str:session>", register.session_page, name="register_session"),
    path("register/votes/<path:text>", register.vote_page, name="register_vote"),
    path("register/claims/", register_claims.claim_form, name="register_claims"),
    path("register/claims/<str:claim_id>", register_claims.claim_page, name="register_claim"),
]
