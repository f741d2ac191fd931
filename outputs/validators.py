"""Checks on files uploaded as outputs: by their content (magic bytes), not only by their name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

FILE_TYPE_NOT_ALLOWED = (
    "Upload a PDF, Word (.docx, .doc), PowerPoint (.pptx, .ppt), image (PNG, JPEG, GIF, WebP) or MP4 video."
)
FILE_CONTENT_MISMATCH = "This file's content is not a {expected}, whatever its name says. Upload a real {expected}."
FILE_TOO_LARGE = "This file is {size}; files can be at most {limit}."
FILE_CHOOSE_AGAIN = "Your file was not saved: choose it again before you save."

OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str


PDF = FileKind("PDF", "application/pdf")
DOCX = FileKind("Word document (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
PPTX = FileKind(
    "PowerPoint presentation (.pptx)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
DOC = FileKind("Word document (.doc)", "application/msword")
PPT = FileKind("PowerPoint presentation (.ppt)", "application/vnd.ms-powerpoint")
PNG = FileKind("PNG image", "image/png")
JPEG = FileKind("JPEG image", "image/jpeg")
GIF = FileKind("GIF image", "image/gif")
WEBP = FileKind("WebP image", "image/webp")
MP4 = FileKind("MP4 video", "video/mp4")

KIND_BY_EXTENSION: dict[str, FileKind] = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".pptx": PPTX,
    ".doc": DOC,
    ".ppt": PPT,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
    ".mp4": MP4,
}


def kind_for_name(name: str) -> FileKind | None:
    return KIND_BY_EXTENSION.get(PurePath(name).suffix.lower())


def _is_office_zip(upload: UploadedFile, folder: str) -> bool:
    """A .docx/.pptx is a zip holding [Content_Types].xml and its main part (word/ or ppt/)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _content_matches(kind: FileKind, head: bytes, upload: UploadedFile) -> bool:
    if kind is PDF:
        return head.startswith(b"%PDF-")
    if kind is DOCX:
        return head.startswith(b"PK\x03\x04") and _is_office_zip(upload, "word/")
    if kind is PPTX:
        return head.startswith(b"PK\x03\x04") and _is_office_zip(upload, "ppt/")
    if kind in (DOC, PPT):
        return head.startswith(OLE_HEADER)
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind is JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if kind is GIF:
        return head.startswith((b"GIF87a", b"GIF89a"))
    if kind is WEBP:
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind is MP4:
        return head[4:8] == b"ftyp"
    return False


def _size(num_bytes: int) -> str:
    return filesizeformat(num_bytes).replace("\xa0", " ")


def validate_output_file(upload: UploadedFile) -> FileKind:
    """The file's kind if its size, name and content agree; ValidationError with a clear message otherwise."""
    limit = settings.OUTPUT_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(FILE_TOO_LARGE.format(size=_size(upload.size), limit=_size(limit)), code="too_large")
    kind = kind_for_name(upload.name or "")
    if kind is None:
        raise ValidationError(FILE_TYPE_NOT_ALLOWED, code="file_type")
    upload.seek(0)
    head = upload.read(16)
    matches = _content_matches(kind, head, upload)
    upload.seek(0)
    if not matches:
        raise ValidationError(FILE_CONTENT_MISMATCH.format(expected=kind.label), code="file_content")
    return kind
