from django.contrib import admin

from orgs.models import ApiToken, Member, Organisation


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
    list_display = ["prefix", "user", "created_at"]
    readonly_fields = ["prefix", "digest", "user", "created_at"]

    def has_add_permission(self, request):
        return False  # tokens are shown once, so they are made by `undersigned token create`
