"""What anonymous callers can do to the public badge endpoints: never a 500, never a key made or
a signature computed on their behalf, never a URL taken from their Host header."""

import base64

import pytest
from django.urls import reverse
from django.utils.html import escape

from livret.engine import badges


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


DEEP = b"[" * 20_000
HEADER = b64(b'{"alg":"EdDSA"}')
NESTED_TOKENS = [
    pytest.param(b64(DEEP) + "." + b64(b"{}") + ".AA", id="header"),
    pytest.param(HEADER + "." + b64(DEEP) + ".AA", id="payload"),
    pytest.param(HEADER + "." + b64(b'{"a":' * 20_000) + ".AA", id="objects"),
]


@pytest.mark.parametrize("token", NESTED_TOKENS)
def test_a_deeply_nested_token_is_malformed_on_the_verify_page(client, db, token):
    response = client.post(reverse("badge_verify"), {"token": token})
    assert response.status_code == 200
    assert escape(badges.LABELS[badges.MALFORMED]) in response.content.decode()


@pytest.mark.parametrize("token", NESTED_TOKENS)
def test_a_deeply_nested_token_is_malformed_on_the_command_line(db, tmp_path, capsys, token):
    from livret.cli import main

    path = tmp_path / "profond.jwt"
    path.write_text(token)
    assert main(["credential", "verify", str(path)]) == 1
    assert capsys.readouterr().out.startswith(f"{badges.MALFORMED} :")
