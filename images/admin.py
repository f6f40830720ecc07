from functools import partial
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.forms.widgets import Script
from django.urls import path, reverse_lazy
from django.utils.html import format_html

from healthsite.file_storage import StorageFailed

from . import views
from .forms import ImageForm
from .library import PICTURE_NOT_SAVED, add_image, remove_images
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

    # Deleting, one picture or a selection: the rows, then their files (images.library).
    def delete_model(self, request, obj):
        remove_images(images=[obj])

    def delete_queryset(self, request, queryset):
        remove_images(images=queryset)

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except StorageFailed:
            return self._picture_not_saved(request, form_url)

    def _picture_not_saved(self, request, form_url):
        """The add form again, 503, with what was typed and the reason on the picture
        field, after add_image() could not write the files (and removed what it had):
        the admin's own page, built as its add view builds it (tests/test_storage_failures
        fails if that changes)."""
        fieldsets: Any = self.get_fieldsets(request)
        form_class = self.get_form(request, None, change=False)
        form = form_class(request.POST, request.FILES)
        form.is_valid()
        form.add_error("upload", PICTURE_NOT_SAVED)
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request),
            self.get_readonly_fields(request),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add {self.opts.verbose_name}",
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
        }
        response = self.render_change_form(request, context, add=True, form_url=form_url)
        response.status_code = 503
        return response

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
