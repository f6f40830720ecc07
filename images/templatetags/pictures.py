from django import template

from images.models import Image
from images.pictures import figure_html

register = template.Library()


@register.simple_tag
def figure(image: Image, *, eager: bool = False, css_class: str = "figure") -> str:
    """A library image as a `<figure>` with its `<picture>`, caption and credit."""
    return figure_html(image, eager=eager, css_class=css_class)
