"""Every message the API returns, by error code, in Indonesian (default) and English.

Front ends branch on the stable `code`; the message is for people, so it is
written in the request's language (`Accept-Language`). Placeholders are
filled with `str.format`, and status names are passed already translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from services.gateway.details import DETAILS, Detail
from shared.workflow import STATUS_LABELS_EN, STATUS_LABELS_ID, ComplaintStatus

DEFAULT_LOCALE = "id"
LOCALES = ("id", "en")

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # Request-level errors (top-level `errors[].extensions.code`).
    "UNAUTHENTICATED": {
        "id": "Silakan masuk terlebih dahulu: kirimkan token Bearer pada header Authorization.",
        "en": "Authentication is required: send a bearer token in the Authorization header.",
    },
    "INVALID_TOKEN": {
        "id": "Token akses tidak valid ({reason}). Silakan masuk kembali untuk mendapatkan token baru.",
        "en": "The access token is invalid ({reason}). Sign in again to get a new token.",
    },
    # Code INVALID_TOKEN: the header itself is malformed, so signing in again would not help.
    "INVALID_AUTHORIZATION_HEADER": {
        "id": "Header Authorization tidak sesuai format. Kirimkan token dengan awalan Bearer: 'Authorization: Bearer <token>'.",
        "en": "The Authorization header is malformed. Send the token with the Bearer prefix: 'Authorization: Bearer <token>'.",
    },
    "FORBIDDEN": {
        "id": "Anda tidak memiliki kewenangan untuk tindakan ini. Silakan masuk dengan akun yang memiliki akses.",
        "en": "You are not allowed to do this. Sign in with an account that has access.",
    },
    # Code FORBIDDEN, when the permission class names who may act.
    "FORBIDDEN_ROLE": {
        "id": "Anda tidak memiliki kewenangan untuk tindakan ini: hanya {who} yang dapat melakukannya. "
        "Silakan masuk dengan akun yang memiliki akses.",
        "en": "You are not allowed to do this: only {who} can. Sign in with an account that has access.",
    },
    "NOT_FOUND": {
        "id": "{what} tidak ditemukan.",
        "en": "{what} was not found.",
    },
    "INVALID_ID": {
        "id": "ID {value} tidak valid untuk {type}. Gunakan ID yang diberikan oleh API ini.",
        "en": "ID {value} is invalid for {type}. Use an ID returned by this API.",
    },
    "INVALID_DATETIME": {
        "id": (
            "Nilai {value} tidak dapat diterima sebagai DateTime ({reason}). Sertakan tanggal, jam dan zona waktu, "
            "misalnya 2026-03-05T09:30:00+08:00."
        ),
        "en": (
            "Value {value} is not a valid DateTime ({reason}). Give a date, a time and a UTC offset, "
            "for example 2026-03-05T09:30:00+08:00."
        ),
    },
    "BAD_USER_INPUT": {
        "id": "Data masukan tidak valid: {detail}",
        "en": "The input is invalid: {detail}",
    },
    "GRAPHQL_PARSE_FAILED": {
        "id": "Permintaan GraphQL tidak dapat dibaca: {detail}",
        "en": "The GraphQL request could not be parsed: {detail}",
    },
    "GRAPHQL_VALIDATION_FAILED": {
        "id": "Permintaan GraphQL tidak sesuai dengan skema: {detail}",
        "en": "The GraphQL request does not match the schema: {detail}",
    },
    "QUERY_TOO_DEEP": {
        "id": "Kueri terlalu dalam: kedalaman maksimal adalah {limit} tingkat.",
        "en": "The query is too deep: the maximum depth is {limit} levels.",
    },
    "QUERY_TOO_COMPLEX": {
        "id": "Kueri terlalu berat (perkiraan biaya {cost}, batas {limit}). Kurangi jumlah field atau ukuran halaman.",
        "en": "The query is too expensive (estimated cost {cost}, limit {limit}). Ask for fewer fields or a smaller page.",
    },
    "TOO_MANY_ALIASES": {
        "id": "Kueri memakai terlalu banyak alias: maksimal {limit}.",
        "en": "The query uses too many aliases: the maximum is {limit}.",
    },
    "TOO_MANY_TOKENS": {
        "id": "Kueri terlalu panjang: maksimal {limit} token.",
        "en": "The query is too long: the maximum is {limit} tokens.",
    },
    "INTROSPECTION_DISABLED": {
        "id": "Introspeksi skema dinonaktifkan pada layanan ini. Gunakan berkas schema.graphql.",
        "en": "Schema introspection is disabled on this service. Use the schema.graphql file.",
    },
    "INTERNAL_SERVER_ERROR": {
        "id": (
            "Terjadi kesalahan pada server. Silakan coba lagi; bila masih terjadi, "
            "sampaikan nomor rujukan {reference} kepada pengelola layanan."
        ),
        "en": "The server failed. Try again; if it keeps failing, give reference {reference} to the service operators.",
    },
    # Mutation payload errors (`errors[]` of a payload, typed `UserError`).
    "TRANSITION_NOT_ALLOWED": {
        "id": "Status aduan tidak dapat diubah dari {current} ke {target}. Status berikutnya yang dapat Anda pilih: {allowed}.",
        "en": "The complaint cannot move from {current} to {target}. Statuses you can choose next: {allowed}.",
    },
    "TRANSITION_FORBIDDEN_FOR_ROLE": {
        "id": "Peran Anda tidak dapat mengubah status dari {current} ke {target}. Status berikutnya yang dapat Anda pilih: {allowed}.",
        "en": "Your role cannot move the complaint from {current} to {target}. Statuses you can choose next: {allowed}.",
    },
    "NOTE_REQUIRED": {
        "id": "Catatan wajib diisi untuk perubahan status ke {target}.",
        "en": "A note is required to move the complaint to {target}.",
    },
    "VALUE_TOO_SHORT": {
        "id": "Isian terlalu pendek: minimal {limit} karakter.",
        "en": "The value is too short: at least {limit} characters.",
    },
    "VALUE_TOO_LONG": {
        "id": "Isian terlalu panjang: maksimal {limit} karakter.",
        "en": "The value is too long: at most {limit} characters.",
    },
    "VALUE_OUT_OF_RANGE": {
        "id": "Nilai {value} di luar rentang yang diperbolehkan ({minimum} sampai {maximum}).",
        "en": "Value {value} is out of range ({minimum} to {maximum}).",
    },
    "VALUE_OUT_OF_OPEN_RANGE": {
        "id": "Nilai {value} di luar rentang yang diperbolehkan: harus lebih besar dari {minimum} dan lebih kecil dari {maximum}.",
        "en": "Value {value} is out of range: it must be greater than {minimum} and less than {maximum}.",
    },
    "DUPLICATE_WARN_AT": {
        "id": (
            "Rasio peringatan {value} menghasilkan peringatan {percent}% yang sama dengan rasio {other} sebelumnya. "
            "Setiap rasio harus menghasilkan persentase bulat yang berbeda; hapus salah satunya."
        ),
        "en": (
            "Warning ratio {value} gives the same {percent}% warning as ratio {other} listed earlier. "
            "Each ratio must give a different whole percent, so remove one of them."
        ),
    },
    "ESCALATION_UNITS_DIFFER": {
        "id": (
            "Semua langkah eskalasi harus memakai satuan waktu yang sama: langkah ke-{step} memakai {unit}, "
            "sedangkan langkah ke-1 memakai {first_unit}. Gunakan satu satuan untuk semua langkah, misalnya WORKING_DAYS."
        ),
        "en": (
            "All escalation steps must use the same unit: step {step} uses {unit}, but step 1 uses {first_unit}. "
            "Use one unit for every step, such as WORKING_DAYS."
        ),
    },
    "ESCALATION_NOT_INCREASING": {
        "id": (
            "Jeda setiap langkah eskalasi harus lebih lama daripada langkah sebelumnya: langkah ke-{step} ({delay}) "
            "tidak lebih lama daripada langkah ke-{previous_step} ({previous_delay}). Urutkan langkah dari jeda terpendek."
        ),
        "en": (
            "Each escalation step's delay must be longer than the one before: step {step} ({delay}) is not longer "
            "than step {previous_step} ({previous_delay}). List the steps from the shortest delay."
        ),
    },
    "INVALID_VALUE": {
        "id": "Nilai tidak valid: {detail}",
        "en": "The value is invalid: {detail}",
    },
    "INVALID_CHARACTERS": {
        "id": (
            "Isian {name} memuat karakter yang tidak diperbolehkan ({character}): karakter kontrol dan pengubah arah teks "
            "tidak dapat dikirim lewat e-mail atau SMS. Hapus karakter tersebut, lalu kirim kembali."
        ),
        "en": (
            "Field {name} contains a character that is not allowed ({character}): control and text-direction "
            "characters cannot go into e-mail or SMS. Remove it and send again."
        ),
    },
    "INVALID_PHONE": {
        "id": "Nomor telepon {value} tidak valid. Gunakan nomor Indonesia, misalnya 0812xxxxxxx atau +62812xxxxxxx.",
        "en": "Phone number {value} is invalid. Use an Indonesian number such as 0812xxxxxxx or +62812xxxxxxx.",
    },
    "CATEGORY_INACTIVE": {
        "id": "Kategori layanan {category} sedang tidak menerima aduan. Silakan pilih kategori lain.",
        "en": "Service category {category} does not accept complaints now. Choose another category.",
    },
    "POLICY_NOT_FOUND": {
        "id": "Instansi {agency} belum memiliki kebijakan SLA. Administrator perlu menerbitkannya terlebih dahulu.",
        "en": "Agency {agency} has no SLA policy yet. An administrator must publish one first.",
    },
    "CONCURRENT_UPDATE": {
        "id": "Aduan ini baru saja diubah oleh pengguna lain. Muat ulang data aduan, lalu coba lagi.",
        "en": "Someone else changed this complaint just now. Reload it and try again.",
    },
    "COMPLAINT_NOT_OPEN": {
        "id": "Aduan berstatus {current} sudah tidak dapat diubah dengan cara ini.",
        "en": "A complaint in status {current} can no longer be changed this way.",
    },
    "ASSIGNEE_NOT_IN_AGENCY": {
        "id": "Petugas {assignee} tidak terdaftar aktif di {agency}. Pilih petugas dari instansi yang menangani aduan.",
        "en": "Official {assignee} is not an active member of {agency}. Choose an official of the handling agency.",
    },
    "TRANSFER_NOT_ALLOWED": {
        "id": "Aduan berstatus {current} tidak dapat dialihkan. Pengalihan hanya dapat dilakukan pada status {allowed}.",
        "en": "A complaint in status {current} cannot be transferred. Transfers are allowed in status {allowed}.",
    },
    "SAME_AGENCY": {
        "id": "Aduan sudah ditangani oleh {agency}. Pilih instansi lain sebagai tujuan pengalihan.",
        "en": "The complaint is already handled by {agency}. Choose another agency to transfer it to.",
    },
    "CATEGORY_NOT_IN_AGENCY": {
        "id": "Kategori {category} bukan milik {agency}.",
        "en": "Category {category} does not belong to {agency}.",
    },
    "RATING_NOT_ALLOWED": {
        "id": "Penilaian hanya dapat diberikan untuk aduan berstatus {allowed}; status aduan saat ini {current}.",
        "en": "Only complaints in status {allowed} can be rated; this complaint is {current}.",
    },
    "ALREADY_RATED": {
        "id": "Aduan ini sudah Anda nilai sebelumnya.",
        "en": "You have already rated this complaint.",
    },
    "REOPEN_PERIOD_ENDED": {
        "id": "Batas waktu untuk membuka kembali aduan ini telah berakhir pada {deadline}.",
        "en": "The period to reopen this complaint ended at {deadline}.",
    },
    "CODE_TAKEN": {
        "id": "Kode {value} sudah dipakai. Gunakan kode lain.",
        "en": "Code {value} is already in use. Choose another code.",
    },
}

WHAT: Mapping[str, Mapping[str, str]] = {
    "Complaint": {"id": "Aduan", "en": "The complaint"},
    "Agency": {"id": "Instansi", "en": "The agency"},
    "ServiceCategory": {"id": "Kategori layanan", "en": "The service category"},
    "Calendar": {"id": "Kalender kerja", "en": "The calendar"},
    "SlaPolicy": {"id": "Kebijakan SLA", "en": "The SLA policy"},
    "Official": {"id": "Petugas", "en": "The official"},
}


def pick_locale(accept_language: str | None) -> str:
    """Return `en` when the Accept-Language header prefers English over Indonesian, else `id`."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if language in LOCALES:
            ranked.append((-quality, position, language))
    if not ranked:
        return DEFAULT_LOCALE
    return min(ranked)[2]


def status_name(status: ComplaintStatus | str, locale: str) -> str:
    """Return a status as people read it, with its code: "Diproses (IN_PROGRESS)"."""
    value = ComplaintStatus(status)
    labels = STATUS_LABELS_EN if locale == "en" else STATUS_LABELS_ID
    return f"{labels[value]} ({value.value})"


def status_list(statuses: list[ComplaintStatus], locale: str) -> str:
    if not statuses:
        return "tidak ada" if locale != "en" else "none"
    return ", ".join(status_name(s, locale) for s in statuses)


def what(type_name: str, locale: str) -> str:
    names = WHAT.get(type_name, {"id": "Data", "en": "The item"})
    return names.get(locale, names[DEFAULT_LOCALE])


def render_detail(part: Detail, locale: str) -> str:
    """Return a message detail in `locale`, with its own placeholders filled."""
    templates = DETAILS[part.key]
    template = templates.get(locale, templates[DEFAULT_LOCALE])
    values = {key: _render_value(value, locale) for key, value in part.params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def _render_value(value: object, locale: str) -> object:
    if isinstance(value, Detail):
        return render_detail(value, locale)
    if isinstance(value, ComplaintStatus):
        return status_name(value, locale)
    if isinstance(value, (list, tuple)) and all(isinstance(item, ComplaintStatus) for item in value):
        return status_list(list(value), locale)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def translate(code: str, locale: str, params: Mapping[str, object] | None = None) -> str:
    """Return the message for `code` in `locale`, falling back to Indonesian and to the code itself.

    Statuses and lists of statuses in `params` are written as labels with
    their codes, and the `what` parameter names a GraphQL type to translate.
    """
    templates = CATALOGUE.get(code)
    if templates is None:
        return code
    template = templates.get(locale, templates[DEFAULT_LOCALE])
    values = {key: _render_value(value, locale) for key, value in (params or {}).items()}
    if "what" in values:
        values["what"] = what(str(values["what"]), locale)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
