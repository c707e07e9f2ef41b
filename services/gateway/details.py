"""Translatable parts of messages: the `detail` of BAD_USER_INPUT and INVALID_VALUE, and the `reason` of
INVALID_TOKEN and INVALID_DATETIME, each in Indonesian (default) and English.

Code raises with `detail("KEY", **params)` in place of an English string, and
`messages.translate` writes the detail in the request's language, so no
message mixes the two languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Detail:
    """A part of a message named by its key in `DETAILS`, with its placeholders' values."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


def detail(key: str, **params: object) -> Detail:
    if key not in DETAILS:
        raise KeyError(f"no message detail named {key}")
    return Detail(key, params)


DETAILS: Mapping[str, Mapping[str, str]] = {
    # BAD_USER_INPUT
    "FIRST_TOO_SMALL": {
        "id": "argumen first harus bernilai paling kecil 1, sedangkan yang dikirim {value}.",
        "en": "first must be at least 1, not {value}.",
    },
    "ID_OR_TICKET_NUMBER": {
        "id": "isi tepat satu di antara id dan ticketNumber.",
        "en": "give exactly one of id and ticketNumber.",
    },
    "CURSOR_INVALID": {
        "id": "kursor {cursor} tidak valid. Gunakan nilai endCursor dari halaman sebelumnya.",
        "en": "cursor {cursor} is invalid. Pass an endCursor from a previous page.",
    },
    "PERIOD_NOT_ORDERED": {
        "id": "waktu akhir `to` harus lebih lambat daripada waktu awal `from`.",
        "en": "`to` must be later than `from`.",
    },
    "PERIOD_TOO_LONG": {
        "id": "rentang waktu paling lama {limit} hari. Persempit rentang `from` sampai `to`.",
        "en": "the period may span at most {limit} days. Narrow the range from `from` to `to`.",
    },
    # FORBIDDEN_ROLE: who may do what the caller tried.
    "WHO_CITIZEN": {
        "id": "warga yang masuk dengan akun warga",
        "en": "citizens signed in with a citizen account",
    },
    "WHO_ADMIN": {
        "id": "administrator kota",
        "en": "city administrators",
    },
    "WHO_STAFF": {
        "id": "petugas instansi dan administrator kota",
        "en": "agency officials and city administrators",
    },
    "WHO_COMPLAINT_PARTIES": {
        "id": "warga pelapor, petugas instansi yang menangani aduan ini, dan administrator kota",
        "en": "the reporter, officials of the agency handling this complaint, and city administrators",
    },
    "WHO_COMPLAINT_STAFF": {
        "id": "petugas instansi yang menangani aduan ini dan administrator kota",
        "en": "officials of the agency handling this complaint and city administrators",
    },
    "WHO_REPORTER": {
        "id": "warga yang melaporkan aduan ini",
        "en": "the citizen who filed this complaint",
    },
    "WHO_ASSIGNERS": {
        "id": "supervisor, kepala instansi dan administrator kota (petugas hanya dapat menugaskan dirinya sendiri)",
        "en": "supervisors, agency heads and city administrators (an officer may only assign themselves)",
    },
    # INVALID_VALUE
    "CODE_FORMAT": {
        "id": "kode {value} tidak sesuai format. Contoh kode yang benar: {example}.",
        "en": "code {value} does not match the format. A valid code looks like {example}.",
    },
    "TIMEZONE_UNKNOWN": {
        "id": "zona waktu {value} tidak dikenal. Gunakan nama zona IANA, misalnya Asia/Makassar.",
        "en": "time zone {value} is unknown. Use an IANA zone name such as Asia/Makassar.",
    },
    "CALENDAR_ALWAYS_OPEN": {
        "id": "kalender {value} berlaku 24x7 sehingga tidak memiliki hari libur untuk diubah.",
        "en": "calendar {value} is open 24x7, so it has no days off to change.",
    },
    "EMAIL_INVALID": {
        "id": "alamat e-mail {value} tidak valid. Gunakan alamat lengkap, misalnya nama@makassarkota.go.id.",
        "en": "e-mail address {value} is invalid. Give a full address such as name@makassarkota.go.id.",
    },
    "ADMIN_HAS_NO_AGENCY": {
        "id": "administrator tidak terikat pada instansi mana pun. Kosongkan agencyId.",
        "en": "an administrator belongs to no agency. Leave agencyId empty.",
    },
    "ROLE_UNKNOWN": {
        "id": "peran {value} tidak dikenal. Pilih salah satu dari: {allowed}.",
        "en": "role {value} is unknown. Choose one of: {allowed}.",
    },
    # INVALID_DATETIME
    "DATETIME_NOT_A_STRING": {
        "id": "nilai harus berupa teks",
        "en": "expected a string",
    },
    "DATETIME_NOT_ISO_8601": {
        "id": "bukan tanggal dan waktu ISO 8601 yang valid",
        "en": "not a valid ISO 8601 date-time",
    },
    "DATETIME_DATE_ONLY": {
        "id": "tanggal saja belum menunjukkan suatu saat; tambahkan jam dan zona waktu",
        "en": "a date alone is not an instant, add a time and a UTC offset",
    },
    "DATETIME_YEAR_OUT_OF_RANGE": {
        "id": "tahun harus di antara {minimum} dan {maximum}",
        "en": "the year must be between {minimum} and {maximum}",
    },
    "DATETIME_NO_OFFSET": {
        "id": "selisih waktu terhadap UTC tidak disertakan",
        "en": "no UTC offset",
    },
    # INVALID_TOKEN
    "TOKEN_EXPIRED": {
        "id": "masa berlaku token telah habis",
        "en": "the token has expired",
    },
    "TOKEN_NOT_YET_VALID": {
        "id": "token belum berlaku; periksa jam pada perangkat yang menerbitkan token",
        "en": "the token is not valid yet; check the clock of the device that issued it",
    },
    "TOKEN_SIGNATURE_INVALID": {
        "id": "tanda tangan token tidak cocok",
        "en": "the token's signature does not match",
    },
    "TOKEN_ISSUER_INVALID": {
        "id": "token tidak diterbitkan oleh penyedia identitas layanan ini",
        "en": "the token was not issued by this service's identity provider",
    },
    "TOKEN_AUDIENCE_INVALID": {
        "id": "token tidak ditujukan untuk layanan ini",
        "en": "the token is not meant for this service",
    },
    "TOKEN_ISSUED_AT_INVALID": {
        "id": "waktu terbit token (iat) tidak valid",
        "en": "the token's issued-at time (iat) is invalid",
    },
    "TOKEN_ALGORITHM_INVALID": {
        "id": "algoritme tanda tangan token tidak diterima",
        "en": "the token's signing algorithm is not accepted",
    },
    "TOKEN_CLAIM_MISSING": {
        "id": "klaim {claim} tidak ada di dalam token",
        "en": "the token has no {claim} claim",
    },
    "TOKEN_MALFORMED": {
        "id": "token rusak atau bukan JWT",
        "en": "the token is malformed or not a JWT",
    },
    "TOKEN_REJECTED": {
        "id": "token ditolak",
        "en": "the token was rejected",
    },
    "TOKEN_CLAIM_NOT_STRING": {
        "id": "klaim {claim} harus berupa teks, bukan {type}",
        "en": "claim {claim} must be a string, not {type}",
    },
    "TOKEN_ROLE_UNKNOWN": {
        "id": "peran {role} tidak dikenal",
        "en": "role {role} is unknown",
    },
    "TOKEN_AGENCY_MISSING": {
        "id": "token petugas (peran {role}) wajib memuat klaim agency",
        "en": "an official's token needs the agency claim (role {role})",
    },
}
