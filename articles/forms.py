from django import forms


class HelpfulForm(forms.Form):
    """ "Was this page helpful?": the button pressed, and an optional comment."""

    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        required=False,
        max_length=1000,
        label="Anything we could do better? (optional, do not include personal details)",
        widget=forms.Textarea,
    )
