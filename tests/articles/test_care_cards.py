"""Care cards in article bodies: advice on when to get help, set apart from the text."""

import pytest

from articles.markdown import render_markdown


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        ("non-urgent", "<strong>Non-urgent advice:</strong> make an appointment with a GP if:"),
        ("urgent", "<strong>Urgent advice:</strong> call 111 or ask your GP"),
        ("emergency", "<strong>Emergency:</strong> call 999 or go to the emergency department"),
    ],
)
def test_each_kind_says_how_soon_in_words(kind, heading):
    html = render_markdown(f"Text.\n\n:::{kind}\n- you cannot stand up\n:::\n\nAfter.")
    assert f'<div class="care-card care-card--{kind}">' in html
    assert heading in html
    assert "<li>you cannot stand up</li>" in html
    assert html.endswith("<p>After.</p>")


def test_the_numbers_come_from_the_settings(settings):
    settings.CARE_CARDS = {
        **settings.CARE_CARDS,
        "emergency": ("Emergency", "call 112 or go to the emergency department now if:"),
    }
    assert "call 112" in render_markdown(":::emergency\n- you faint\n:::")


def test_inside_a_card_the_sanitizer_still_holds():
    html = render_markdown(
        ':::urgent\n<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">go</a>'
        '\n<div class="care-card care-card--emergency" style="color:red">fake</div>\n:::'
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "style=" not in html
    # Only our own frame is a card: the editor's div is gone, its words stay.
    assert html.count("care-card--") == 1
    assert "fake" in html


def test_citations_and_headings_inside_a_card_work_as_elsewhere():
    html = render_markdown(":::non-urgent\n### Signs\n\n- dizziness [2]\n:::")
    assert '<h3 id="signs">Signs</h3>' in html
    assert '<a href="#source-2" id="cite-2">[2]</a>' in html


def test_a_placeholder_typed_by_an_editor_is_only_text():
    html = render_markdown("care-card-0000000000000000-0\n\n:::urgent\n- x\n:::")
    assert html.startswith("<p>care-card-0000000000000000-0</p>")
    assert html.count("care-card--urgent") == 1


def test_an_unknown_kind_or_an_unclosed_card_stays_text():
    assert "care-card" not in render_markdown(":::soon\n- x\n:::")
    assert "care-card" not in render_markdown(":::urgent\n- never closed")
