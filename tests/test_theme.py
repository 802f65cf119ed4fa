"""Each organisation's look: colour tokens with guaranteed contrast, served as a stylesheet;
its name and logo in the page header and on the report's cover."""

import base64
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from measures.constants import Role
from measures.models import ReportingPeriod
from organisations import theme
from organisations.logo import clean_logo
from organisations.models import Membership, Organisation, OrganisationLogo
from organisations.services import set_logo
from reports.pdf import StaticFilesFetcher
from reports.services import report_pdf
from tests.conftest import almelo_organisation, make_user
from tests.reports.pdfs import page_texts, reader


def png(size=(120, 60), colour=(200, 30, 30), kind="PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return out.getvalue()


def upload(content: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def look_form(organisation, **changes) -> dict:
    """What the admin's change form sends for a beheerder (the identity fields are shown,
    not sent), with `changes`."""
    return {**{field: getattr(organisation, field) for field in theme.TOKEN_FIELDS}, **changes}


def change_url(organisation) -> str:
    return reverse("admin:organisations_organisation_change", args=[organisation.pk])


@pytest.fixture
def beheerder_client(client, beheerder):
    client.force_login(beheerder)
    return client


@pytest.fixture
def enschede(db):
    organisation, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    return organisation


# -- The tokens and their contrast ------------------------------------------------------


def test_the_default_look_is_nl_design_systems_example_theme_and_passes():
    assert theme.DEFAULTS["primary_color"] == "#5115ef"
    assert theme.contrast_problems(theme.DEFAULTS) == {}


def test_every_token_pair_below_its_minimum_is_named_with_its_ratio():
    values = {**theme.DEFAULTS, "header_background": "#ffffff", "header_text_color": "#999999"}
    problems = theme.contrast_problems(values)
    assert problems["header_text_color"] == [
        "De tekstkleur op de kopregel heeft te weinig contrast (2,8:1; minimaal 4,5:1)."
    ]
    assert set(problems) == {"header_text_color"}  # on the dark menu the grey still reads


def test_a_focus_colour_that_neither_ring_shows_is_refused():
    values = {**theme.DEFAULTS, "header_background": "#222222", "focus_color": "#333333"}
    assert theme.contrast_problems(values)["focus_color"] == [
        "De focuskleur valt op de kopregel te weinig op (1,2:1; minimaal 3:1), ook niet met "
        "de donkere rand eromheen.",
        "De focuskleur valt op het menu te weinig op (1,3:1; minimaal 3:1), ook niet met "
        "de donkere rand eromheen.",
    ]
    # On a white header the dark ring shows a white focus outline well enough.
    light = {**theme.DEFAULTS, "header_background": "#ffffff", "header_text_color": "#1a1a1a"}
    assert "focus_color" not in theme.contrast_problems({**light, "focus_color": "#ffffff"})


def test_stored_colours_that_miss_the_contrast_give_the_default_look():
    css = theme.stylesheet({**theme.DEFAULTS, "header_background": "#ffffff"})
    assert "--km-header-bg: #3b0fb0;" in css  # white text on white would be unreadable


def test_the_stylesheet_holds_nothing_but_colours():
    css = theme.stylesheet({**theme.DEFAULTS, "link_color": "red;} body{display:none"})
    assert "--km-link: #00568b;" in css and "--nl-link-color: #00568b;" in css
    assert "display" not in css


# -- Editing the look in the admin ------------------------------------------------------


def test_bad_contrast_is_refused_at_the_field_and_nothing_changes(beheerder_client, almelo):
    organisation = almelo_organisation()
    history = organisation.history.count()
    response = beheerder_client.post(
        change_url(organisation),
        look_form(organisation, header_background="#ffffff", header_text_color="#999999"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["header_text_color"] == [
        "De tekstkleur op de kopregel heeft te weinig contrast (2,8:1; minimaal 4,5:1)."
    ]
    assert "te weinig contrast (2,8:1; minimaal 4,5:1)" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.header_background == theme.DEFAULTS["header_background"]
    assert organisation.history.count() == history


def test_a_colour_that_is_no_colour_is_refused(beheerder_client, almelo):
    organisation = almelo_organisation()
    response = beheerder_client.post(
        change_url(organisation), look_form(organisation, link_color="blauw")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["link_color"] == [
        "Geef een kleur als # met zes tekens 0-9 of a-f, zoals #1d0857."
    ]


def test_beheerder_sets_colours_and_logo_and_the_stylesheet_serves_them(beheerder_client, almelo):
    organisation = almelo_organisation()
    response = beheerder_client.post(
        change_url(organisation),
        {
            **look_form(organisation, primary_color="#C8102E", header_background="#8B0000"),
            "logo_upload": upload(png()),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.primary_color == "#c8102e"
    assert organisation.logo_checksum
    assert organisation.history.first().logo_checksum == organisation.logo_checksum

    css = beheerder_client.get(reverse("organisations:theme_css", args=["almelo"]))
    assert css["Content-Type"] == "text/css; charset=utf-8"
    text = css.content.decode()
    assert "--km-primary: #c8102e;" in text and "--km-header-bg: #8b0000;" in text

    logo = beheerder_client.get(reverse("organisations:logo", args=["almelo"]))
    assert logo["Content-Type"] == "image/png"
    assert Image.open(BytesIO(logo.content)).size == (120, 60)


def test_beheerder_cannot_rename_their_organisation(beheerder_client, almelo):
    organisation = almelo_organisation()
    response = beheerder_client.post(
        change_url(organisation), look_form(organisation, name="Gemeente Elders", slug="elders")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.slug) == ("Gemeente Almelo", "almelo")


def test_beheerder_sees_only_their_own_organisation(beheerder_client, almelo, enschede):
    response = beheerder_client.get(reverse("admin:organisations_organisation_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gemeente Almelo" in page and "Gemeente Enschede" not in page
    assert beheerder_client.get(change_url(enschede)).status_code == 404
    assert beheerder_client.get(reverse("admin:organisations_organisation_add")).status_code == 403


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "logo.svg",
            "Dit bestand is geen PNG- of JPEG-afbeelding",
        ),
        (b"GIF89a" + b"\x00" * 40, "logo.png", "Dit bestand is geen PNG- of JPEG-afbeelding"),
        (png((8, 8)), "logo.png", "Het logo is te klein (8 × 8 beeldpunten)"),
        (b"\x89PNG" + b"\x00" * (1024 * 1024 + 10), "logo.png", "Het logo is te groot"),
    ],
)
def test_a_logo_that_is_no_usable_png_or_jpeg_is_refused(
    beheerder_client, almelo, content, name, message
):
    organisation = almelo_organisation()
    response = beheerder_client.post(
        change_url(organisation), {**look_form(organisation), "logo_upload": upload(content, name)}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["logo_upload"])
    assert not OrganisationLogo.all_logos.exists()


def test_a_jpeg_logo_is_re_encoded_and_scaled_down():
    logo = clean_logo(upload(png((3000, 500), kind="JPEG"), "logo.jpg", "image/jpeg"))
    assert logo.content_type == "image/jpeg"
    assert (logo.width, logo.height) == (1200, 200)
    assert Image.open(BytesIO(logo.content)).format == "JPEG"


# -- The page header --------------------------------------------------------------------


def test_header_links_the_organisations_stylesheet_and_shows_name_and_logo(manager_client, almelo):
    organisation = almelo_organisation()
    page = manager_client.get(reverse("overview")).content.decode()
    css_url = f'/huisstijl/almelo.css?v={organisation.theme_version}"'
    assert css_url in page
    assert '<span class="site-brand__municipality">Gemeente Almelo</span>' in page
    assert "site-brand__logo" not in page  # no logo yet

    set_logo(organisation=organisation, logo=clean_logo(upload(png())))
    page = manager_client.get(reverse("overview")).content.decode()
    assert f'src="/huisstijl/almelo/logo?v={organisation.logo_version}"' in page
    assert 'alt="Logo Gemeente Almelo"' in page


def test_stylesheet_is_cached_under_its_version_and_answers_304(manager_client, almelo):
    organisation = almelo_organisation()
    url = reverse("organisations:theme_css", args=["almelo"])
    fresh = manager_client.get(url, {"v": organisation.theme_version})
    assert "immutable" in fresh["Cache-Control"] and "private" in fresh["Cache-Control"]
    assert manager_client.get(url)["Cache-Control"] == "private, no-cache"
    again = manager_client.get(url, headers={"if-none-match": fresh["ETag"]})
    assert again.status_code == 304


def test_stylesheet_and_logo_of_an_organisation_one_does_not_work_in_are_404(
    manager_client, almelo, enschede
):
    set_logo(organisation=enschede, logo=clean_logo(upload(png())))
    assert (
        manager_client.get(reverse("organisations:theme_css", args=["enschede"])).status_code == 404
    )
    assert manager_client.get(reverse("organisations:logo", args=["enschede"])).status_code == 404
    assert manager_client.get(reverse("organisations:logo", args=["almelo"])).status_code == 404


def test_stylesheet_needs_a_login(client, almelo):
    response = client.get(reverse("organisations:theme_css", args=["almelo"]))
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


# -- The report's cover -----------------------------------------------------------------


def test_report_cover_shows_the_organisation_name_and_logo(almelo):
    organisation = almelo_organisation()
    set_logo(organisation=organisation, logo=clean_logo(upload(png())))
    period = ReportingPeriod.objects.select_related("programme").get(name="Najaarsrapportage 2020")

    content = report_pdf(period).content

    cover = page_texts(content)[0]
    assert "Gemeente Almelo" in cover
    images = reader(content).pages[0].images
    assert len(images) == 1
    assert images[0].image.size == (120, 60)


def test_report_cover_of_an_organisation_without_logo_has_no_image(almelo):
    period = ReportingPeriod.objects.select_related("programme").get(name="Najaarsrapportage 2020")
    content = report_pdf(period).content
    assert "Gemeente Almelo" in page_texts(content)[0]
    assert not reader(content).pages[0].images


def test_a_member_of_two_organisations_sees_the_look_of_the_active_one(client, almelo, enschede):
    Organisation.all_organisations.filter(pk=enschede.pk).update(primary_color="#006400")
    user = make_user("twee", Role.MANAGER)
    Membership.objects.create(user=user, organisation=enschede, role=Role.MANAGER.value)
    client.force_login(user)
    client.post(reverse("organisations:switch"), {"organisation": enschede.pk})
    page = client.get(reverse("overview")).content.decode()
    enschede.refresh_from_db()
    assert f"/huisstijl/enschede.css?v={enschede.theme_version}" in page
    assert (
        "#006400"
        in client.get(reverse("organisations:theme_css", args=["enschede"])).content.decode()
    )


def test_the_web_version_embeds_the_logo_and_its_policy_allows_only_that(manager_client, almelo):
    set_logo(organisation=almelo_organisation(), logo=clean_logo(upload(png())))
    period = ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    response = manager_client.get(reverse("reports:html", args=[period.pk]))
    assert '<img class="cover__logo" src="data:image/png;base64,' in response.content.decode()
    assert 'alt="Logo Gemeente Almelo"' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "img-src data:" in policy and "default-src 'none'" in policy


def test_the_pdf_fetcher_reads_a_png_or_jpeg_data_url_and_no_other():
    fetcher = StaticFilesFetcher()
    image = png()
    response = fetcher.fetch("data:image/png;base64," + base64.b64encode(image).decode())
    assert response.read() == image
    for url in [
        "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode(),
        "data:image/png,not-base64",
        "data:image/png;base64,@@@",
        "data:text/html;base64," + base64.b64encode(b"<p>").decode(),
    ]:
        with pytest.raises(ValueError, match="Reports only read their own static files"):
            fetcher.fetch(url)
