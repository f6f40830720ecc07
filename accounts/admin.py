from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile

from .avatars import make_avatar
from .models import User

PROFILE_FIELDS = ("display_name", "bio", "avatar", "credentials", "registration_number")


class AdminUserChangeForm(UserChangeForm):
    # A plain file field, as on the profile page: make_avatar says what is wrong.
    avatar = forms.FileField(required=False, widget=forms.ClearableFileInput)

    class Meta(UserChangeForm.Meta):
        model = User

    def clean_avatar(self):
        # Photos uploaded here go through the same checks and re-encoding as on the site.
        avatar = self.cleaned_data.get("avatar")
        return make_avatar(avatar) if isinstance(avatar, UploadedFile) else avatar


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AdminUserChangeForm
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Public profile", {"fields": PROFILE_FIELDS}),
        ("Email", {"fields": ("email_confirmed_at",)}),
    )
    list_display = ("username", "public_name", "email", "credentials", "is_staff", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    readonly_fields = ("email_confirmed_at", "last_login", "date_joined")

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Editors keep authors' public profiles up to date; only a superuser may change
        # passwords, roles or permissions, so an editor cannot raise anyone's access.
        return (
            (None, {"fields": ("username", "email", "email_confirmed_at")}),
            ("Name", {"fields": ("first_name", "last_name")}),
            ("Public profile", {"fields": PROFILE_FIELDS}),
        )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, "username", "email")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        # Editors keep the public profiles of authors, reviewers and readers. Superusers and
        # staff in any other role are changed by a superuser only: an editor must not be
        # able to rename, or speak as, someone with more access than an author.
        if obj.is_superuser:
            return False
        if not obj.is_staff:
            return True
        roles = set(obj.groups.values_list("name", flat=True))
        return roles == {"Authors"} and not obj.user_permissions.exists()

    def user_change_password(self, request, id, form_url=""):
        # Django lets anyone with change_user set any password, a superuser's included.
        # Setting a password is taking over an account: superusers only.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
