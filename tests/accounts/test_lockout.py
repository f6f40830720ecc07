from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, *, password: str, address: str = "203.0.113.5", username: str = "ada"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_cool_off_for_that_address_only(client, settings):
    make_user(username="ada")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, password="wrong")
        assertContains(response, "Please enter a correct username and password")

    response = sign_in(client, password="wrong")
    assertContains(response, "Too many sign-in attempts", status_code=429)
    # Even the right password is refused from there during the cool-off...
    response = sign_in(client, password=PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # ...while the real user elsewhere signs in as usual.
    response = sign_in(client, password=PASSWORD, address="198.51.100.7")
    assertRedirects(response, "/")


def test_cool_off_ends(client, settings):
    make_user(username="ada")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong")
    assert sign_in(client, password=PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assertRedirects(sign_in(client, password=PASSWORD), "/")


def test_guessing_many_accounts_from_one_address_is_limited(client, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong", username=f"guess{number}")
    make_user(username="ada")
    assert sign_in(client, password=PASSWORD).status_code == 429


def test_behind_a_proxy_the_forwarded_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(username="ada")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "ada", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": "spoofed, 203.0.113.9"},
        )
    # Another visitor behind the same proxy is not locked out.
    response = client.post(
        "/accounts/login/",
        {"username": "ada", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assertRedirects(response, "/")
