from django import template

from articles.editorial.workflow import can_publish
from articles.feedback import Summary, least_helpful, min_answers, summarise
from articles.models import Article

register = template.Library()

PANEL_LIMIT = 10


@register.simple_tag
def article_feedback(article: Article | None) -> Summary | None:
    """Readers' answers about the article on its admin page (whoever may open that page
    reads them); None for a new article or a pending version, which readers never see."""
    if article is None or article.pk is None or article.live_id is not None:
        return None
    return summarise(article)


@register.inclusion_tag("tags/least_helpful_panel.html", takes_context=True)
def least_helpful_panel(context: template.Context) -> dict:
    """The admin home page's list of the published articles readers found least helpful:
    every article for editors, their own for authors; medical reviewers and moderators,
    whose home pages list their own work, see no such panel. One query."""
    user = context["request"].user
    articles = Article.objects.all()
    if not can_publish(user):
        if user.has_perm("articles.review_article") or not user.has_perm("articles.add_article"):
            return {"show": False}
        articles = articles.filter(author=user)
    return {
        "show": True,
        "articles": least_helpful(articles, limit=PANEL_LIMIT),
        "min_answers": min_answers(),
        "own": not can_publish(user),
    }
