"""The WSGI and ASGI entry points (healthsite/wsgi.py and asgi.py) that servers load:
gunicorn in production, uvicorn or daphne if the site moves to ASGI. Each is loaded in a
new process, as a server loads it (loading one sets Django up, which the tests have done
already), and answers a request the way the server would send it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WSGI_PROBE = """
import json
from wsgiref.util import setup_testing_defaults
from healthsite.wsgi import application
environ = {"PATH_INFO": "/healthz"}
setup_testing_defaults(environ)
started = []
response = application(environ, lambda status, headers: started.append(status))
try:
    body = b"".join(response)
finally:
    response.close()  # as a server must: Django's end of the request
print(json.dumps({"status": started, "body": body.decode()}))
"""

ASGI_PROBE = """
import asyncio, json
from asgiref.testing import ApplicationCommunicator
from healthsite.asgi import application
scope = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
    "scheme": "http", "path": "/healthz", "raw_path": b"/healthz", "query_string": b"",
    "root_path": "", "headers": [(b"host", b"localhost")],
    "client": ("127.0.0.1", 50000), "server": ("localhost", 80),
}
async def get():
    server = ApplicationCommunicator(application, scope)
    await server.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await server.receive_output(timeout=10)
    body = await server.receive_output(timeout=10)
    await server.wait(timeout=10)
    return start["status"], body["body"].decode()
status, body = asyncio.run(get())
print(json.dumps({"status": status, "body": body}))
"""


def answer(probe: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_wsgi_application_answers():
    assert answer(WSGI_PROBE) == {"status": ["200 OK"], "body": "ok"}


def test_the_asgi_application_answers():
    assert answer(ASGI_PROBE) == {"status": 200, "body": "ok"}
