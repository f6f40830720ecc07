from django import template
from django.utils.safestring import mark_safe

from articles.models import Disclaimer

register = template.Library()


@register.simple_tag
def medical_disclaimer() -> str:
    # Markdown rendered and sanitised when an editor saved it; read from the cache.
    return mark_safe(Disclaimer.current_html())
