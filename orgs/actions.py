"""Creating organisations and members: each organisation's key is registered in the log."""

import base64
import csv
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import Invalid
from core.text import refuse_invisible_characters
from ledger import events
from orgs import keys
from orgs.models import KIND_OBSERVER, KIND_STATE, KIND_UN_OFFICE, KINDS, ROLES, Member, Organisation
from record.log import append_event

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def add_organisation(
    slug: str, name: str, kind: str, country: str = "", regional_group: str = "", email: str = "", at=None
) -> tuple[Organisation, bool]:
    """Create an organisation with a fresh key, registered in the log; idempotent by slug."""
    _check_organisation(slug, name, kind, country, regional_group, email)
    with transaction.atomic():
        existing = Organisation.objects.filter(slug=slug).first()
        if existing:
            return existing, False
        public_key, encrypted_seed = keys.new_keypair()
        organisation = Organisation.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            country=country.upper(),
            regional_group=regional_group,
            email=email,
            public_key=public_key,
            encrypted_seed=encrypted_seed,
        )
        appended = append_event(
            events.ORG_REGISTERED,
            at or timezone.now(),
            {
                "org": slug,
                "name": name,
                "kind": kind,
                "country": country.upper() or None,
                "key": base64.b64encode(public_key).decode(),
            },
        )
        Organisation.objects.filter(pk=organisation.pk).update(key_log_index=appended.index)
        organisation.key_log_index = appended.index
        return organisation, True


def _check_organisation(slug, name, kind, country, regional_group, email) -> None:
    if not SLUG_PATTERN.match(slug or ""):
        raise Invalid("A slug is 1 to 64 lowercase letters, digits and hyphens, starting with a letter or digit.")
    if not (name or "").strip() or len(name) > 200:
        raise Invalid("A name is required (at most 200 characters).")
    refuse_invisible_characters(name, "name")
    if kind not in dict(KINDS):
        raise Invalid(f"Unknown kind {kind!r}; expected one of {', '.join(dict(KINDS))}.")
    if country and not re.fullmatch(r"[A-Za-z]{3}", country):
        raise Invalid("A country is an ISO 3166-1 alpha-3 code, such as CHE.")
    _check_field(Organisation, "regional_group", regional_group)
    _check_field(Organisation, "email", email)


def _check_field(model, name: str, value) -> None:
    """The model field's own checks (length, format), which saving alone does not run: SQLite
    would store a 500-character username that Django's forms refuse."""
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        raise Invalid(f"{name}: {' '.join(error.messages)}", field=name) from None


def add_member(
    username: str, organisation_slug: str, role: str, email: str = "", password: str | None = None
) -> Member:
    if role not in dict(ROLES):
        raise Invalid(f"Unknown role {role!r}; expected one of {', '.join(dict(ROLES))}.")
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        raise Invalid(f"No organisation has the slug {organisation_slug!r}.")
    user_model = get_user_model()
    _check_field(user_model, user_model.USERNAME_FIELD, username)
    _check_field(user_model, "email", email)
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        member, _ = Member.objects.get_or_create(user=user, organisation=organisation, role=role)
    return member


def mission_slug(iso3: str) -> str:
    return iso3.lower()


UN_STATES_COLUMNS = ("iso3", "name", "status", "regional_group")


def import_un_states(csv_path: Path, at=None) -> int:
    """Load the UN Member and observer States as Geneva missions, and the OHCHR; return how many
    were new. All or nothing: a refused row (named by file and line) adds no organisation."""
    created = 0
    with transaction.atomic(), open(csv_path, newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        missing = [column for column in UN_STATES_COLUMNS if column not in (rows.fieldnames or [])]
        if missing:
            raise Invalid(f"{csv_path}: the header lacks the column(s) {', '.join(missing)}.")
        for row in rows:
            kind = KIND_OBSERVER if row["status"] == "observer" else KIND_STATE
            try:
                _, new = add_organisation(
                    mission_slug(row["iso3"] or ""),
                    row["name"],
                    kind,
                    row["iso3"] or "",
                    row["regional_group"] or "",
                    at=at,
                )
            except Invalid as refusal:
                raise Invalid(f"{csv_path}:{rows.line_num}: {refusal.message}", **refusal.details) from None
            created += new
        _, new = add_organisation(
            "ohchr", "Office of the United Nations High Commissioner for Human Rights", KIND_UN_OFFICE, at=at
        )
    return created + new
