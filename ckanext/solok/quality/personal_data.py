"""Indonesian personal identifiers in a table (UU 27/2022 tentang Pelindungan Data Pribadi).

:func:`scan` looks at a table's column names and values and answers, per column, the kinds it found:

* ``nik`` — 16 digits with the structure of a Nomor Induk Kependudukan: a province code that exists,
  regency and district numbers, a birth date (day + 40 for women) and a serial number that is not 0000;
* ``kk`` — the same 16-digit structure in a column named like a Kartu Keluarga number;
* ``nip`` — 18 digits of a civil servant's NIP: birth date, appointment year and month, sex (1 or 2);
* ``phone`` — Indonesian mobile numbers (08…, 62 8…, +62 8…);
* ``email`` — e-mail addresses;
* ``name`` — a column named like personal data (``nama``, ``nik``, ``alamat``, ``no_kk``, ``tanggal_lahir`` …).

A column counts for a value kind only when most of its filled cells are of that kind (at least
:data:`SHARE`), so a column of 16-digit budget or product codes whose few values happen to parse as a
date is not NIK. The found values themselves are never returned, stored or logged: only the column's
name, its position, the kinds and how many cells matched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

#: Province codes of Kemendagri (Permendagri 72/2019 and the 2022 Papua provinces).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65}
    | {71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)

#: Share of a column's filled cells that must be of a kind for the column to count.
SHARE = 0.8

#: Cells read per column (the first rows say what a column holds).
MAX_CELLS = 2000

_DIGITS = re.compile(r"\d+")
_PHONE = re.compile(r"(?:\+?62|0)8[1-9]\d{6,10}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_SEPARATORS = re.compile(r"[\s.\-()/]")

#: Column names (lower case, words joined by one space) that name personal data.
PERSONAL_COLUMNS = frozenset(
    {
        "nama",
        "nama lengkap",
        "nama penduduk",
        "nama warga",
        "nama penerima",
        "nama pemilik",
        "nama pasien",
        "nama siswa",
        "nama pegawai",
        "nama kepala keluarga",
        "nama ayah",
        "nama ibu",
        "nik",
        "no nik",
        "nomor nik",
        "nomor induk kependudukan",
        "nip",
        "no nip",
        "kk",
        "no kk",
        "nomor kk",
        "no kartu keluarga",
        "nomor kartu keluarga",
        "alamat",
        "alamat lengkap",
        "alamat rumah",
        "no hp",
        "nomor hp",
        "hp",
        "no telp",
        "no telepon",
        "nomor telepon",
        "telepon",
        "email",
        "e mail",
        "tanggal lahir",
        "tempat lahir",
        "tempat tanggal lahir",
        "ttl",
    }
)


def _normal_name(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def _date(day: int, month: int, year: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_nik(digits: str) -> bool:
    """16 digits shaped like a NIK: PP RR DD (region) DDMMYY (birth, day + 40 for women) SSSS."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    province, regency, district = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if province not in PROVINCES or regency == 0 or district == 0 or digits[12:] == "0000":
        return False
    if day > 40:
        day -= 40
    return _date(day, month, 2000 + year) or _date(day, month, 1900 + year)


def is_nip(digits: str) -> bool:
    """18 digits of a NIP: YYYYMMDD (birth) YYYYMM (appointment) S (1 or 2) NNN."""
    if len(digits) != 18 or not digits.isdigit():
        return False
    born = (int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    appointed_year, appointed_month = int(digits[8:12]), int(digits[12:14])
    if not 1930 <= born[0] <= dt.date.today().year - 15 or not _date(born[2], born[1], born[0]):
        return False
    if not born[0] + 15 <= appointed_year <= dt.date.today().year or not 1 <= appointed_month <= 12:
        return False
    return digits[14] in "12" and digits[15:] != "000"


def _kind(cell: str, kk_column: bool) -> str | None:
    text = cell.strip().lstrip("'")  # spreadsheets keep long numbers as text with a leading quote
    if not text:
        return None
    if "@" in text and _EMAIL.fullmatch(text):
        return "email"
    compact = _SEPARATORS.sub("", text)
    if compact.isdigit():
        if len(compact) == 16 and is_nik(compact):
            return "kk" if kk_column else "nik"
        if len(compact) == 18 and is_nip(compact):
            return "nip"
    if _PHONE.fullmatch(compact):
        return "phone"
    return None


def scan(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Per column with personal data: ``{column, index, kinds, cells}`` (never a value)."""
    found = []
    for index, column in enumerate(columns):
        name = _normal_name(str(column or ""))
        kk_column = bool(re.search(r"\bkk\b|kartu keluarga", name))
        counts: dict[str, int] = {}
        filled = 0
        for row in rows[:MAX_CELLS]:
            cell = str(row[index]) if index < len(row) and row[index] is not None else ""
            if not cell.strip():
                continue
            filled += 1
            kind = _kind(cell, kk_column)
            if kind:
                counts[kind] = counts.get(kind, 0) + 1
        kinds = sorted(k for k, n in counts.items() if filled and n / filled >= SHARE)
        if name in PERSONAL_COLUMNS:
            kinds = sorted({*kinds, "name"})
        if kinds:
            found.append({"column": str(column or ""), "index": index, "kinds": kinds, "cells": sum(counts.values())})
    return found
