"""Outputs of the shared personas' pairs, and tiny real files of each kind for upload tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outputs.models import Output
from tests.factories import OutputFactory, PublishedOutputFactory, QuestionFactory, make_pair

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def tiny_docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("What we learned.")
    document.save(buffer)
    return buffer.getvalue()


def tiny_pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@dataclass
class Outputs:
    private: Output  # alice & bob's, visible to their pair only
    shared: Output  # alice & bob's, visible to the cohort, in review
    public: Output  # alice & bob's, published to the library, with a file
    other_cohort: Output  # dave's cohort's, visible to that cohort


@pytest.fixture
def outputs(world) -> Outputs:
    question = QuestionFactory(cohort=world.cohort, short_title="Engaging service users")
    private = OutputFactory(
        pair=world.pair,
        title="Private draft",
        visibility=Output.Visibility.PAIR,
        file=upload("private.pdf", TINY_PDF),
    )
    shared = OutputFactory(
        pair=world.pair,
        title="Shared in review",
        visibility=Output.Visibility.COHORT,
        status=Output.Status.IN_REVIEW,
        question=question,
    )
    public = PublishedOutputFactory(
        pair=world.pair,
        title="Whole-person services",
        question=question,
        file=upload("public.pdf", TINY_PDF),
    )
    dave_pair = make_pair(world.other_cohort, practitioner=world.dave_membership)
    other_cohort = OutputFactory(pair=dave_pair, title="Other cohort's", visibility=Output.Visibility.COHORT)
    return Outputs(private=private, shared=shared, public=public, other_cohort=other_cohort)
