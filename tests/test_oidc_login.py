"""Sign-in through the municipality's identity provider (organisations/oidc.py), against a
real OpenID Connect provider: node-oidc-provider (tests/oidc/provider.js) on a free port,
and Koersmonitor on pytest-django's live server. `requests` plays the browser: it follows
the redirects, fills in the provider's login form and comes back to /oidc/callback/.

Needs Node.js and npm; the provider's packages are installed with `npm ci` when missing
(.ci/run installs them first). Without node the tests skip with the reason, which under
CI=true is a failure.
"""

import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from measures.constants import Role
from organisations.models import IdentityProviderMapping, Membership, Organisation
from tests.conftest import almelo_organisation, make_user

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_ID = "koersmonitor"
CLIENT_SECRET = "test-geheim-voor-de-provider"
ENTRA_GROUP = "4f1d6c2e-9a3b-4c1e-8d2f-beheer-almelo"

# The provider's accounts: the login is the `sub`; everything else is a claim.
ACCOUNTS = {
    "carla": {
        "email": "carla@almelo.nl",
        "given_name": "Carla",
        "family_name": "de Controller",
        "cbs_code": "0141",
        "roles": ["controller"],
    },
    # No organisation claim: the organisation and the role come from Almelo's mapping.
    "bram": {"email": "bram@almelo.nl", "groups": [ENTRA_GROUP, "ongekoppelde-groep"]},
    "ellen": {"email": "ellen@enschede.nl", "cbs_code": "0153", "roles": ["invoerder", "manager"]},
    "onbekend": {"email": "iemand@elders.nl", "cbs_code": "9999", "roles": ["controller"]},
    "zonderrol": {"email": "zonder@almelo.nl", "cbs_code": "0141", "roles": ["medewerker"]},
    "lokaal": {"email": "lokaal@almelo.nl", "cbs_code": "0141", "roles": ["controller"]},
}

User = get_user_model()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def provider_packages():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("needs Node.js and npm for the OpenID Connect provider (tests/oidc/)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=600
        )
    return node


@pytest.fixture(scope="session")
def provider(live_server, provider_packages, tmp_path_factory):
    """The provider's issuer URL, with Koersmonitor's callback as its one redirect URI."""
    port = free_port()
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    environment = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "ACCOUNTS": json.dumps(ACCOUNTS),
    }
    # Output to a file, not to a pipe nobody reads, which could fill up and stop the provider.
    with log.open("w") as output:
        process = subprocess.Popen(
            [provider_packages, "provider.js"],
            cwd=PROVIDER_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail(f"the OpenID Connect provider did not start:\n{log.read_text()}")
            time.sleep(0.1)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oidc_settings(settings, provider):
    """OIDC switched on as zorg/settings.py does when OIDC_RP_CLIENT_ID is set, with the
    endpoints from the provider's discovery document."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "organisations.oidc.OIDCBackend",
    ]
    return settings


@pytest.fixture
def organisations(transactional_db):
    """Almelo and Enschede, committed so that the live server sees them, and Almelo's
    mapping of an Entra ID group to the beheerder role."""
    almelo = almelo_organisation()
    enschede, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    IdentityProviderMapping.objects.create(
        organisation=almelo, claim_value=ENTRA_GROUP, role=Role.BEHEERDER
    )
    return almelo, enschede


def sign_in(live_server, login: str, start: str = "/inloggen/"):
    """Through the login page's button, the provider's login form and the callback, as a
    browser would. Returns the browser (its cookies) and the page it ends on."""
    browser = requests.Session()
    page = browser.get(f"{live_server.url}{start}", timeout=10)
    button = re.search(
        r'<a class="[^"]*" href="([^"]+)">Inloggen via uw organisatie</a>', page.text
    )
    assert button, "the login page has no button for the identity provider"
    form = browser.get(urljoin(page.url, html.unescape(button.group(1))), timeout=10)
    assert form.url.startswith("http://127.0.0.1:"), f"not at the provider: {form.url}"
    action = re.search(r'<form[^>]*action="([^"]+)"', form.text).group(1)
    landed = browser.post(
        urljoin(form.url, action),
        data={"prompt": "login", "login": login, "password": "wat-dan-ook"},
        timeout=30,
    )
    assert landed.status_code == 200, landed.text
    return browser, landed


def session_of(browser, live_server):
    key = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return import_module(django_settings.SESSION_ENGINE).SessionStore(key)


def roles_of(user, organisation) -> set[str]:
    return set(
        Membership.all_memberships.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.all_memberships.count()


# -- Off: nothing changes ---------------------------------------------------------------


def test_without_configuration_the_login_page_has_only_the_local_form(client, db):
    assert not django_settings.OIDC_ENABLED
    page = client.get("/inloggen/")
    assert "Inloggen via uw organisatie" not in page.content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_with_configuration_the_button_needs_no_script(settings, client, db):
    settings.OIDC_ENABLED = True
    html = client.get("/inloggen/?next=/goedkeuren/").content.decode()
    assert 'href="/oidc/authenticate/?next=/goedkeuren/">Inloggen via uw organisatie</a>' in html
    assert "<script>" not in html and "onclick" not in html


# -- On, against the real provider ------------------------------------------------------


def test_controller_lands_in_the_organisation_of_the_claims(
    live_server, oidc_settings, organisations
):
    almelo, _ = organisations
    browser, page = sign_in(live_server, "carla")

    assert page.url == f"{live_server.url}/", page.url
    assert "Gemeente Almelo" in page.text
    carla = User.objects.get(username="carla")
    assert (carla.email, carla.get_full_name()) == ("carla@almelo.nl", "Carla de Controller")
    assert not carla.has_usable_password()
    assert roles_of(carla, almelo) == {"controller"}
    assert session_of(browser, live_server)["organisation"] == almelo.pk
    # A page for controllers only; the claim mapping is the beheerder's.
    assert browser.get(f"{live_server.url}/goedkeuren/", timeout=10).status_code == 200
    mappings = f"{live_server.url}/beheer/organisations/identityprovidermapping/"
    assert browser.get(mappings, timeout=10).status_code == 403


def test_a_group_in_the_mapping_gives_the_mapped_role(live_server, oidc_settings, organisations):
    almelo, _ = organisations
    browser, page = sign_in(live_server, "bram")

    bram = User.objects.get(username="bram")
    assert roles_of(bram, almelo) == {"beheerder"}
    assert session_of(browser, live_server)["organisation"] == almelo.pk
    mappings = browser.get(
        f"{live_server.url}/beheer/organisations/identityprovidermapping/", timeout=10
    )
    assert mappings.status_code == 200 and ENTRA_GROUP in mappings.text
    assert browser.get(f"{live_server.url}/goedkeuren/", timeout=10).status_code == 403


def test_after_signing_in_the_page_asked_for_opens(live_server, oidc_settings, organisations):
    browser, page = sign_in(live_server, "carla", start="/goedkeuren/")
    assert page.url == f"{live_server.url}/goedkeuren/"
    assert page.status_code == 200


def test_roles_follow_the_provider_in_its_organisation_only(
    live_server, oidc_settings, organisations
):
    """Ellen signed in before and was controller in Enschede; the provider now says
    invoerder and manager there. Her role in Almelo, given in Koersmonitor, stays. The
    active organisation is Enschede, although Almelo comes first in her list."""
    almelo, enschede = organisations
    ellen = make_user("ellen", Role.CONTROLLER, organisation=enschede)
    ellen.set_unusable_password()
    ellen.save()
    Membership.all_memberships.create(user=ellen, organisation=almelo, role=Role.MANAGER)

    browser, page = sign_in(live_server, "ellen")

    assert roles_of(ellen, enschede) == {"invoerder", "manager"}
    assert roles_of(ellen, almelo) == {"manager"}
    signed_in = Membership.history.filter(
        user=ellen, organisation=enschede, history_change_reason="Inloggen via OpenID Connect"
    )
    assert sorted(signed_in.values_list("history_type", "role", "history_user__username")) == [
        ("+", "invoerder", "ellen"),
        ("+", "manager", "ellen"),
        ("-", "controller", "ellen"),
    ]
    assert session_of(browser, live_server)["organisation"] == enschede.pk
    assert "Gemeente Enschede" in page.text
    assert browser.get(f"{live_server.url}/goedkeuren/", timeout=10).status_code == 403


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("onbekend", "Uw organisatie is niet bekend in Koersmonitor."),
        ("zonderrol", "U hebt geen rol in Koersmonitor; vraag uw beheerder om toegang."),
    ],
)
def test_refused_sign_in_says_why_and_creates_nothing(
    live_server, oidc_settings, organisations, login, message
):
    before = counts()
    browser, page = sign_in(live_server, login)

    assert page.url == f"{live_server.url}/inloggen/"
    assert message in page.text
    assert counts() == before
    assert not User.objects.filter(username=login).exists()
    assert "_auth_user_id" not in session_of(browser, live_server)


def test_a_local_account_of_the_same_name_is_not_taken_over(
    live_server, oidc_settings, organisations
):
    almelo, _ = organisations
    lokaal = make_user("lokaal", Role.INVOERDER)
    before = counts()

    browser, page = sign_in(live_server, "lokaal")

    assert page.url == f"{live_server.url}/inloggen/"
    assert "Er is al een account met deze gebruikersnaam" in page.text
    assert counts() == before
    assert roles_of(lokaal, almelo) == {"invoerder"}


def test_local_password_login_still_works_with_oidc_on(live_server, oidc_settings, organisations):
    make_user("ina", Role.INVOERDER)
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/inloggen/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    landed = browser.post(
        f"{live_server.url}/inloggen/",
        data={"csrfmiddlewaretoken": token, "username": "ina", "password": "geheim-123"},
        headers={"Referer": page.url},
        timeout=10,
    )
    assert landed.url == f"{live_server.url}/"
    assert "_auth_user_id" in session_of(browser, live_server)


# -- Beside the provider: local logins, the lockout, the mapping's admin -----------------


@pytest.fixture
def provider_down(settings):
    """OIDC switched on, with a provider nobody answers for."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = (
        f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    )
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "organisations.oidc.OIDCBackend",
    ]


def test_a_password_login_never_asks_the_provider(provider_down, client, db):
    """Not even with a code and state in the query string: only the callback signs in
    through the provider."""
    make_user("ina", Role.INVOERDER)
    response = client.post(
        "/inloggen/?code=gestolen&state=geraden", {"username": "ina", "password": "geheim-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_provider_that_is_down_is_explained_on_the_login_page(provider_down, client, db):
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [("/inloggen/", 302)]
    assert "De inlogdienst van uw organisatie is nu niet bereikbaar" in response.content.decode()


def test_the_lockout_still_comes_first(provider_down, client, db):
    make_user("ina", Role.INVOERDER)
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": "ina", "password": "fout"})
    response = client.post("/inloggen/", {"username": "ina", "password": "geheim-123"})
    assert response.status_code == 429
    # The page still offers the organisation's sign-in.
    assert "Inloggen via uw organisatie" in response.content.decode()


def test_a_beheerder_keeps_the_mapping_of_their_own_organisation(client, db):
    enschede, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    IdentityProviderMapping.objects.create(
        organisation=almelo_organisation(), claim_value="groep-van-almelo", role=Role.CONTROLLER
    )
    client.force_login(make_user("beheer.enschede", Role.BEHEERDER, organisation=enschede))
    url = "/beheer/organisations/identityprovidermapping/"

    assert "groep-van-almelo" not in client.get(url).content.decode()
    response = client.post(f"{url}add/", {"claim_value": "groep-van-enschede", "role": "beheerder"})

    assert response.status_code == 302
    added = IdentityProviderMapping.objects.get(claim_value="groep-van-enschede")
    assert added.organisation == enschede
    assert added.history.get().history_user.username == "beheer.enschede"


def test_a_beheerder_maps_only_to_roles_they_hold(client, almelo):
    """A mapping gives its role to a whole group: a beheerder cannot make controllers
    through it any more than through the user admin."""
    client.force_login(make_user("beheer.almelo", Role.BEHEERDER))
    url = "/beheer/organisations/identityprovidermapping/add/"
    response = client.post(url, {"claim_value": "alle-medewerkers", "role": "controller"})

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not IdentityProviderMapping.objects.filter(claim_value="alle-medewerkers").exists()


@pytest.mark.parametrize(
    ("environment", "backend_added"),
    [
        ({}, False),
        (
            {
                "OIDC_RP_CLIENT_ID": "koersmonitor",
                "OIDC_RP_CLIENT_SECRET": "geheim",
                "OIDC_OP_DISCOVERY_URL": "https://login.example.nl/.well-known/openid-configuration",
            },
            True,
        ),
    ],
)
def test_the_backend_is_added_after_the_lockout_only_when_configured(environment, backend_added):
    backends = settings_in_a_new_process(environment)
    assert backends[:2] == ["axes.backends.AxesStandaloneBackend", "zorg.auth.ModelBackend"]
    assert ("organisations.oidc.OIDCBackend" in backends) is backend_added


def test_a_client_id_without_secret_or_provider_is_refused_at_startup():
    error = settings_in_a_new_process({"OIDC_RP_CLIENT_ID": "koersmonitor"}, check=False)
    assert "OIDC_RP_CLIENT_SECRET must be set" in error


def settings_in_a_new_process(environment: dict, check=True):
    """zorg/settings.py read afresh with `environment` and none of the machine's OIDC
    variables: its AUTHENTICATION_BACKENDS, or the error when check is False."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, zorg.settings as s; print(json.dumps(s.AUTHENTICATION_BACKENDS))",
        ],
        cwd=django_settings.BASE_DIR,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if not check:
        assert result.returncode != 0
        return result.stderr
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
