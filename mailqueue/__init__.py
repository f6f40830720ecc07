"""What the mail queue keeps: the emails it could not send, for editors to send again, and
the key of each one the mail server took, so that no email goes out twice.

Emails are queued and sent by healthsite.mail; this app holds only its records and their
admin, below every other app."""
