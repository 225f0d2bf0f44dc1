"""Which kinds of mail a person receives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from letters.models import MAIL_KINDS, NotificationPreference

LABELS = {
    "invited": gettext_lazy("Invitations to sign a letter"),
    "new_version": gettext_lazy("A new version of a letter I signed"),
    "reminder": gettext_lazy("Reminders before a signature deadline"),
    "delivered": gettext_lazy("Letters delivered to my organisation"),
    "acknowledged": gettext_lazy("Receipts for letters we delivered"),
    "comments": gettext_lazy("New comments on a draft I hold or am invited to sign"),
}


@login_required
def notification_settings(request):
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    if request.method == "POST":
        for kind in MAIL_KINDS:
            setattr(preference, kind, request.POST.get(kind) == "on")
        # Mail comes in the language the person reads this page in when they save it.
        preference.language = translation.get_language() or ""
        preference.save()
        messages.success(request, _("Your mail settings are saved."))
        return redirect("web:notifications")
    rows = [{"kind": kind, "label": LABELS[kind], "on": preference.wants(kind)} for kind in MAIL_KINDS]
    return render(request, "web/notifications.html", {"rows": rows})
