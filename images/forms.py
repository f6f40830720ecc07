from django import forms
from django.core.files.uploadedfile import UploadedFile

from .models import Image
from .processing import process_upload

ALT_TEXT_REQUIRED = "Describe the picture for people who cannot see it."


class ImageForm(forms.ModelForm):
    """A new picture for the library, from its admin page or from the article editor's
    chooser: the file is checked and re-encoded while the form is cleaned, before anything
    is written (`images.library.add_image` writes it)."""

    upload = forms.FileField(
        label="Picture",
        help_text="JPEG, PNG, WebP or GIF; at most 10 MB and 40 megapixels. It is re-encoded: "
        "location and camera data are removed.",
    )

    class Meta:
        model = Image
        fields: tuple[str, ...] = ("title", "alt_text", "caption", "credit", "tags")

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        return process_upload(upload) if isinstance(upload, UploadedFile) else upload


class ChooserUploadForm(ImageForm):
    """The chooser's upload: what a picture needs in an article, and no more."""

    field_order = ("upload", "alt_text", "caption", "credit")

    class Meta(ImageForm.Meta):
        fields: tuple[str, ...] = ("alt_text", "caption", "credit")
        error_messages = {"alt_text": {"required": ALT_TEXT_REQUIRED}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
