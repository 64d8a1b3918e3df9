"""Pluggable SMS: console in development, captured in tests, a real gateway in production.

settings.SMS_BACKEND names the class. A production gateway subclasses BaseSMSBackend and implements
send(); entrusting phone numbers to an SMS provider needs a processing contract (DOMAIN-RULES D-09).
"""

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    message: str


class BaseSMSBackend:
    def send(self, phone: str, message: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Development: the text goes to standard output, where `make run` shows it."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, phone: str, message: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[短信] 发往 {phone}：{message}\n")
        stream.flush()


# Messages the LocmemSMSBackend "sent"; tests read and clear it.
outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    """Tests: keep every message in the module-level `outbox`."""

    def send(self, phone: str, message: str) -> None:
        outbox.append(SMSMessage(phone=phone, message=message))


def get_sms_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(phone: str, message: str) -> None:
    """Send one text, prefixed with the signature Chinese carriers require (e.g. 【社区共治平台】)."""
    signature = getattr(settings, "SMS_SIGNATURE", "")
    get_sms_backend().send(phone, f"{signature}{message}")
    logger.info("SMS sent to %s***", phone[:6])
