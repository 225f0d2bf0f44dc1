from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from orgs.models import ApiToken, Member, Organisation, OwnKey


class MemberInline(admin.TabularInline):
    model = Member
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "country", "regional_group", "key_log_index"]
    list_filter = ["kind", "regional_group"]
    search_fields = ["slug", "name", "country"]
    # Keys are made, registered in the log and encrypted by orgs.actions, never typed in.
    exclude = ["public_key", "encrypted_seed"]
    readonly_fields = ["key_log_index"]
    inlines = [MemberInline]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        from orgs.actions import add_organisation

        created, _ = add_organisation(obj.slug, obj.name, obj.kind, obj.country, obj.regional_group, obj.email)
        obj.pk = created.pk


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__slug"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here by a superuser (or by `undersigned token create`) and shown once, on
    the page that answers the form: only their SHA-256 is stored. Deleting one revokes it.
    Reloading that page sends the form again, and so makes a second token."""

    list_display = ["prefix", "user", "created_at"]
    search_fields = ["prefix", "user__username"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        # A token acts as its user, so whoever makes one can act for any organisation: that is
        # a superuser's power, not every staff member's.
        return request.user.is_superuser

    def get_fields(self, request, obj=None):
        return ["user"] if obj is None else ["prefix", "user", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["prefix", "user", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token can change
        token = ApiToken.issue(obj.user)
        issued = ApiToken.objects.get(digest=ApiToken.digest_of(token))
        obj.pk, obj.digest, obj.prefix, obj.created_at = issued.pk, issued.digest, issued.prefix, issued.created_at
        request._issued_token = token  # for response_add alone: never stored, never redirected with

    def response_add(self, request, obj, post_url_continue=None):
        """The token itself, once, on this response (no redirect, so it is in no URL, message
        cookie or session), and kept out of caches."""
        response = TemplateResponse(
            request,
            "admin/orgs/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("API token created"),
                "token": request._issued_token,
                "token_user": obj.user,
            },
        )
        response["Cache-Control"] = "no-store"
        return response


@admin.register(OwnKey)
class OwnKeyAdmin(admin.ModelAdmin):
    """Keys members hold, to look at: each change is an event on the log, so it goes through
    orgs.key_actions (the API, the pages), never through this form."""

    list_display = ["fingerprint", "kind", "organisation", "member", "status", "registered_log_index"]
    list_filter = ["kind", "status"]
    search_fields = ["fingerprint", "organisation__slug", "member__username"]
    exclude = ["public_key", "credential_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
