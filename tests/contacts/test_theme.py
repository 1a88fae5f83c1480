"""The region's house-style page (ADR 0164): the registry administrator of the region saves
it; colours below WCAG AA are refused with the measured ratio next to the field, and nothing is
saved; a foreign region's page does not exist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from contacts import services
from contacts.forms import RegionThemeForm
from portal import theme
from portal.models import RegionTheme

pytestmark = pytest.mark.django_db

GOOD = {"display_name": "Regio Rood", "primary_color": "#b30016", "primary_text_color": "#ffffff"}


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "#b30016").save(buffer, format="PNG")
    return buffer.getvalue()


def _url(world):
    return reverse("contacts:theme_region", args=[world.region.pk])


def test_the_form_refuses_low_contrast_with_the_measured_ratio_in_dutch():
    with translation.override("nl"):
        form = RegionThemeForm({**GOOD, "primary_text_color": "#767676", "primary_color": "#777777"})
        assert not form.is_valid()
        message = form.errors["primary_text_color"][0]
    # #767676 on #777777: luminances 0.18116 and 0.18447, (0.23447) / (0.23116) = 1.01.
    assert "1,01:1" in message and "#777777" in message and "4,5:1" in message
    assert message.startswith("De tekstkleur heeft een contrast van")


def test_a_light_primary_without_a_link_colour_is_refused_on_the_primary_field():
    with translation.override("nl"):
        form = RegionThemeForm({**GOOD, "primary_color": "#f2c230", "primary_text_color": "#1b1b1b"})
        assert not form.is_valid()
    # #f2c230 on #f2f5f7 (the footer's grey, the worse of the two backgrounds): 1.6:1.
    ratio = theme.floor_ratio(theme.contrast_ratio("#f2c230", theme.SURFACE_ALT))
    assert f"{ratio:.2f}".replace(".", ",") + ":1" in form.errors["primary_color"][0]
    assert RegionThemeForm({**GOOD, "primary_color": "#f2c230", "primary_text_color": "#1b1b1b",
                            "link_color": "#1d5e20"}).is_valid()  # fmt: skip


def test_colours_are_read_loosely_and_nonsense_is_refused():
    form = RegionThemeForm({**GOOD, "primary_color": "B30016", "link_color": "#1D5E20"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["primary_color"] == "#b30016" and form.cleaned_data["link_color"] == "#1d5e20"
    for bad in ("red", "#b3001", "#gggggg", "#b30016\x00"):
        assert "primary_color" in RegionThemeForm({**GOOD, "primary_color": bad}).errors, bad


def test_the_page_refuses_low_contrast_and_saves_nothing(client, world):
    client.force_login(world.user("registry_admin"))
    response = client.post(
        _url(world), {**GOOD, "link_color": "#aaaaaa"}, HTTP_ACCEPT_LANGUAGE="nl", follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    # #aaaaaa: 170/255 -> 0.40198; #f2f5f7: 0.2126*0.88793 + 0.7152*0.91310 + 0.0722*0.93011
    # = 0.90897; (0.95897) / (0.45198) = 2.12.
    assert "De linkkleur heeft een contrast van 2,12:1" in html
    assert 'aria-invalid="true"' in html
    assert not RegionTheme.objects.exists()


def test_the_page_refuses_a_script_in_an_svg_logo_and_saves_nothing(client, world):
    client.force_login(world.user("registry_admin"))
    logo = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    html = client.post(_url(world), {**GOOD, "logo": logo}).content.decode()
    assert "&lt;{http://www.w3.org/2000/svg}script&gt;" in html
    assert not RegionTheme.objects.exists()


def test_the_registry_admin_saves_the_theme_and_every_page_of_the_region_shows_it(client, world):
    client.force_login(world.user("registry_admin"))
    logo = SimpleUploadedFile(
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="2" height="2"/></svg>',
    )
    response = client.post(_url(world), {**GOOD, "logo": logo})
    assert response.status_code == 302
    row = RegionTheme.objects.get(region=world.region)
    assert (row.display_name, row.primary_color, row.logo_type) == ("Regio Rood", "#b30016", "image/svg+xml")
    assert row.updated_by == world.user("registry_admin")

    client.force_login(world.user("school_coordinator"))
    html = client.get(reverse("home")).content.decode()
    current = theme.theme_for_region(world.region.pk)
    assert current.css_url in html and current.logo_url in html and "Regio Rood" in html
    css = client.get(current.css_url).content.decode()
    assert "--nl-color-primary: #b30016;" in css

    # The other region's pages keep the installation's theme.
    client.force_login(world.abroad.user("school_coordinator"))
    assert "Regio Rood" not in client.get(reverse("home")).content.decode()

    # A favicon: the pages link it instead of the static one.
    client.force_login(world.user("registry_admin"))
    favicon = SimpleUploadedFile("favicon.png", _png())
    assert client.post(_url(world), {**GOOD, "favicon": favicon}).status_code == 302
    client.force_login(world.user("school_coordinator"))
    html = client.get(reverse("home")).content.decode()
    favicon_url = theme.theme_for_region(world.region.pk).favicon_url
    assert favicon_url and f'<link rel="icon" href="{favicon_url}">' in html
    assert "img/favicon.svg" not in html
    assert client.get(favicon_url)["Content-Type"] == "image/png"

    # Removing the logo: the header has none again.
    client.force_login(world.user("registry_admin"))
    client.post(_url(world), {**GOOD, "remove_logo": "on"})
    assert RegionTheme.objects.get(region=world.region).logo_type == ""


def test_the_service_refuses_other_roles_other_regions_and_low_contrast(world):
    for actor in ("steering_member", "school_coordinator"):
        with pytest.raises(PermissionDenied):
            services.set_region_theme(world.user(actor), world.region, **GOOD)
    with pytest.raises(PermissionDenied):
        services.set_region_theme(world.abroad.user("registry_admin"), world.region, **GOOD)
    with pytest.raises(ValidationError) as caught:
        services.set_region_theme(
            world.user("registry_admin"), world.region, **{**GOOD, "primary_text_color": "#b30016"}
        )
    assert "primary_text_color" in caught.value.error_dict
    assert not RegionTheme.objects.exists()


def test_the_page_is_in_the_management_navigation_of_the_registry_admin_only(client, world):
    client.force_login(world.user("registry_admin"))
    assert reverse("contacts:theme") in client.get(reverse("home")).content.decode()
    client.force_login(world.user("steering_member"))
    assert reverse("contacts:theme") not in client.get(reverse("home")).content.decode()


def test_the_demo_regions_wear_different_house_styles(client):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: still one theme per region
    themes = {t.region.code: t for t in RegionTheme.objects.select_related("region")}
    assert set(themes) == {"UTR", "BET"}
    assert themes["UTR"].primary_color != themes["BET"].primary_color
    assert themes["UTR"].display_name != themes["BET"].display_name
    assert themes["UTR"].logo_type == themes["BET"].logo_type == "image/svg+xml"
    for email, name in (("ib@demo.tandem.test", "UTR"), ("ib@betuwe.demo.tandem.test", "BET")):
        client.force_login(get_user_model().objects.get(email=email))
        html = client.get(reverse("home")).content.decode()
        assert themes[name].display_name in html
        assert theme.theme_for_region(themes[name].region_id).logo_url in html
