from functools import partial

from django.contrib import admin
from django.forms.widgets import Script
from django.urls import path, reverse_lazy
from django.utils.html import format_html

from . import views
from .forms import ImageForm
from .library import add_image
from .models import THUMBNAIL_WIDTH, Image

# What a page shows of a picture besides the picture itself.
FIGURE_FIELDS = {"alt_text", "caption", "credit"}

# The article editor's "Insert a picture" button and its dialog (static/js/image-chooser.js),
# told where the chooser is: forms that offer it list these in their Media.
CHOOSER_SCRIPT = Script(
    "js/image-chooser.js",
    defer=True,
    **{
        "data-chooser-url": reverse_lazy("admin:images_image_chooser"),
        "data-upload-url": reverse_lazy("admin:images_image_chooser_upload"),
    },
)
CHOOSER_STYLESHEET = "css/image-chooser.css"


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library. The picture is chosen once, at upload; its text can be edited.
    (articles.admin extends it: article bodies show a picture's text.)"""

    list_display = (
        "thumbnail", "title", "alt_text", "caption", "credit", "width", "height", "created_at",
    )  # fmt: skip
    search_fields = ("title", "alt_text", "caption", "credit", "tags__name")
    readonly_fields = ("thumbnail", "usage", "width", "height", "created_at")

    def get_urls(self):
        own = [
            path(
                "chooser/",
                self.admin_site.admin_view(partial(views.chooser_view, self)),
                name="images_image_chooser",
            ),
            path(
                "chooser/upload/",
                self.admin_site.admin_view(partial(views.chooser_upload_view, self)),
                name="images_image_chooser_upload",
            ),
        ]
        return own + super().get_urls()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImageForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("upload", "alt_text", "caption", "credit", "title", "tags")
        return (
            "thumbnail", "usage", "alt_text", "caption", "credit", "title", "tags", "width",
            "height",
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change:
            add_image(image=obj, picture=form.cleaned_data["upload"], by=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description="Picture")
    def thumbnail(self, obj: Image) -> str:
        if obj.smallest() is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}">',
            obj.thumbnail_url(),
            THUMBNAIL_WIDTH,
            obj.thumbnail_height,
        )

    @admin.display(description="Use it")
    def usage(self, obj: Image) -> str:
        return (
            f"Hero image: choose #{obj.pk}. In an article body, a line of its own: [image:{obj.pk}]"
        )
