"""The people of the editorial tests: an editor and an author, in their roles."""

import pytest

from tests.factories import make_user


@pytest.fixture
def editor():
    return make_user(username="ed", role="Editors")


@pytest.fixture
def author():
    return make_user(username="writer", role="Authors", display_name="Wren Writer")
