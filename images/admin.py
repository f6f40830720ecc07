from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html

from .library import add_image
from .models import Image
from .processing import process_upload

# What a page shows of a picture besides the picture itself.
FIGURE_FIELDS = {"alt_text", "caption", "credit"}


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Picture",
        help_text="JPEG, PNG, WebP or GIF; at most 10 MB and 40 megapixels. It is re-encoded: "
        "location and camera data are removed.",
    )

    class Meta:
        model = Image
        fields = ("alt_text", "caption", "credit")

    def clean_upload(self):
        # Checked and re-encoded here, before anything is written.
        upload = self.cleaned_data["upload"]
        return process_upload(upload) if isinstance(upload, UploadedFile) else upload


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library. The picture is chosen once, at upload; its text can be edited.
    (articles.admin extends it: article bodies show a picture's text.)"""

    list_display = ("thumbnail", "alt_text", "caption", "credit", "width", "height", "created_at")
    search_fields = ("alt_text", "caption", "credit")
    readonly_fields = ("thumbnail", "usage", "width", "height", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImageForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("upload", "alt_text", "caption", "credit")
        return ("thumbnail", "usage", "alt_text", "caption", "credit", "width", "height")

    def save_model(self, request, obj, form, change):
        if not change:
            add_image(image=obj, picture=form.cleaned_data["upload"], by=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description="Picture")
    def thumbnail(self, obj: Image) -> str:
        smallest = min(
            (r for r in obj.renditions if r["format"] == "jpg"),
            key=lambda rendition: rendition["width"],
            default=None,
        )
        if smallest is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="160" height="{}">',
            default_storage.url(smallest["name"]),
            round(160 * obj.height / obj.width),
        )

    @admin.display(description="Use it")
    def usage(self, obj: Image) -> str:
        return (
            f"Hero image: choose #{obj.pk}. In an article body, a line of its own: [image:{obj.pk}]"
        )
