from django.db import models
from django.utils import timezone


class SentEmail(models.Model):
    """The key of an email the mail server took, or is being handed now.

    Claimed (inserted) before the message goes to the server and removed again if the
    server does not take it, so a delivery that runs a second time, or twice at once,
    finds the key taken and sends nothing (healthsite.mail.deliver_email). A row is a key
    and a time: a few megabytes a year, kept."""

    key = models.UUIDField(primary_key=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.key)


class FailedEmail(models.Model):
    """An email the mail server would not take: after every attempt at a temporary error,
    or at once when it refused it for good. Editors send it again, or delete it, in the
    admin."""

    # The key of the delivery that failed: sending it again keeps it, so the email still
    # goes out once however many times it is sent again.
    key = models.UUIDField(unique=True, editable=False)
    to = models.CharField("recipient", max_length=254)
    subject = models.TextField()
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    # What the log said of it ("Could not send the review digest to user 12").
    failure = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(help_text="The mail server's last answer, or the error.")
    attempts = models.PositiveSmallIntegerField()
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.to})"
