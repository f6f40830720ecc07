from django import template

from articles.models import Category

register = template.Library()


@register.inclusion_tag("tags/breadcrumbs.html")
def breadcrumbs(category: Category, *, current: bool = False) -> dict:
    """Every category from the root down to `category`, in one query.

    With `current=True` the last crumb is the page being shown, so it is marked
    `aria-current` instead of linked.
    """
    ancestors = sorted(
        Category.objects.filter(path__in=category.ancestor_paths()).only("name", "path"),
        key=lambda node: node.path.count("/"),
    )
    return {"crumbs": ancestors, "current": current}
