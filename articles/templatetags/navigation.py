from django import template

from articles.models import Category

register = template.Library()


@register.inclusion_tag("tags/breadcrumbs.html")
def breadcrumbs(category: Category, *, current: bool = False) -> dict:
    """Every category from the root down to `category`, from data stored at save: no query.

    With `current=True` the last crumb is the page being shown, so it is marked
    `aria-current` instead of linked.
    """
    return {"crumbs": category.ancestry, "current": current}
