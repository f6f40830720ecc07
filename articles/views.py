from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from comments.forms import CommentForm
from comments.threads import thread_page

from .models import Article, Category
from .pagination import WindowPaginator


class ArticleListView(ListView):
    """Newest published articles first, paginated; an out-of-range page is a 404."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = WindowPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(ArticleListView):
    template_name = "articles/home.html"


class CategoryView(ArticleListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, path=self.kwargs["path"])
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, subcategories=self.category.children.all(), **kwargs
        )


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("author", "category")
            .prefetch_related("tags")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = thread_page(article=self.object, user=user, number=self.request.GET.get("comments"))
        return super().get_context_data(
            comment_page=page,
            comment_form=CommentForm(article=self.object),
            can_comment=user.is_authenticated
            and user.email_confirmed
            and not self.object.comments_closed,
            **kwargs,
        )
