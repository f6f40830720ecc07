from typing import Any, cast

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordMixin,
    UsernameField,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string

from healthsite.mail import queue_mail

from .avatars import make_avatar
from .models import User

EMAIL_MAX_LENGTH = 254


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying that an email address works as well as a username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.label = "Username or email"
        username.widget.attrs["autocomplete"] = "username"
        # An email address may be longer than a username. Django's form only sets the
        # field's max_length, which checks nothing once the field exists: the validator
        # refuses a longer name before it is looked up or recorded as a failed sign-in.
        username.max_length = EMAIL_MAX_LENGTH
        username.widget.attrs["maxlength"] = EMAIL_MAX_LENGTH
        username.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))


class SignUpForm(SetPasswordMixin, forms.Form):
    """Username, email and password, checked with the site's password validators.

    A plain form rather than a ModelForm on purpose: whether the username or email is taken
    is not checked here, since a form error would tell anyone which accounts exist. The
    sign-up view answers every case alike and tells the address's owner by email.
    """

    username = UsernameField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Shown with your comments unless you set a display name. Letters, digits "
        "and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        max_length=254,
        help_text="We send a link to confirm it. It is never shown on the site.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        self.validate_passwords()
        super().clean()  # a Form's returns its cleaned_data
        cleaned = self.cleaned_data
        # Checked against a user that is not saved: "too similar to the username" and so on.
        # Under "Password", the field it is about (Django's default puts it under the
        # confirmation).
        self.validate_password_for_user(
            User(username=cleaned.get("username", ""), email=cleaned.get("email", "")),
            password_field_name="password1",
        )
        return cleaned


class ProfileForm(forms.ModelForm):
    # A plain file field: make_avatar checks the picture and says exactly what is wrong,
    # where Django's image field answers every problem (too many pixels included) with
    # one generic message before our checks run.
    avatar = forms.FileField(
        required=False,
        label="Photo",
        help_text="JPEG, PNG or WebP, at most 5 MB. It is cropped to a square.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = User
        fields = ("display_name", "bio", "avatar", "notify_replies", "notify_comments")
        labels = {
            "display_name": "Display name",
            "bio": "About you",
            "notify_replies": "Email me when someone replies to my comments",
            "notify_comments": "Email me about new comments on articles I wrote",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only authors have articles to hear about: readers are not offered the setting.
        if not self.instance.writes_articles:
            del self.fields["notify_comments"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit and "notify_replies" in self.changed_data:
            # The setting covers the comments already written, each of which can also be
            # changed on its own (the comment form's box, an email's unsubscribe link).
            user.comments.update(notify_replies=user.notify_replies)
        return user

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        # Only a new upload is processed: False means "remove", and the stored file is
        # returned as it is when nothing was uploaded.
        if isinstance(avatar, UploadedFile):
            return make_avatar(avatar)
        return avatar


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its email queued like every other (healthsite.mail)
    instead of sent while the visitor waits: the answer comes as fast for an address with an
    account as for one without, so its time does not tell which addresses have one."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Plain text, as every email of the site: no HTML template is named (urls.py).
        queue_mail(
            to=to_email,
            # A subject must not hold a line break.
            subject="".join(render_to_string(subject_template_name, context).splitlines()),
            body=render_to_string(email_template_name, context),
            failure=f"Could not send the password reset email to user {context['user'].pk}",
        )
