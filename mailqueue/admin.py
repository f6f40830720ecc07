from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from healthsite.mail import send_failed_email_again

from .models import FailedEmail


@admin.register(FailedEmail)
class FailedEmailAdmin(admin.ModelAdmin):
    """The emails the mail server would not take, newest first: what was sent to whom, and
    the server's last answer. Editors send them again once the cause is fixed (the server
    is back, the address corrected), or delete them."""

    list_display = ("subject", "to", "last_error", "attempts", "failed_at")
    list_filter = ("failed_at",)
    search_fields = ("to", "subject", "last_error")
    readonly_fields = (
        "to", "subject", "body", "headers", "failure", "last_error", "attempts", "failed_at",
    )  # fmt: skip
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Only the mail queue writes them: an email made up here would have no sender's
        # context and could go to anyone.
        return False

    @admin.action(description="Send the selected emails again", permissions=["change"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[FailedEmail]) -> None:
        count = 0
        for failed in queryset:
            send_failed_email_again(failed)
            count += 1
        self.message_user(
            request,
            f"{count} email(s) queued again: any the server still refuses come back here.",
            messages.SUCCESS,
        )
