"""A real SMTP server on 127.0.0.1 in a thread (aiosmtpd), scripted to fail the way mail servers do."""

from __future__ import annotations

import asyncio
import email
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

# The client gives up after this long; the stub stalls for longer when told to time out.
CLIENT_TIMEOUT = 0.5


@dataclass
class Delivered:
    to: str
    subject: str


@dataclass
class ScriptedHandler:
    """Refuses some addresses for good (550), and fails others once: a stall past the client's timeout,
    or a 451 "try again later"."""

    refuse: set[str] = field(default_factory=set)
    stall_once: set[str] = field(default_factory=set)
    defer_once: set[str] = field(default_factory=set)
    delivered: list[Delivered] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # every RCPT TO, in order

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.asked.append(address)
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if address in self.stall_once:
            self.stall_once.discard(address)
            await asyncio.sleep(CLIENT_TIMEOUT * 3)
        if address in self.defer_once:
            self.defer_once.discard(address)
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content)
        for to in envelope.rcpt_tos:
            self.delivered.append(Delivered(to=to, subject=str(message["Subject"])))
        return "250 Message accepted"

    def delivered_to(self, address: str) -> list[str]:
        return [d.subject for d in self.delivered if d.to == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPStub:
    def __init__(self, handler: ScriptedHandler) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, server_hostname="smtp-stub.test")

    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": CLIENT_TIMEOUT},
            }
        }
