"""Relay global ids: base64 of "TypeName:key", where the key is a code, a subject or an ObjectId."""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId
from strawberry import relay

from services.gateway.errors import InvalidIdError


def global_id(type_name: str, key: object) -> str:
    return str(relay.GlobalID(type_name, str(key)))


def node_key(value: str, type_name: str) -> str:
    """Return the key inside a global id of `type_name`; raise INVALID_ID for anything else."""
    try:
        decoded = relay.GlobalID.from_id(value)
    except Exception as exc:  # strawberry raises several exception types for malformed base64
        raise InvalidIdError(value, type_name) from exc
    if decoded.type_name != type_name or not decoded.node_id:
        raise InvalidIdError(value, type_name)
    return decoded.node_id


def object_id(value: str, type_name: str) -> ObjectId:
    """Return the ObjectId inside a global id of `type_name`."""
    key = node_key(value, type_name)
    try:
        return ObjectId(key)
    except InvalidId as exc:
        raise InvalidIdError(value, type_name) from exc
