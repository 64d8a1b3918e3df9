"""Encrypted storage for sensitive personal identifiers (DOMAIN-RULES D-04)."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


def _key_material() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"field-encryption:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def identifier_hash(value: str) -> str:
    """Keyed hash to find and dedupe a person by ID number (V-18) without decrypting every row."""
    if not value:
        return ""
    return hmac.new(_key_material(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores Fernet ciphertext; Python code sees the plain value. Not searchable: use a hash column."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return _fernet().encrypt(value.encode()).decode()
