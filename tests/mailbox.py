"""A real SMTP server for the tests (aiosmtpd on a free local port): the e-mails the platform
sends are received and read back as a person's mail client would."""

import email
import socket
from email import policy

import pytest


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


def subject(message) -> str:
    # Long non-ASCII subjects travel as folded encoded words; read back as the reader sees them.
    return " ".join(str(message["Subject"]).split())


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = "https://livret.example"
    yield inbox
    controller.stop()
