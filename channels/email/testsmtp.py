"""An SMTP server on 127.0.0.1 for tests and benchmarks (aiosmtpd, a development dependency).

It keeps every message it accepted, and can refuse addresses for good (550) or for a while (451).
"""

import re
import socket
import threading
from email.parser import BytesHeaderParser

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    __test__ = False

    def __init__(self, *, refuse=(), defer=None, keep_content: bool = True):
        self.refuse = {address.lower() for address in refuse}
        self.defer = {address.lower(): times for address, times in (defer or {}).items()}
        self.keep_content = keep_content
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.controller = None

    # --- aiosmtpd handler hooks ---------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lowered = address.lower()
        if lowered in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        with self.lock:
            if self.defer.get(lowered, 0) > 0:
                self.defer[lowered] -= 1
                return f"451 4.7.1 <{address}>: Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "message_id": found.group(1).decode() if found else "",
        }
        if self.keep_content:
            record["content"] = envelope.content
            record["headers"] = BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.messages.append(record)
        return "250 2.0.0 Ok: queued"

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=port, ready_timeout=10)
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for message in self.messages for address in message["to"]]
