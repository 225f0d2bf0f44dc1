"""Letters in the admin are read-only: every change goes through letters.actions and the log."""

from django.contrib import admin

from letters.models import Delivery, Letter, Signature, Version


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["id", "penholder", "addressee", "status", "current_version", "created_at"]
    list_filter = ["status"]


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["letter", "number", "author", "note", "created_at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["letter", "organisation", "version", "signed_at", "late", "withdrawn_at", "replaced_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["letter", "version", "delivered_at", "acknowledged_at"]
