"""The NHS.UK stylesheet we serve asks no other host for fonts (issue 17)."""

from django.conf import settings
from django.contrib.staticfiles import finders

from providers.nhsuk_assets import without_outside_fonts


def test_it_drops_font_faces_that_load_from_another_host_and_keeps_the_rest():
    css = (
        '@font-face{font-family:Frutiger W01;src:url(https://assets.nhs.uk/fonts/a.woff2) format("woff2")}'
        "@font-face{font-family:Ours;src:url(../assets/fonts/ours.woff2)}"
        "body{font-family:Frutiger W01,Arial,Sans-serif}"
    )
    assert without_outside_fonts(css) == (
        "@font-face{font-family:Ours;src:url(../assets/fonts/ours.woff2)}body{font-family:Frutiger W01,Arial,Sans-serif}"
    )


def test_the_served_nhsuk_stylesheet_has_no_outside_url():
    path = finders.find("nhsuk/nhsuk-frontend.min.css")
    assert path == str(settings.NHSUK_LOCAL_CSS)
    css = open(path, encoding="utf-8").read()
    assert "assets.nhs.uk" not in css
    assert ".nhsuk-header" in css  # the rest of the stylesheet is all there
