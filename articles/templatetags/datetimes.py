"""`{{ value|datetime_attribute }}`: a moment as the `datetime` attribute of `<time>` wants it."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def datetime_attribute(value: datetime | date | None) -> str:
    """ISO 8601 in the site's time zone, to the second: HTML allows at most three digits of a
    second's fraction, and `date:"c"` gives the six that Python keeps. A date stays a date."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
