from django.urls import reverse

from outputs.markdown import render
from tests.factories import PublishedOutputFactory


def test_markdown_is_rendered():
    html = render("## What we did\n\nWe **visited** [a day centre](https://example.org).")
    assert "<h2>What we did</h2>" in html
    assert "<strong>visited</strong>" in html
    assert 'href="https://example.org"' in html


def test_script_tags_are_stripped_with_their_content():
    html = render("Before <script>alert('x')</script> after")
    assert "<script" not in html
    assert "alert" not in html
    assert "Before" in html and "after" in html


def test_event_handler_attributes_are_stripped():
    html = render(
        '<img src="x" onerror="alert(1)"> <p onclick="alert(2)">Hi</p> <a href="https://a.org" onmouseover="x()">a</a>'
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert "onmouseover" not in html
    assert "alert" not in html


def test_javascript_links_are_stripped():
    html = render('[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">raw</a> [d](data:text/html;base64,xx)')
    assert "javascript" not in html.lower()
    assert "data:" not in html


def test_links_get_rel_nofollow():
    assert 'rel="nofollow noopener noreferrer"' in render("[x](https://example.org)")


def test_empty_body_renders_empty():
    assert render("") == ""


def test_headings_shift_below_the_page_heading_and_stop_at_h6():
    html = render("# Top\n\n## Next\n\n###### Deepest", below=1)
    assert "<h2>Top</h2>" in html and "<h3>Next</h3>" in html and "<h6>Deepest</h6>" in html
    assert "<h1>" not in html


def test_tables_scroll_in_their_own_box_when_asked():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |", scroll_tables=True)
    assert html.startswith('<div class="table-scroll"><table class="table table-sm">')
    assert "<table>" in render("| a | b |\n|---|---|\n| 1 | 2 |")


def test_the_library_shows_an_outputs_headings_below_its_title(client, db):
    output = PublishedOutputFactory(title="Joined-up help", body="# What we did\n\nWe met.")
    content = client.get(reverse("library:detail", args=[output.pk])).content.decode()
    assert "<h2>What we did</h2>" in content
    assert "<h1>What we did</h1>" not in content
