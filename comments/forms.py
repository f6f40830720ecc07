from typing import Any, TypedDict

from django import forms

from .models import Comment, Report


class CommentTextField(forms.CharField):
    """Comment text whose line breaks are made single newlines before its length is checked.

    Browsers count a line break as one character against the textarea's maxlength but send
    it as CR LF; without this, text the browser let through is refused here, and every line
    break costs two of the 5,000 characters.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class _BodyFieldOptions(TypedDict):
    label: str
    min_length: int
    max_length: int
    help_text: str


BODY_FIELD: _BodyFieldOptions = {
    "label": "Your comment",
    "min_length": 2,
    "max_length": 5000,
    "help_text": "Plain text, 2 to 5,000 characters. Web addresses become links. "
    "Please do not share personal medical details.",
}


class CommentForm(forms.Form):
    body = CommentTextField(widget=forms.Textarea(attrs={"rows": 5}), **BODY_FIELD)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    notify_replies = forms.BooleanField(required=False, label="Email me when someone replies")
    # A honeypot: hidden from people by CSS and from assistive technology by aria-hidden on
    # its wrapper; bots that fill every field fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article=None, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("This comment looks automated and was not saved.")
        return ""

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        # Replies go one level deep, to a comment readers can see on this article.
        parent = (
            Comment.objects.visible()
            .filter(article=self.article, parent__isnull=True, pk=parent_id)
            .select_related("user")
            .first()
        )
        if parent is None:
            raise forms.ValidationError("The comment you replied to is no longer there.")
        return parent


class EditCommentForm(forms.Form):
    body = CommentTextField(widget=forms.Textarea(attrs={"rows": 6}), **BODY_FIELD)


class StaffReplyForm(forms.Form):
    """A reply from the admin. Its label names who it is from ("Reply as Amara Okafor"):
    the reply is posted under their name and role, at once."""

    body = CommentTextField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        **(
            BODY_FIELD
            | {
                "help_text": "Plain text, 2 to 5,000 characters. Web addresses become links. "
                "Your reply shows on the article at once, under your name and role."
            }
        ),
    )

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = f"Reply as {name}"


class ReportForm(forms.ModelForm):
    # The model field's choices without the blank "- Select an option -" a ModelForm adds:
    # as a radio, it was chosen by default and refused on sending. No reason is chosen for
    # the reader; sending none says so, keeping the note.
    reason = forms.ChoiceField(
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this comment?",
        error_messages={"required": "Please choose what is wrong with this comment."},
    )

    class Meta:
        model = Report
        fields = ("reason", "note")
        labels = {"note": "Anything to add? (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
