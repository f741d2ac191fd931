import pytest
from django.core.exceptions import ValidationError

from outputs.validators import (
    DOC,
    DOCX,
    FILE_CONTENT_MISMATCH,
    FILE_TYPE_NOT_ALLOWED,
    MP4,
    OLE_HEADER,
    PDF,
    PNG,
    PPTX,
    validate_output_file,
)
from tests.outputs.conftest import TINY_PDF, tiny_docx, tiny_png, tiny_pptx, upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def test_a_real_tiny_pdf_passes():
    assert validate_output_file(upload("report.pdf", TINY_PDF)) is PDF


def test_a_png_named_pdf_fails():
    with pytest.raises(ValidationError) as error:
        validate_output_file(upload("report.pdf", tiny_png()))
    assert error.value.messages == [FILE_CONTENT_MISMATCH.format(expected="PDF")]


def test_a_real_png_passes():
    assert validate_output_file(upload("Photo.PNG", tiny_png())) is PNG


def test_a_real_docx_passes():
    assert validate_output_file(upload("guide.docx", tiny_docx())) is DOCX


def test_an_exe_renamed_docx_fails():
    with pytest.raises(ValidationError) as error:
        validate_output_file(upload("guide.docx", EXE))
    assert "not a Word document (.docx)" in error.value.messages[0]


def test_a_pptx_named_docx_fails():
    with pytest.raises(ValidationError):
        validate_output_file(upload("guide.docx", tiny_pptx()))


def test_a_real_pptx_passes():
    assert validate_output_file(upload("slides.pptx", tiny_pptx())) is PPTX


def test_a_zip_without_office_parts_fails_as_pptx():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError):
        validate_output_file(upload("slides.pptx", buffer.getvalue()))


def test_legacy_word_needs_the_ole_header():
    assert validate_output_file(upload("old.doc", OLE_HEADER + b"\x00" * 32)) is DOC
    with pytest.raises(ValidationError):
        validate_output_file(upload("old.doc", b"{\\rtf1 not really word}"))


def test_mp4_needs_an_ftyp_box():
    assert validate_output_file(upload("film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16)) is MP4
    with pytest.raises(ValidationError):
        validate_output_file(upload("film.mp4", EXE))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00"),
        ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
    ],
)
def test_other_images_pass_on_their_content(name, content):
    validate_output_file(upload(name, content))


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "notes.txt", "noextension"])
def test_other_file_types_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_output_file(upload(name, TINY_PDF))
    assert error.value.messages == [FILE_TYPE_NOT_ALLOWED]


def test_an_oversize_file_fails_with_the_limit_in_the_message(settings):
    settings.OUTPUT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_output_file(upload("report.pdf", TINY_PDF + b"%" * 200))
    assert "at most 100 bytes" in error.value.messages[0]


def test_the_default_limit_is_25_mb(settings):
    assert settings.OUTPUT_UPLOAD_MAX_BYTES == 25 * 1024 * 1024
    validate_output_file(upload("report.pdf", TINY_PDF))
