"""Every URL pattern of the project against anonymous and every role, with GET and POST,
checked on the server.

TABLE below has one row per URL pattern (the admin's included) with the outcome each
of (anonymous, invoerder, controller, manager, beheerder) should get: OK (a page, or a
redirect elsewhere than a login page), DONE (OK, and the row's action happened), LOGIN (sent
to a login page), 403, 404 or 405. A pattern without a row fails
`test_every_url_pattern_has_a_row`, so a new URL cannot be forgotten. A POST sends a body
that would change something where it may (the app's actions send what their form sends);
every cell but a DONE one must leave the data exactly as it was (tests/urlmatrix.py's
fingerprint), so a refused request changes nothing. VARIANTS adds the cells that depend on
more than the URL pattern: whose update it is, whose account.
"""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from budgets.models import (
    BudgetFigure,
    LedgerCode,
    Product,
    StatementLayout,
    TaskField,
    VarianceExplanation,
)
from chapters.models import ActionPoint, ActionPointStatus, Text, TextKind, TextVersion, Theme
from imports.models import ImportKind, ImportRecord, ImportSource, ImportStatus
from indicators.models import Indicator, IndicatorValue, NationalIndicator, ValueKind
from measures.constants import PeriodKind, UpdateState
from measures.models import (
    Assessment,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusScale,
    TargetRevision,
)
from notifications.models import NotificationSettings
from organisations.logo import clean_logo
from organisations.models import IdentityProviderMapping, Membership, Organisation, Region
from organisations.services import set_logo
from organisations.theme import TOKEN_FIELDS
from reports.models import PublishedReport, RenderedReport, ReportLayout
from tests.conftest import almelo_organisation
from tests.urlmatrix import (
    ANONYMOUS,
    METHODS,
    WHO,
    Outcome,
    Row,
    changed_tables,
    classify,
    fingerprint,
    key_of,
    url_patterns,
)
from tests.workflow import form_data, open_period, update_of

OK, DONE, LOGIN = Outcome.OK, Outcome.DONE, Outcome.LOGIN
E403, E404, E405 = Outcome.FORBIDDEN, Outcome.NOT_FOUND, Outcome.NOT_ALLOWED

User = get_user_model()


def app(invoerder, controller, manager, beheerder):
    """The app's pages: every page needs a login (LoginRequiredMiddleware)."""
    return (LOGIN, invoerder, controller, manager, beheerder)


def admin(controller, manager, beheerder):
    """The admin: anonymous users and the invoerder (not staff) are sent to log in."""
    return (LOGIN, LOGIN, controller, manager, beheerder)


EVERYONE = app(OK, OK, OK, OK)
# The public pages: anonymous visitors too, and nothing but reading.
PUBLIC = (OK,) * len(WHO)
NOT_ALLOWED = (E405,) * len(WHO)
NOBODY = (E404,) * len(WHO)
CONTROLLER = app(E403, OK, E403, E403)
STAFF = admin(OK, OK, OK)


# -- The demo data the URLs point to ----------------------------------------------------


def user(username):
    return User.objects.get(username=username)


def programme():
    return Programme.objects.get(name="Programma Zorg")


def closed_period():
    return ReportingPeriod.objects.get(name="Midterm review 2020")


def twente():
    """A region with Almelo as a member (issue 9 item 4)."""
    region, _ = Region.objects.get_or_create(name="Twente")
    region.memberships.get_or_create(organisation=almelo_organisation())
    return region


def region_elsewhere():
    """A region of which Almelo is not a member: its page answers 404, not 403."""
    venlo, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0983", defaults={"name": "Gemeente Venlo", "short_name": "Venlo", "slug": "venlo"}
    )
    region, _ = Region.objects.get_or_create(name="Noord-Limburg")
    region.memberships.get_or_create(organisation=venlo)
    return region


def own_update():
    return update_of("Stoppen met dienstencheques")  # a draft of the demo invoerder


def others_update():
    return update_of("Peuteropvang")  # owned by projectleider.jeugd


def submitted_update():
    return update_of("Aanpassing PGB tarieven")  # submitted by the demo invoerder


def approved_assessment():
    """An approved status of the open period: what issue 8 item 1 changed from its history."""
    return Assessment.objects.get(measure__title="Doorbraakmethode", period=open_period())


def latest_history(obj):
    return [obj.pk, obj.history.order_by("-history_id").first().history_id]


def manager_job():
    """A background job the manager asked for: only its asker sees it (jobs.views)."""
    from jobs.models import Job

    job = Job.all_jobs.filter(title="Matrixtaak").first()
    if job is None:
        job = Job.all_jobs.create(
            organisation=almelo_organisation(),
            created_by=user("manager"),
            kind="test",
            title="Matrixtaak",
            task_path="tests.jobs.tasks.count_to",
        )
    return job


def published_report():
    """A stand-in for the closed period's published report: the downloads then return its
    stored bytes instead of rendering the PDF in every cell."""
    return PublishedReport.objects.create(
        period=closed_period(),
        pdf=b"%PDF-1.7 stand-in",
        html="<!DOCTYPE html><p>Stand-in</p>",
        checksum=PublishedReport.checksum_of(b"%PDF-1.7 stand-in"),
        page_count=1,
        built_at=timezone.now(),
        published_by=user("controller"),
    )


def public_report_args():
    return ["almelo", published_report().pk]


def other_organisations_slug():
    """Gemeente Venlo's address: active, and none of Almelo's reports are its."""
    venlo, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0983", defaults={"name": "Gemeente Venlo", "short_name": "Venlo", "slug": "venlo"}
    )
    return venlo.slug


def inactive_almelo():
    """Almelo with its public pages switched off."""
    Organisation.all_organisations.filter(slug="almelo").update(is_active=False)
    return "almelo"


def rendered_report():
    """A stand-in for a draft PDF a job rendered (reports.tasks.render_report)."""
    rendered = RenderedReport.objects.filter(period=closed_period()).first()
    if rendered is None:
        rendered = RenderedReport.objects.create(
            period=closed_period(),
            data_version="0" * 64,
            pdf=b"%PDF-1.7 stand-in",
            page_count=1,
            built_at=timezone.now(),
        )
    return rendered


def report_job_started(kind: str):
    from jobs.models import Job

    return lambda: Job.all_jobs.filter(kind=kind).exists()


def import_record():
    """A finished import by the controller: the import pages show only one's own."""
    return ImportRecord.objects.create(
        organisation=almelo_organisation(),
        user=user("controller"),
        source=ImportSource.PAGE,
        programme=programme(),
        period=open_period(),
        file_name="maatregelen.csv",
        file_size=0,
        checksum="0" * 64,
        status=ImportStatus.APPLIED,
        applied_at=timezone.now(),
    )


def indicator_import_record():
    """A finished import of indicator values by the controller."""
    return ImportRecord.objects.create(
        organisation=almelo_organisation(),
        user=user("controller"),
        source=ImportSource.PAGE,
        kind=ImportKind.INDICATOR_VALUES,
        programme=programme(),
        period=open_period(),
        file_name="indicatoren.csv",
        file_size=0,
        checksum="0" * 64,
        status=ImportStatus.APPLIED,
        applied_at=timezone.now(),
    )


def ledger_import_record():
    """A finished import of budget figures by the controller."""
    return ImportRecord.objects.create(
        organisation=almelo_organisation(),
        user=user("controller"),
        source=ImportSource.PAGE,
        kind=ImportKind.BUDGET_FIGURES,
        programme=programme(),
        period=open_period(),
        file_name="grootboek.csv",
        file_size=0,
        checksum="0" * 64,
        status=ImportStatus.APPLIED,
        applied_at=timezone.now(),
    )


def ledger_code():
    """A ledger code of Almelo's, mapped to a taakveld."""
    return LedgerCode.objects.get_or_create(
        organisation=almelo_organisation(),
        code="4711",
        defaults={"task_field": TaskField.objects.get(code="6.1")},
    )[0]


def target_revision():
    task = SavingsTask.objects.get(programme=programme(), year=2022)
    return TargetRevision.objects.create(
        savings_task=task,
        previous_amount=task.amount,
        new_amount=task.amount,
        reason="Raadsbesluit",
        decision_reference="BW-7420",
        decided_on=date(2020, 11, 10),
        created_by=user("controller"),
    )


# Objects made to be deleted: named "Wegwerp…" so that the effect can find them.
def throwaway_group():
    return Group.objects.create(name="Wegwerpgroep")


def throwaway_user():
    """A member of Almelo (an invoerder): the user admin lists the organisation's members."""
    user = User.objects.create_user("wegwerp")
    Membership.objects.create(user=user, organisation=almelo_organisation(), role="invoerder")
    return user


def other_organisations_user():
    """A member of Gemeente Hengelo only: another organisation for Almelo's users and for
    Enschede's (the cross-organisation cells below)."""
    hengelo, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0164",
        defaults={"name": "Gemeente Hengelo", "short_name": "Hengelo", "slug": "hengelo"},
    )
    user = User.objects.create_user("henk")
    Membership.objects.create(user=user, organisation=hengelo, role="invoerder")
    return user


def throwaway_membership():
    throwaway_user()
    return Membership.objects.get(user__username="wegwerp")


def membership_of(username):
    return Membership.objects.get(user__username=username)


def throwaway_scale():
    return StatusScale.objects.create(organisation=almelo_organisation(), name="Wegwerpschaal")


def throwaway_programme():
    return Programme.objects.create(
        name="Wegwerpprogramma",
        organisation=almelo_organisation(),
        first_year=2021,
        last_year=2022,
        target_year=2022,
        status_scale=throwaway_scale(),
    )


def throwaway_goal():
    return Goal.objects.create(programme=programme(), number=9, title="Wegwerpdoel")


def throwaway_plan():
    return MeasurePlan.objects.create(
        programme=programme(), name="Wegwerpplan", first_year=2019, last_year=2022
    )


def throwaway_measure():
    return Measure.objects.create(programme=programme(), title="Wegwerpmaatregel")


def throwaway_period():
    return ReportingPeriod.objects.create(
        programme=programme(),
        name="Wegwerpmoment",
        kind="tussenrapportage",
        reference_date=date(2021, 7, 1),
    )


def mapping():
    """An entry of Almelo's claim mapping (sign-in through OpenID Connect)."""
    return IdentityProviderMapping.objects.get_or_create(
        organisation=almelo_organisation(), claim_value="groep-controllers", role="controller"
    )[0]


def throwaway_mapping():
    return IdentityProviderMapping.objects.create(
        organisation=almelo_organisation(), claim_value="wegwerpgroep", role="invoerder"
    )


def gone(model, **lookup):
    return lambda: not model._base_manager.filter(**lookup).exists()


def delete_selected(make):
    """The changelist's "delete selected" action, confirmed, on a new object."""
    return lambda: {"action": "delete_selected", "_selected_action": [make().pk], "post": "yes"}


def delete_existing(find):
    """The same on an existing object, for a model nobody may delete."""
    return lambda: {"action": "delete_selected", "_selected_action": [find().pk], "post": "yes"}


def almelo_with_logo():
    """Almelo with a logo (the demo has none), for the logo's URL."""
    image = BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(image, format="PNG")
    organisation = almelo_organisation()
    set_logo(
        organisation=organisation,
        logo=clean_logo(SimpleUploadedFile("logo.png", image.getvalue())),
    )
    return organisation.slug


def change_look():
    """The organisation's change form as a beheerder sends it, with another main colour."""
    organisation = almelo_organisation()
    body = {field: getattr(organisation, field) for field in TOKEN_FIELDS}
    return {**body, "primary_color": "#006400"}


# -- The app's actions: what their forms send, and what they do -------------------------


def save_own():
    return form_data(own_update(), explanation="Gewijzigd", save="1")


def save_others():
    return form_data(others_update(), explanation="Gewijzigd", save="1")


def approve():
    return {"update": [submitted_update().pk]}


def send_back():
    return {"reason": "Graag aanvullen"}


def open_new_period():
    return {
        "programme": programme().pk,
        "name": "Voorjaarsnota 2021",
        "kind": "voorjaarsnota",
        "reference_date": "2021-04-01",
    }


def close():
    """Closing refuses while updates wait for approval; set them back to draft first."""
    MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).update(state=UpdateState.DRAFT)
    return {}


def revise():
    task = SavingsTask.objects.get(programme=programme(), year=2022)
    return {
        "target": f"task-{task.pk}",
        "new_amount": "5.750.000",
        "reason": "Raadsbesluit",
        "decision_reference": "BW-7420",
        "decided_on": "2020-11-10",
    }


def add_goal():
    return {"programme": programme().pk, "number": "5", "title": "Nieuw doel", "description": ""}


def add_user():
    """A new colleague with a role in the organisation (without one they would not be a
    member, and not on the beheerder's list): one the beheerder holds."""
    return {
        "username": "nieuwe.collega",
        "password1": "Een-Lang-Wachtwoord-42",
        "password2": "Een-Lang-Wachtwoord-42",
        "usable_password": "true",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-role": "beheerder",
    }


def add_mapping():
    return {"claim_value": "nieuwe-groep", "role": "beheerder"}


def add_role():
    return {"user": user("manager").pk, "role": "beheerder"}


def give_beheerders_approval():
    """Issue 8 item 2: the beheerder group given the controller's approval permission."""
    group = Group.objects.get(name="beheerder")
    approve = Permission.objects.get(codename="approve_measureupdate")
    permissions = [*group.permissions.values_list("pk", flat=True), approve.pk]
    return {"name": group.name, "permissions": permissions}


def form_body(obj, **changes) -> dict:
    """What an admin form for obj sends as shown, with `changes`."""
    body = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        if name == "id" or value is None or value is False:
            continue
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            body[f"{name}_0"], body[f"{name}_1"] = local.date().isoformat(), f"{local:%H:%M:%S}"
        elif isinstance(value, date):
            body[name] = value.isoformat()
        elif value is True:
            body[name] = "on"
        elif isinstance(value, list):
            body[name] = [item.pk for item in value]
        else:
            body[name] = value
    return body


def make_myself_controller():
    """Issue 8 item 2: the beheerder's own account with the controller role added, as a
    new row of the roles inline (issue 9 item 2)."""
    me = user("beheerder")
    own = membership_of("beheerder")
    return {
        **form_body(me),
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": own.pk,
        "memberships-0-user": me.pk,
        "memberships-0-role": own.role,
        "memberships-1-role": "controller",
    }


def make_my_role_controller():
    return form_body(membership_of("beheerder"), role="controller")


# Issue 8 item 1: the form on a history page, saved with a change.
def revert_measure():
    return form_body(approved_assessment().measure, title="Andere titel", owner=user("manager").pk)


def revert_period():
    return form_body(open_period(), name="Andere naam")


def revert_assessment():
    assessment = approved_assessment()
    other = assessment.status.scale.levels.exclude(pk=assessment.status_id).first()
    return form_body(assessment, status=other.pk, approved_by=user("manager").pk)


def revert_membership():
    return form_body(membership_of("invoerder"), role="controller")


def revert_update():
    return form_body(submitted_update(), state=UpdateState.APPROVED, reviewed_by=user("manager").pk)


# -- The chapter (issue 10): the demo has none yet, so the matrix makes a small one. -----


def chapter_row(model_name: str, title: str, owner: str, *, submitted: bool = False):
    """A text's or action point's row in the open period, of `owner`, made once."""
    from chapters.models import ActionPoint, ActionPointStatus, Text, TextVersion
    from chapters.services import row_for, save_row, submit_row

    if model_name == "text":
        model, subject = TextVersion, Text.objects.filter(programme=programme(), heading=title)
        make = lambda: Text.objects.create(  # noqa: E731
            programme=programme(), kind="terugblik", heading=title, owner=user(owner)
        )
    else:
        model, subject = ActionPointStatus, ActionPoint.objects.filter(title=title)
        number = str(ActionPoint.objects.filter(programme=programme()).count() + 1)
        make = lambda: ActionPoint.objects.create(  # noqa: E731
            programme=programme(), number=number, title=title, owner=user(owner)
        )
    subject = subject.first() or make()
    row = row_for(model, subject=subject, period=open_period(), user=user(owner))
    if row.version == 1:
        content = {"body": "Matrixtekst"} if model is TextVersion else {}
        if model is ActionPointStatus:
            content["status"] = (
                programme().status_scale.levels.filter(counts_as_on_course=True).first()
            )
        row = save_row(
            model=model, row_id=row.pk, user=user(owner), expected_version=1, content=content
        )
        if submitted:
            row = submit_row(model=model, row_id=row.pk, user=user(owner))
    return model.objects.get(pk=row.pk)


def own_text():
    return chapter_row("text", "Matrix: eigen tekst", "invoerder")


def others_text():
    return chapter_row("text", "Matrix: tekst van een ander", "projectleider.jeugd")


def submitted_text():
    return chapter_row("text", "Matrix: ingediende tekst", "invoerder", submitted=True)


def own_status():
    return chapter_row("status", "Matrix: eigen actiepunt", "invoerder")


def others_status():
    return chapter_row("status", "Matrix: actiepunt van een ander", "projectleider.jeugd")


def matrix_indicator(owner: str):
    from indicators.models import Indicator

    name = f"Matrixindicator van {owner}"
    return Indicator.objects.filter(name=name).first() or Indicator.objects.create(
        programme=programme(), name=name, decimals=1, owner=user(owner)
    )


def indicator_values_args(owner: str):
    return lambda: [matrix_indicator(owner).pk, open_period().pk]


def enter_value():
    return {
        "waarden-TOTAL_FORMS": "1",
        "waarden-INITIAL_FORMS": "0",
        "waarden-0-year": "2020",
        "waarden-0-kind": "realisatie",
        "waarden-0-value": "47,7",
    }


def has_value(owner: str):
    from indicators.models import IndicatorValue

    return lambda: IndicatorValue.objects.filter(indicator=matrix_indicator(owner)).exists()


def save_row_form(find, **content):
    return lambda: {**content, "version": find().version, "save": "1"}


# -- The table ---------------------------------------------------------------------------
#

# -- The chapter's objects (issue 10), made where a row needs one ------------------------


def a_theme():
    theme, _ = Theme.objects.get_or_create(programme=programme(), title="Matrixthema")
    return theme


def an_action_point():
    point, _ = ActionPoint.objects.get_or_create(
        programme=programme(), number="99", defaults={"title": "Matrixactiepunt"}
    )
    return point


def a_text():
    text, _ = Text.objects.get_or_create(
        programme=programme(), kind=TextKind.SUMMARY, heading="Matrixtekst"
    )
    return text


def a_text_version():
    version, _ = TextVersion.objects.get_or_create(text=a_text(), period=open_period())
    return version


def an_action_point_status():
    status, _ = ActionPointStatus.objects.get_or_create(
        action_point=an_action_point(), period=open_period()
    )
    return status


def an_indicator():
    indicator, _ = Indicator.objects.get_or_create(
        programme=programme(), name="Matrixindicator", defaults={"decimals": 1}
    )
    return indicator


def an_indicator_value():
    value, _ = IndicatorValue.objects.get_or_create(
        indicator=an_indicator(),
        period=open_period(),
        year=2020,
        kind=ValueKind.ACTUAL,
        defaults={"value": "47.7"},
    )
    return value


def a_national_indicator():
    """The set comes with a migration, which keeps no history: a change of a superuser's
    gives the definition its first history row."""
    national = NationalIndicator.objects.order_by("number").first()
    if not national.history.exists():
        national._history_user = User.objects.filter(is_superuser=True).first() or user("beheerder")
        national.save()
    return national


THROWAWAYS = {
    "chapters_theme": lambda: Theme.objects.create(programme=programme(), title="Wegwerpthema"),
    "chapters_actionpoint": lambda: ActionPoint.objects.create(
        programme=programme(), number="98", title="Wegwerpactiepunt"
    ),
    "chapters_text": lambda: Text.objects.create(
        programme=programme(), kind=TextKind.OTHER, heading="Wegwerptekst"
    ),
    "indicators_indicator": lambda: Indicator.objects.create(
        programme=programme(), name="Wegwerpindicator"
    ),
    "indicators_indicatorvalue": lambda: IndicatorValue.objects.create(
        indicator=an_indicator(),
        period=open_period(),
        year=2019,
        kind=ValueKind.TARGET,
        value="1",
        qualifier="wegwerp",
    ),
}
GONE = {
    "chapters_theme": gone(Theme, title="Wegwerpthema"),
    "chapters_actionpoint": gone(ActionPoint, title="Wegwerpactiepunt"),
    "chapters_text": gone(Text, heading="Wegwerptekst"),
    "indicators_indicator": gone(Indicator, name="Wegwerpindicator"),
    "indicators_indicatorvalue": gone(IndicatorValue, qualifier="wegwerp"),
}


def kept_by_controllers(prefix: str, find) -> dict:
    """The admin rows of a chapter model that the controller keeps and the others read."""
    make, effect = THROWAWAYS[prefix], GONE[prefix]
    app_label, model = prefix.split("_", 1)
    return {
        f"admin:{prefix}_changelist": Row(
            get=STAFF, post=admin(DONE, OK, OK), data=delete_selected(make), effect=effect
        ),
        f"admin:{prefix}_add": Row(get=admin(OK, E403, E403), post=admin(OK, E403, E403)),
        f"admin:{prefix}_history": Row(args=lambda: [find().pk], get=STAFF, post=STAFF),
        f"admin:{prefix}_simple_history": Row(
            args=lambda: latest_history(find()), get=STAFF, post=admin(E403, E403, E403)
        ),
        f"admin:{prefix}_delete": Row(
            args=lambda: [make().pk],
            get=admin(OK, E403, E403),
            post=admin(DONE, E403, E403),
            effect=effect,
        ),
        f"admin:{prefix}_change": Row(
            args=lambda: [find().pk], get=STAFF, post=admin(OK, E403, E403)
        ),
        f"beheer/{app_label}/{model}/<path:object_id>/": Row(
            path=lambda: f"/beheer/{app_label}/{model}/{find().pk}/", get=STAFF, post=STAFF
        ),
    }


def read_only_for_all(prefix: str, find) -> dict:
    """The admin rows of a model that nobody changes in the admin: what is written per
    period goes through the workflow; the national BBV set is a superuser's."""
    app_label, model = prefix.split("_", 1)
    return {
        f"admin:{prefix}_changelist": Row(get=STAFF, post=STAFF, data=delete_existing(find)),
        f"admin:{prefix}_add": Row(get=admin(E403, E403, E403), post=admin(E403, E403, E403)),
        f"admin:{prefix}_history": Row(args=lambda: [find().pk], get=STAFF, post=STAFF),
        f"admin:{prefix}_simple_history": Row(
            args=lambda: latest_history(find()), get=STAFF, post=admin(E403, E403, E403)
        ),
        f"admin:{prefix}_delete": Row(
            args=lambda: [find().pk], get=admin(E403, E403, E403), post=admin(E403, E403, E403)
        ),
        f"admin:{prefix}_change": Row(
            args=lambda: [find().pk], get=STAFF, post=admin(E403, E403, E403)
        ),
        f"beheer/{app_label}/{model}/<path:object_id>/": Row(
            path=lambda: f"/beheer/{app_label}/{model}/{find().pk}/", get=STAFF, post=STAFF
        ),
    }


CHAPTER_ADMIN_ROWS = {
    **kept_by_controllers("chapters_theme", a_theme),
    **kept_by_controllers("chapters_actionpoint", an_action_point),
    **kept_by_controllers("chapters_text", a_text),
    **read_only_for_all("chapters_textversion", a_text_version),
    **read_only_for_all("chapters_actionpointstatus", an_action_point_status),
    **kept_by_controllers("indicators_indicator", an_indicator),
    **kept_by_controllers("indicators_indicatorvalue", an_indicator_value),
    **read_only_for_all("indicators_nationalindicator", a_national_indicator),
}

# -- The money (issue 11): variance explanations, the figures form and the admin ---------


def almelo_product():
    return Product.objects.filter(programme=programme()).order_by("order", "pk").first()


def matrix_explanation(label: str, *, submitted: bool = False):
    """An explanation of Almelo's open period by the demo invoerder, made once."""
    from budgets import services as budget_services

    found = VarianceExplanation.objects.filter(period=open_period(), label=label).first()
    if found is not None:
        return found
    writer = user("invoerder")
    made = budget_services.save_explanation(
        period=open_period(),
        user=writer,
        label=label,
        amount=-120_000,
        text="Matrixtoelichting",
        products=[almelo_product()],
    )
    if submitted:
        budget_services.submit_explanations(period=open_period(), user=writer)
    return VarianceExplanation.objects.get(pk=made.pk)


def draft_explanation():
    return matrix_explanation("Matrix: concept")


def submitted_explanation():
    return matrix_explanation("Matrix: ingediend", submitted=True)


def explanation_body(**changes):
    return lambda: {
        "label": "Matrix: nieuw",
        "amount": "-120.000",
        "products": [almelo_product().pk],
        "text": "Matrixtoelichting",
        **changes,
    }


def has_explanation(label: str, **lookup):
    return lambda: VarianceExplanation.objects.filter(
        period=open_period(), label=label, **lookup
    ).exists()


def figures_path():
    url = reverse("budgets:figures_form", args=[open_period().pk])
    return f"{url}?product={almelo_product().pk}"


def a_budget_figure():
    figure, _ = BudgetFigure.objects.get_or_create(
        period=open_period(),
        product=almelo_product(),
        year=2020,
        category="lasten",
        column="na_wijziging",
        defaults={"amount": 1_000_000},
    )
    return figure


def a_statement_layout():
    layout, _ = StatementLayout.objects.get_or_create(organisation=almelo_organisation())
    return layout


def a_task_field():
    """The Iv3 list comes with a migration, which keeps no history: a save gives the
    taakveld its first history row."""
    task_field = TaskField.objects.get(code="6.6")
    if not task_field.history.exists():
        task_field._history_user = user("controller")
        task_field.save()
    return task_field


THROWAWAYS.update(
    {
        "budgets_product": lambda: Product.objects.create(
            programme=programme(), name="Wegwerpproduct"
        ),
        "budgets_budgetfigure": lambda: BudgetFigure.objects.create(
            period=open_period(),
            year=2020,
            category="storting",
            reserve="Wegwerpreserve",
            column="realisatie",
            amount=1,
        ),
        "budgets_statementlayout": a_statement_layout,
    }
)
GONE.update(
    {
        "budgets_product": gone(Product, name="Wegwerpproduct"),
        "budgets_budgetfigure": gone(BudgetFigure, reserve="Wegwerpreserve"),
        "budgets_statementlayout": gone(StatementLayout, organisation__cbs_code="0141"),
    }
)


def a_report_layout():
    """Almelo's layout of its midterm review (the demo's)."""
    return ReportLayout.objects.get(
        organisation=almelo_organisation(), kind=PeriodKind.MIDTERM_REVIEW
    )


THROWAWAYS["reports_reportlayout"] = lambda: ReportLayout.objects.create(
    organisation=almelo_organisation(),
    kind=PeriodKind.VOORJAARSNOTA,
    sections=[["summary", "Wegwerpopbouw"]],
)
GONE["reports_reportlayout"] = gone(ReportLayout, kind=PeriodKind.VOORJAARSNOTA)

BUDGET_ADMIN_ROWS = {
    **kept_by_controllers("reports_reportlayout", a_report_layout),
    **kept_by_controllers("budgets_product", almelo_product),
    **kept_by_controllers("budgets_budgetfigure", a_budget_figure),
    **kept_by_controllers("budgets_statementlayout", a_statement_layout),
    **read_only_for_all("budgets_varianceexplanation", draft_explanation),
    **read_only_for_all("budgets_taskfield", a_task_field),
}

# Every role reads the explanations; writers (invoerder, controller) add, change and
# submit them; the controller deletes, approves (four eyes: the demo invoerder wrote
# them) and sends back, and keeps the figures.
BUDGET_ROWS = {
    "budgets:explanations": Row(
        args=lambda: [open_period().pk], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    "budgets:explanations_export": Row(
        path=lambda: (
            f"{reverse('budgets:explanations_export', args=[open_period().pk])}?format=csv"
        ),
        get=EVERYONE,
        post=app(E405, E405, E405, E405),
    ),
    "budgets:explanation_add": Row(
        args=lambda: [open_period().pk],
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=explanation_body(),
        effect=has_explanation("Matrix: nieuw"),
    ),
    "budgets:explanation_change": Row(
        args=lambda: [draft_explanation().pk],
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=lambda: {
            **explanation_body(label="Matrix: gewijzigd")(),
            "version": draft_explanation().version,
        },
        effect=has_explanation("Matrix: gewijzigd"),
    ),
    "budgets:explanation_delete": Row(
        args=lambda: [draft_explanation().pk],
        get=app(E403, OK, E403, E403),
        post=app(E403, DONE, E403, E403),
        data=dict,
        effect=lambda: not has_explanation("Matrix: concept")(),
    ),
    "budgets:explanations_submit": Row(
        args=lambda: [open_period().pk],
        get=app(E405, E405, E405, E405),
        post=app(DONE, DONE, E403, E403),
        data=lambda: draft_explanation() and {},
        effect=has_explanation("Matrix: concept", state=UpdateState.SUBMITTED),
    ),
    "budgets:explanations_approve": Row(
        args=lambda: [open_period().pk],
        get=app(E405, E405, E405, E405),
        post=app(E403, DONE, E403, E403),
        data=lambda: {"explanation": [submitted_explanation().pk]},
        effect=has_explanation("Matrix: ingediend", state=UpdateState.APPROVED),
    ),
    "budgets:explanation_return": Row(
        args=lambda: [submitted_explanation().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=send_back,
        effect=has_explanation("Matrix: ingediend", state=UpdateState.RETURNED),
    ),
    "budgets:figures_form": Row(
        path=figures_path,
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=lambda: {"lasten-primair": "1.234.000"},
        effect=lambda: BudgetFigure.objects.filter(
            period=open_period(), product=almelo_product(), column="primair", amount=1_234_000
        ).exists(),
    ),
}

# Columns of get= and post=: (anonymous, invoerder, controller, manager, beheerder).
# Roles: the invoerder updates their own measures in the app; the controller does
# everything on measures (app and admin); the manager reads everything and changes
# nothing; the beheerder manages users, programmes and status scales and reads the rest.

TABLE = {
    # Logging in and out
    "login": Row(get=(OK, OK, OK, OK, OK), post=(OK, OK, OK, OK, OK)),
    # Logging out redirects to the login page (LOGOUT_REDIRECT_URL); it takes only POST.
    "logout": Row(get=app(E405, E405, E405, E405), post=(LOGIN,) * 5),
    # RFC 9116: public, read-only.
    "security_txt": Row(get=(OK,) * 5, post=(E405,) * 5),
    # Sign-in through the identity provider: open to anonymous visitors, and 404 for
    # everyone while OIDC is off, as in these settings. tests/test_oidc_login.py runs it
    # switched on, against a real provider.
    "oidc_authentication_init": Row(get=(E404,) * 5, post=(E404,) * 5),
    "oidc_authentication_callback": Row(query="code=x&state=y", get=(E404,) * 5, post=(E404,) * 5),
    # The app's pages and actions
    "overview": Row(get=EVERYONE, post=EVERYONE),
    # The dashboard reads only, so it takes GET only.
    "dashboard": Row(get=EVERYONE, post=app(E405, E405, E405, E405)),
    # The programme chapter (issue 10 item 6): every role reads it; GET only.
    "chapters:programmes": Row(get=EVERYONE, post=app(E405, E405, E405, E405)),
    "chapters:chapter": Row(
        args=lambda: [programme().pk], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    # The product pages (issue 11 item 4): every role reads them; GET only.
    "budgets:products": Row(
        args=lambda: [programme().pk], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    "budgets:product": Row(
        args=lambda: [Product.objects.get(name="Wmo-maatwerkvoorzieningen").pk],
        get=EVERYONE,
        post=app(E405, E405, E405, E405),
    ),
    # The region pages: managers and controllers of a member read; GET only.
    "regions:list": Row(get=app(E403, OK, OK, E403), post=app(E405, E405, E405, E405)),
    "regions:detail": Row(
        args=lambda: [twente().pk], get=app(E403, OK, OK, E403), post=app(E405, E405, E405, E405)
    ),
    "measure_detail": Row(
        args=lambda: [Measure.objects.get(title="Peuteropvang").pk], get=EVERYONE, post=EVERYONE
    ),
    "my_measures": Row(get=app(OK, OK, E403, E403), post=app(OK, OK, E403, E403)),
    "help": Row(get=EVERYONE, post=app(E405, E405, E405, E405)),
    "update_form": Row(
        args=lambda: [own_update().pk],
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=save_own,
        effect=lambda: own_update().explanation == "Gewijzigd",
    ),
    "submit_unchanged": Row(
        args=lambda: [own_update().pk],
        get=app(E405, E405, E405, E405),
        post=app(DONE, DONE, E403, E403),
        data=dict,
        effect=lambda: own_update().state == UpdateState.SUBMITTED,
    ),
    "return_update": Row(
        args=lambda: [submitted_update().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=send_back,
        effect=lambda: submitted_update().state == UpdateState.RETURNED,
    ),
    "approvals": Row(
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=approve,
        effect=lambda: submitted_update().state == UpdateState.APPROVED,
    ),
    "periods": Row(
        get=EVERYONE,
        post=app(E403, DONE, E403, E403),
        data=open_new_period,
        effect=lambda: ReportingPeriod.objects.filter(name="Voorjaarsnota 2021").exists(),
    ),
    "close_period": Row(
        args=lambda: [open_period().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=close,
        effect=lambda: open_period().is_closed,
    ),
    "completeness": Row(args=lambda: [open_period().pk], get=EVERYONE, post=EVERYONE),
    "changes": Row(args=lambda: [open_period().pk], get=EVERYONE, post=EVERYONE),
    "revise_target": Row(
        args=lambda: [programme().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=revise,
        effect=lambda: (
            SavingsTask.objects.get(programme=programme(), year=2022).amount == 5_750_000
        ),
    ),
    # The chapter's workflow (issue 10): writers edit their own texts, action points and
    # indicators; controllers everything, and they approve and send back.
    "chapters:my_chapter": Row(get=app(OK, OK, E403, E403), post=app(OK, OK, E403, E403)),
    "chapters:text_form": Row(
        args=lambda: [own_text().pk],
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=save_row_form(own_text, heading="Kop", body="Gewijzigd"),
        effect=lambda: own_text().body == "Gewijzigd",
    ),
    "chapters:status_form": Row(
        args=lambda: [own_status().pk],
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=save_row_form(own_status, explanation="Gewijzigd"),
        effect=lambda: own_status().explanation == "Gewijzigd",
    ),
    "chapters:submit_unchanged": Row(
        args=lambda: ["tekst", own_text().pk],
        get=app(E405, E405, E405, E405),
        post=app(DONE, DONE, E403, E403),
        data=dict,
        effect=lambda: own_text().state == UpdateState.SUBMITTED,
    ),
    "chapters:return_row": Row(
        args=lambda: ["tekst", submitted_text().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=send_back,
        effect=lambda: submitted_text().state == UpdateState.RETURNED,
    ),
    "chapters:approvals": Row(
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=lambda: {"text": [submitted_text().pk]},
        effect=lambda: submitted_text().state == UpdateState.APPROVED,
    ),
    "indicators:values_form": Row(
        args=indicator_values_args("invoerder"),
        get=app(OK, OK, E403, E403),
        post=app(DONE, DONE, E403, E403),
        data=enter_value,
        effect=has_value("invoerder"),
    ),
    # Everyone switches their own e-mails (issue 13 item 6); looking writes nothing.
    "my_settings": Row(
        get=EVERYONE,
        post=app(DONE, DONE, DONE, DONE),
        data=lambda: {"reminder_mails": "on"},
        effect=lambda: NotificationSettings.objects.filter(workflow_mails=False).exists(),
    ),
    # A job's progress page and status: its asker only (the manager asked for this one).
    "jobs:detail": Row(
        args=lambda: [manager_job().pk],
        get=app(E404, E404, OK, E404),
        post=app(E404, E404, OK, E404),
    ),
    "jobs:status": Row(
        args=lambda: [manager_job().pk],
        get=app(E404, E404, OK, E404),
        post=app(E404, E404, OK, E404),
    ),
    # Reports (a published stand-in for the downloads, see published_report)
    "reports:detail": Row(args=lambda: [closed_period().pk], get=EVERYONE, post=EVERYONE),
    "reports:pdf": Row(args=lambda: [published_report().period_id], get=EVERYONE, post=EVERYONE),
    "reports:html": Row(args=lambda: [published_report().period_id], get=EVERYONE, post=EVERYONE),
    # A draft PDF is made by a job (issue 12 item 2): the POST starts it, for everyone
    # who reads reports; the job's result is the rendered PDF, downloaded by its version.
    "reports:make_pdf": Row(
        args=lambda: [closed_period().pk],
        get=app(E405, E405, E405, E405),
        post=app(DONE, DONE, DONE, DONE),
        effect=report_job_started("report_pdf"),
    ),
    "reports:rendered": Row(
        args=lambda: [rendered_report().period_id, rendered_report().data_version],
        get=EVERYONE,
        post=EVERYONE,
    ),
    # GET asks whether to publish (issue 13 item 7); POST starts the publishing job.
    "reports:publish": Row(
        args=lambda: [closed_period().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        effect=report_job_started("report_publish"),
    ),
    # The public pages (issue 12 item 4): Almelo's published reports for everyone, with no
    # login and whatever organisation a logged-in visitor works in; GET only.
    "public:reports": Row(args=lambda: ["almelo"], get=PUBLIC, post=NOT_ALLOWED),
    "public:report": Row(args=public_report_args, get=PUBLIC, post=NOT_ALLOWED),
    "public:pdf": Row(args=public_report_args, get=PUBLIC, post=NOT_ALLOWED),
    "public:web": Row(args=public_report_args, get=PUBLIC, post=NOT_ALLOWED),
    "public:table_csv": Row(
        args=lambda: [*public_report_args(), "op-koers"], get=PUBLIC, post=NOT_ALLOWED
    ),
    "public:table_json": Row(
        args=lambda: [*public_report_args(), "op-koers"], get=PUBLIC, post=NOT_ALLOWED
    ),
    "public:compare": Row(
        args=lambda: ["almelo", published_report().period.programme_id],
        get=PUBLIC,
        post=NOT_ALLOWED,
    ),
    # The organisation's look (issue 9 item 5): for whoever works there, read-only.
    "organisations:theme_css": Row(
        args=lambda: ["almelo"], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    "organisations:logo": Row(
        args=lambda: [almelo_with_logo()], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    # Switching organisation (issue 9 item 2) changes the session, not the data; to an
    # organisation one works in. Refusals are in tests/test_switch_organisation.py.
    "organisations:switch": Row(
        get=app(E405, E405, E405, E405),
        post=EVERYONE,
        data=lambda: {"organisation": almelo_organisation().pk},
    ),
    # Imports and the measures export
    "imports:start": Row(get=CONTROLLER, post=CONTROLLER),
    "imports:record": Row(args=lambda: [import_record().pk], get=CONTROLLER, post=CONTROLLER),
    "imports:template": Row(args=lambda: [programme().pk], get=CONTROLLER, post=CONTROLLER),
    "imports:measures_export": Row(get=EVERYONE, post=EVERYONE),
    # Indicator values: the export for every role, the import for who may import them.
    "indicators:export": Row(
        path=lambda: f"{reverse('indicators:export')}?periode={closed_period().pk}&format=csv",
        get=EVERYONE,
        post=EVERYONE,
    ),
    # The money pages of a programme (issue 11 item 6): every role reads them and their
    # exports; GET only. Almelo's demo programme has products but no amounts.
    "budgets:doelenboom": Row(
        args=lambda: [programme().pk], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    "budgets:doelenboom_export": Row(
        path=lambda: (
            f"{reverse('budgets:doelenboom_export', args=[programme().pk])}"
            f"?periode={closed_period().pk}&format=xlsx"
        ),
        get=EVERYONE,
        post=app(E405, E405, E405, E405),
    ),
    "budgets:statement": Row(
        args=lambda: [programme().pk], get=EVERYONE, post=app(E405, E405, E405, E405)
    ),
    "budgets:statement_export": Row(
        path=lambda: (
            f"{reverse('budgets:statement_export', args=[programme().pk])}"
            f"?periode={closed_period().pk}&format=csv"
        ),
        get=EVERYONE,
        post=app(E405, E405, E405, E405),
    ),
    "indicators:import_start": Row(get=CONTROLLER, post=CONTROLLER),
    "indicators:import_record": Row(
        args=lambda: [indicator_import_record().pk], get=CONTROLLER, post=CONTROLLER
    ),
    "indicators:import_template": Row(
        args=lambda: [open_period().pk], get=CONTROLLER, post=CONTROLLER
    ),
    # The ledger import (issue 11 item 5) and its ledger codes: for controllers.
    "budgets:ledger_import": Row(args=lambda: [open_period().pk], get=CONTROLLER, post=CONTROLLER),
    "budgets:ledger_template": Row(
        args=lambda: [open_period().pk], get=CONTROLLER, post=CONTROLLER
    ),
    "budgets:ledger_import_record": Row(
        args=lambda: [ledger_import_record().pk], get=CONTROLLER, post=CONTROLLER
    ),
    "budgets:ledger_codes": Row(
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=lambda: {"code": "8000", "task_field": TaskField.objects.get(code="6.2").pk},
        effect=lambda: LedgerCode.objects.filter(code="8000").exists(),
    ),
    "budgets:ledger_code_edit": Row(
        args=lambda: [ledger_code().pk],
        get=CONTROLLER,
        post=app(E403, DONE, E403, E403),
        data=lambda: {"code": "4712", "task_field": TaskField.objects.get(code="6.1").pk},
        effect=lambda: LedgerCode.objects.filter(code="4712").exists(),
    ),
    "budgets:ledger_code_delete": Row(
        args=lambda: [ledger_code().pk],
        get=app(E405, E405, E405, E405),
        post=app(E403, DONE, E403, E403),
        data=dict,
        effect=lambda: not LedgerCode.objects.filter(code="4711").exists(),
    ),
    # The admin site
    "admin:index": Row(get=STAFF, post=STAFF),
    # One login page (issue 8 item 17): the admin's sends to the app's, or to the admin's
    # index for staff who are logged in already.
    "admin:login": Row(get=admin(OK, OK, OK), post=(LOGIN,) * 5),
    # The admin logs out on POST only, then sends to the login page; it sends a user who
    # is not staff to its index (and from there to log in).
    "admin:logout": Row(get=(LOGIN, OK, E405, E405, E405), post=(LOGIN, OK, LOGIN, LOGIN, LOGIN)),
    "admin:password_change": Row(get=STAFF, post=STAFF),
    "admin:password_change_done": Row(get=STAFF, post=admin(E405, E405, E405)),
    # Picking a measure's owner: for whoever may edit measures (issue 8 item 4).
    "admin:autocomplete": Row(
        query="app_label=measures&model_name=measure&field_name=owner&term=",
        get=admin(OK, E403, E403),
        post=admin(E405, E405, E405),
    ),
    "admin:jsi18n": Row(get=STAFF, post=admin(E405, E405, E405)),
    # No model has get_absolute_url, so there is no page on the site to go to.
    "admin:view_on_site": Row(
        args=lambda: [
            ContentType.objects.get_for_model(Measure).pk,
            Measure.objects.filter(programme=programme()).first().pk,
        ],
        get=admin(E404, E404, E404),
        post=admin(E404, E404, E404),
    ),
    "admin:app_list": Row(args=lambda: ["measures"], get=STAFF, post=STAFF),
    "beheer/(?P<url>.*)$": Row(
        path=lambda: "/beheer/bestaat-niet/",
        get=admin(E404, E404, E404),
        post=admin(E404, E404, E404),
    ),
    # Groups are the roles, defined in code: only a superuser changes them (issue 8 item 2).
    "admin:auth_group_changelist": Row(
        get=admin(E403, E403, OK), post=admin(E403, E403, OK), data=delete_selected(throwaway_group)
    ),
    "admin:auth_group_add": Row(get=admin(E403, E403, E403), post=admin(E403, E403, E403)),
    "admin:auth_group_history": Row(
        args=lambda: [Group.objects.get(name="beheerder").pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, OK),
    ),
    "admin:auth_group_delete": Row(
        args=lambda: [throwaway_group().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:auth_group_change": Row(
        args=lambda: [Group.objects.get(name="beheerder").pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, E403),
        data=give_beheerders_approval,
    ),
    "beheer/auth/group/<path:object_id>/": Row(
        path=lambda: f"/beheer/auth/group/{Group.objects.get(name='beheerder').pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Users: the beheerder, on accounts other than superusers'.
    "admin:auth_user_changelist": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=delete_selected(throwaway_user),
        effect=gone(User, username="wegwerp"),
    ),
    "admin:auth_user_add": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=add_user,
        effect=lambda: User.objects.filter(username="nieuwe.collega").exists(),
    ),
    "admin:auth_user_history": Row(
        args=lambda: [user("invoerder").pk], get=admin(E403, E403, OK), post=admin(E403, E403, OK)
    ),
    "admin:auth_user_delete": Row(
        args=lambda: [throwaway_user().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        effect=gone(User, username="wegwerp"),
    ),
    "admin:auth_user_change": Row(
        args=lambda: [user("invoerder").pk], get=admin(E403, E403, OK), post=admin(E403, E403, OK)
    ),
    # Setting the password of a user with a role the beheerder does not hold would let
    # them log in with that role (issue 8 item 2).
    "admin:auth_user_password_change": Row(
        args=lambda: [user("invoerder").pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "beheer/auth/user/<path:object_id>/": Row(
        path=lambda: f"/beheer/auth/user/{user('invoerder').pk}/", get=STAFF, post=STAFF
    ),
    # Roles in the organisation the beheerder works in (issue 9 item 2): the beheerder
    # grants the roles they hold, never their own; the others do not see the list.
    "admin:organisations_membership_changelist": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=delete_selected(throwaway_membership),
        effect=gone(Membership, user__username="wegwerp"),
    ),
    "admin:organisations_membership_add": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=add_role,
        effect=lambda: Membership.objects.filter(user=user("manager"), role="beheerder").exists(),
    ),
    "admin:organisations_membership_history": Row(
        args=lambda: [membership_of("invoerder").pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, OK),
    ),
    "admin:organisations_membership_simple_history": Row(
        args=lambda: latest_history(membership_of("invoerder")),
        get=admin(E403, E403, OK),
        post=admin(E403, E403, E403),
        data=revert_membership,
    ),
    "admin:organisations_membership_delete": Row(
        args=lambda: [throwaway_membership().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        effect=gone(Membership, user__username="wegwerp"),
    ),
    "admin:organisations_membership_change": Row(
        args=lambda: [membership_of("invoerder").pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, OK),
    ),
    "beheer/organisations/membership/<path:object_id>/": Row(
        path=lambda: f"/beheer/organisations/membership/{membership_of('invoerder').pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Status scales: the beheerder; the controller and the manager read them.
    "admin:measures_statusscale_changelist": Row(
        get=STAFF,
        post=admin(OK, OK, DONE),
        data=delete_selected(throwaway_scale),
        effect=gone(StatusScale, name="Wegwerpschaal"),
    ),
    "admin:measures_statusscale_add": Row(get=admin(E403, E403, OK), post=admin(E403, E403, OK)),
    "admin:measures_statusscale_history": Row(
        args=lambda: [programme().status_scale_id], get=STAFF, post=STAFF
    ),
    "admin:measures_statusscale_delete": Row(
        args=lambda: [throwaway_scale().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        effect=gone(StatusScale, name="Wegwerpschaal"),
    ),
    "admin:measures_statusscale_change": Row(
        args=lambda: [programme().status_scale_id], get=STAFF, post=admin(E403, E403, OK)
    ),
    "beheer/measures/statusscale/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/statusscale/{programme().status_scale_id}/",
        get=STAFF,
        post=STAFF,
    ),
    # Which groups of the identity provider give which role: the beheerder, of their own
    # organisation (the scoped manager; tests/test_oidc_login.py).
    "admin:organisations_identityprovidermapping_changelist": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=delete_selected(throwaway_mapping),
        effect=gone(IdentityProviderMapping, claim_value="wegwerpgroep"),
    ),
    "admin:organisations_identityprovidermapping_add": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=add_mapping,
        effect=lambda: IdentityProviderMapping.objects.filter(
            organisation=almelo_organisation(), claim_value="nieuwe-groep", role="beheerder"
        ).exists(),
    ),
    "admin:organisations_identityprovidermapping_history": Row(
        args=lambda: [mapping().pk], get=admin(E403, E403, OK), post=admin(E403, E403, OK)
    ),
    "admin:organisations_identityprovidermapping_delete": Row(
        args=lambda: [throwaway_mapping().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        effect=gone(IdentityProviderMapping, claim_value="wegwerpgroep"),
    ),
    "admin:organisations_identityprovidermapping_change": Row(
        args=lambda: [mapping().pk], get=admin(E403, E403, OK), post=admin(E403, E403, OK)
    ),
    "beheer/organisations/identityprovidermapping/<path:object_id>/": Row(
        path=lambda: f"/beheer/organisations/identityprovidermapping/{mapping().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Programmes: the controller and the beheerder; the manager reads.
    "admin:measures_programme_changelist": Row(
        get=STAFF,
        post=admin(DONE, OK, DONE),
        data=delete_selected(throwaway_programme),
        effect=gone(Programme, name="Wegwerpprogramma"),
    ),
    "admin:measures_programme_add": Row(get=admin(OK, E403, OK), post=admin(OK, E403, OK)),
    "admin:measures_programme_history": Row(args=lambda: [programme().pk], get=STAFF, post=STAFF),
    "admin:measures_programme_delete": Row(
        args=lambda: [throwaway_programme().pk],
        get=admin(OK, E403, OK),
        post=admin(DONE, E403, DONE),
        effect=gone(Programme, name="Wegwerpprogramma"),
    ),
    "admin:measures_programme_change": Row(
        args=lambda: [programme().pk], get=STAFF, post=admin(OK, E403, OK)
    ),
    "beheer/measures/programme/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/programme/{programme().pk}/", get=STAFF, post=STAFF
    ),
    # Goals, measure plans and measures: the controller; the others read.
    "admin:measures_goal_changelist": Row(
        get=STAFF,
        post=admin(DONE, OK, OK),
        data=delete_selected(throwaway_goal),
        effect=gone(Goal, title="Wegwerpdoel"),
    ),
    "admin:measures_goal_add": Row(
        get=admin(OK, E403, E403),
        post=admin(DONE, E403, E403),
        data=add_goal,
        effect=lambda: programme().goals.filter(number=5).exists(),
    ),
    "admin:measures_goal_history": Row(
        args=lambda: [Goal.objects.filter(programme=programme()).first().pk], get=STAFF, post=STAFF
    ),
    "admin:measures_goal_delete": Row(
        args=lambda: [throwaway_goal().pk],
        get=admin(OK, E403, E403),
        post=admin(DONE, E403, E403),
        effect=gone(Goal, title="Wegwerpdoel"),
    ),
    "admin:measures_goal_change": Row(
        args=lambda: [Goal.objects.filter(programme=programme()).first().pk],
        get=STAFF,
        post=admin(OK, E403, E403),
    ),
    "beheer/measures/goal/<path:object_id>/": Row(
        path=lambda: (
            f"/beheer/measures/goal/{Goal.objects.filter(programme=programme()).first().pk}/"
        ),
        get=STAFF,
        post=STAFF,
    ),
    "admin:measures_measureplan_changelist": Row(
        get=STAFF,
        post=admin(DONE, OK, OK),
        data=delete_selected(throwaway_plan),
        effect=gone(MeasurePlan, name="Wegwerpplan"),
    ),
    "admin:measures_measureplan_add": Row(get=admin(OK, E403, E403), post=admin(OK, E403, E403)),
    "admin:measures_measureplan_history": Row(
        args=lambda: [MeasurePlan.objects.filter(programme=programme()).first().pk],
        get=STAFF,
        post=STAFF,
    ),
    "admin:measures_measureplan_delete": Row(
        args=lambda: [throwaway_plan().pk],
        get=admin(OK, E403, E403),
        post=admin(DONE, E403, E403),
        effect=gone(MeasurePlan, name="Wegwerpplan"),
    ),
    "admin:measures_measureplan_change": Row(
        args=lambda: [MeasurePlan.objects.filter(programme=programme()).first().pk],
        get=STAFF,
        post=admin(OK, E403, E403),
    ),
    "beheer/measures/measureplan/<path:object_id>/": Row(
        path=lambda: (
            f"/beheer/measures/measureplan/{MeasurePlan.objects.filter(programme=programme()).first().pk}/"
        ),
        get=STAFF,
        post=STAFF,
    ),
    "admin:measures_measure_changelist": Row(
        get=STAFF,
        post=admin(DONE, OK, OK),
        data=delete_selected(throwaway_measure),
        effect=gone(Measure, title="Wegwerpmaatregel"),
    ),
    "admin:measures_measure_add": Row(get=admin(OK, E403, E403), post=admin(OK, E403, E403)),
    "admin:measures_measure_history": Row(
        args=lambda: [approved_assessment().measure_id], get=STAFF, post=STAFF
    ),
    # A past version is shown; nobody saves it back (issue 8 item 1).
    "admin:measures_measure_simple_history": Row(
        args=lambda: latest_history(approved_assessment().measure),
        get=STAFF,
        post=admin(E403, E403, E403),
        data=revert_measure,
    ),
    "admin:measures_measure_delete": Row(
        args=lambda: [throwaway_measure().pk],
        get=admin(OK, E403, E403),
        post=admin(DONE, E403, E403),
        effect=gone(Measure, title="Wegwerpmaatregel"),
    ),
    "admin:measures_measure_change": Row(
        args=lambda: [approved_assessment().measure_id], get=STAFF, post=admin(OK, E403, E403)
    ),
    "beheer/measures/measure/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/measure/{approved_assessment().measure_id}/",
        get=STAFF,
        post=STAFF,
    ),
    # Periods are opened on the app's page, never added here; a closed one never changes.
    "admin:measures_reportingperiod_changelist": Row(
        get=STAFF,
        post=admin(DONE, OK, OK),
        data=delete_selected(throwaway_period),
        effect=gone(ReportingPeriod, name="Wegwerpmoment"),
    ),
    "admin:measures_reportingperiod_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:measures_reportingperiod_history": Row(
        args=lambda: [open_period().pk], get=STAFF, post=STAFF
    ),
    "admin:measures_reportingperiod_simple_history": Row(
        args=lambda: latest_history(open_period()),
        get=STAFF,
        post=admin(E403, E403, E403),
        data=revert_period,
    ),
    "admin:measures_reportingperiod_delete": Row(
        args=lambda: [throwaway_period().pk],
        get=admin(OK, E403, E403),
        post=admin(DONE, E403, E403),
        effect=gone(ReportingPeriod, name="Wegwerpmoment"),
    ),
    "admin:measures_reportingperiod_change": Row(
        args=lambda: [open_period().pk], get=STAFF, post=admin(OK, E403, E403)
    ),
    "beheer/measures/reportingperiod/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/reportingperiod/{open_period().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Assessments and updates change only through the workflow: read-only for everyone.
    "admin:measures_assessment_changelist": Row(
        get=STAFF, post=STAFF, data=delete_existing(approved_assessment)
    ),
    "admin:measures_assessment_add": Row(get=admin(E403, E403, E403), post=admin(E403, E403, E403)),
    "admin:measures_assessment_history": Row(
        args=lambda: [approved_assessment().pk], get=STAFF, post=STAFF
    ),
    "admin:measures_assessment_simple_history": Row(
        args=lambda: latest_history(approved_assessment()),
        get=STAFF,
        post=admin(E403, E403, E403),
        data=revert_assessment,
    ),
    "admin:measures_assessment_delete": Row(
        args=lambda: [approved_assessment().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:measures_assessment_change": Row(
        args=lambda: [approved_assessment().pk], get=STAFF, post=admin(E403, E403, E403)
    ),
    "beheer/measures/assessment/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/assessment/{approved_assessment().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    "admin:measures_measureupdate_changelist": Row(
        get=STAFF, post=STAFF, data=delete_existing(submitted_update)
    ),
    "admin:measures_measureupdate_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:measures_measureupdate_history": Row(
        args=lambda: [submitted_update().pk], get=STAFF, post=STAFF
    ),
    "admin:measures_measureupdate_simple_history": Row(
        args=lambda: latest_history(submitted_update()),
        get=STAFF,
        post=admin(E403, E403, E403),
        data=revert_update,
    ),
    "admin:measures_measureupdate_delete": Row(
        args=lambda: [submitted_update().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:measures_measureupdate_change": Row(
        args=lambda: [submitted_update().pk], get=STAFF, post=admin(E403, E403, E403)
    ),
    "beheer/measures/measureupdate/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/measureupdate/{submitted_update().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Target revisions are recorded on the "Taakstelling herzien" page: read-only here.
    "admin:measures_targetrevision_changelist": Row(
        get=STAFF, post=STAFF, data=delete_existing(target_revision)
    ),
    "admin:measures_targetrevision_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:measures_targetrevision_history": Row(
        args=lambda: [target_revision().pk], get=STAFF, post=STAFF
    ),
    "admin:measures_targetrevision_delete": Row(
        args=lambda: [target_revision().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:measures_targetrevision_change": Row(
        args=lambda: [target_revision().pk], get=STAFF, post=admin(E403, E403, E403)
    ),
    "beheer/measures/targetrevision/<path:object_id>/": Row(
        path=lambda: f"/beheer/measures/targetrevision/{target_revision().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Published reports: frozen; the controller, who publishes, sees them listed.
    "admin:reports_publishedreport_changelist": Row(
        get=admin(OK, E403, E403),
        post=admin(OK, E403, E403),
        data=delete_existing(published_report),
    ),
    "admin:reports_publishedreport_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:reports_publishedreport_history": Row(
        args=lambda: [published_report().pk],
        get=admin(OK, E403, E403),
        post=admin(OK, E403, E403),
    ),
    "admin:reports_publishedreport_delete": Row(
        args=lambda: [published_report().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:reports_publishedreport_change": Row(
        args=lambda: [published_report().pk],
        get=admin(OK, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "beheer/reports/publishedreport/<path:object_id>/": Row(
        path=lambda: f"/beheer/reports/publishedreport/{published_report().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # Imports: the controller, who imports, in the admin's frame too.
    "admin:imports_importrecord_import": Row(get=admin(OK, E403, E403), post=admin(OK, E403, E403)),
    "admin:imports_importrecord_import_record": Row(
        args=lambda: [import_record().pk], get=admin(OK, E403, E403), post=admin(OK, E403, E403)
    ),
    "admin:imports_importrecord_changelist": Row(
        get=admin(OK, E403, E403),
        post=admin(OK, E403, E403),
        data=delete_existing(import_record),
    ),
    "admin:imports_importrecord_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:imports_importrecord_history": Row(
        args=lambda: [import_record().pk], get=admin(OK, E403, E403), post=admin(OK, E403, E403)
    ),
    "admin:imports_importrecord_delete": Row(
        args=lambda: [import_record().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:imports_importrecord_change": Row(
        args=lambda: [import_record().pk],
        get=admin(OK, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "beheer/imports/importrecord/<path:object_id>/": Row(
        path=lambda: f"/beheer/imports/importrecord/{import_record().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # The organisation: the beheerder changes its look; only a superuser adds, deletes or
    # renames organisations (issue 9 item 5).
    "admin:organisations_organisation_changelist": Row(
        get=admin(E403, E403, OK),
        post=admin(E403, E403, OK),
        data=delete_existing(almelo_organisation),
    ),
    "admin:organisations_organisation_add": Row(
        get=admin(E403, E403, E403), post=admin(E403, E403, E403)
    ),
    "admin:organisations_organisation_history": Row(
        args=lambda: [almelo_organisation().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, OK),
    ),
    "admin:organisations_organisation_simple_history": Row(
        args=lambda: latest_history(almelo_organisation()),
        get=admin(E403, E403, OK),
        post=admin(E403, E403, E403),
        data=change_look,
    ),
    "admin:organisations_organisation_delete": Row(
        args=lambda: [almelo_organisation().pk],
        get=admin(E403, E403, E403),
        post=admin(E403, E403, E403),
    ),
    "admin:organisations_organisation_change": Row(
        args=lambda: [almelo_organisation().pk],
        get=admin(E403, E403, OK),
        post=admin(E403, E403, DONE),
        data=change_look,
        effect=lambda: almelo_organisation().primary_color == "#006400",
    ),
    "beheer/organisations/organisation/<path:object_id>/": Row(
        path=lambda: f"/beheer/organisations/organisation/{almelo_organisation().pk}/",
        get=STAFF,
        post=STAFF,
    ),
    # The chapter's structure and indicators in the admin (issue 10).
    **CHAPTER_ADMIN_ROWS,
    # The money (issue 11).
    **BUDGET_ROWS,
    **BUDGET_ADMIN_ROWS,
}

# Cells that depend on more than the URL pattern. Name: (pattern, row).
VARIANTS = {
    # The public pages reach published reports of the organisation in the address only,
    # and nothing of an inactive organisation.
    "a published report under another organisation's address": (
        "public:report",
        Row(
            args=lambda: [other_organisations_slug(), published_report().pk],
            get=NOBODY,
            post=NOT_ALLOWED,
        ),
    ),
    "a programme without published reports": (
        "public:compare",
        Row(args=lambda: ["almelo", programme().pk], get=NOBODY, post=NOT_ALLOWED),
    ),
    "an inactive organisation's published report": (
        "public:pdf",
        Row(
            args=lambda: [inactive_almelo(), published_report().pk],
            get=NOBODY,
            post=NOT_ALLOWED,
        ),
    ),
    "another owner's update": (
        "update_form",
        Row(
            args=lambda: [others_update().pk],
            get=CONTROLLER,
            post=app(E403, DONE, E403, E403),
            data=save_others,
            effect=lambda: others_update().explanation == "Gewijzigd",
        ),
    ),
    "another owner's update submitted unchanged": (
        "submit_unchanged",
        Row(
            args=lambda: [others_update().pk],
            get=app(E405, E405, E405, E405),
            post=app(E403, DONE, E403, E403),
            data=dict,
            effect=lambda: others_update().state == UpdateState.SUBMITTED,
        ),
    ),
    # The chapter: an invoerder writes only their own (issue 10).
    "another owner's text": (
        "chapters:text_form",
        Row(
            args=lambda: [others_text().pk],
            get=CONTROLLER,
            post=app(E403, DONE, E403, E403),
            data=save_row_form(others_text, body="Gewijzigd"),
            effect=lambda: others_text().body == "Gewijzigd",
        ),
    ),
    "another owner's action point": (
        "chapters:status_form",
        Row(
            args=lambda: [others_status().pk],
            get=CONTROLLER,
            post=app(E403, DONE, E403, E403),
            data=save_row_form(others_status, explanation="Gewijzigd"),
            effect=lambda: others_status().explanation == "Gewijzigd",
        ),
    ),
    "another owner's action point submitted unchanged": (
        "chapters:submit_unchanged",
        Row(
            args=lambda: ["actiepunt", others_status().pk],
            get=app(E405, E405, E405, E405),
            post=app(E403, DONE, E403, E403),
            data=dict,
            effect=lambda: others_status().state == UpdateState.SUBMITTED,
        ),
    ),
    "another owner's indicator": (
        "indicators:values_form",
        Row(
            args=indicator_values_args("projectleider.jeugd"),
            get=CONTROLLER,
            post=app(E403, DONE, E403, E403),
            data=enter_value,
            effect=has_value("projectleider.jeugd"),
        ),
    ),
    "an action point sent back": (
        "chapters:return_row",
        Row(
            args=lambda: ["actiepunt", own_status().pk],
            get=CONTROLLER,
            post=app(E403, OK, E403, E403),
            data=send_back,
        ),
    ),
    "overview as Excel": ("overview", Row(query="_export=xlsx", get=EVERYONE, post=EVERYONE)),
    "a region Almelo is not a member of": (
        "regions:detail",
        Row(
            args=lambda: [region_elsewhere().pk],
            get=app(E403, E404, E404, E403),
            post=app(E405, E405, E405, E405),
        ),
    ),
    # Nobody changes their own roles (issue 8 item 2): the rest of the form may be saved
    # (DONE), the role is not added.
    "the beheerder's own account made controller": (
        "admin:auth_user_change",
        Row(
            args=lambda: [user("beheerder").pk],
            get=admin(E403, E403, OK),
            post=admin(E403, E403, DONE),
            data=make_myself_controller,
            effect=lambda: (
                not Membership.objects.filter(user=user("beheerder"), role="controller").exists()
            ),
        ),
    ),
    # Nor in the list of roles: their own role is shown, not changed.
    "the beheerder's own role made controller": (
        "admin:organisations_membership_change",
        Row(
            args=lambda: [membership_of("beheerder").pk],
            get=admin(E403, E403, OK),
            post=admin(E403, E403, E403),
            data=make_my_role_controller,
        ),
    ),
    # A role of another organisation is not found (issue 9 item 2): 404, even for roles
    # that could see it in their own.
    "another organisation's user": (
        "admin:auth_user_change",
        Row(
            args=lambda: [other_organisations_user().pk],
            get=admin(E404, E404, E404),
            post=admin(E404, E404, E404),
        ),
    ),
    "another organisation's role": (
        "admin:organisations_membership_change",
        Row(
            args=lambda: [membership_of(other_organisations_user().username).pk],
            get=admin(E404, E404, E404),
            post=admin(E404, E404, E404),
        ),
    ),
}


def cells(rows: dict):
    for name, entry in rows.items():
        key, row = entry if isinstance(entry, tuple) else (name, entry)
        for who in WHO:
            for method in METHODS:
                yield pytest.param(key, row, who, method, id=f"{name}|{who}|{method}")


def test_every_url_pattern_has_a_row():
    patterns = list(url_patterns())
    assert len(patterns) == len(set(patterns)), "two URL patterns with the same name"
    missing = sorted(set(patterns) - set(TABLE))
    assert not missing, f"URL patterns without a row in TABLE: {missing}"
    stale = sorted(set(TABLE) - set(patterns))
    assert not stale, f"rows in TABLE for URL patterns that no longer exist: {stale}"
    assert {key for key, _row in VARIANTS.values()} <= set(patterns)


@pytest.mark.parametrize(("key", "row", "who", "method"), [*cells(TABLE), *cells(VARIANTS)])
def test_cell(almelo, client, key, row, who, method):
    url = row.url(key)
    assert key_of(url) == key, f"{url} is not a URL of {key}"
    if who != ANONYMOUS:
        client.force_login(user(who))
    data = row.data() if method == "POST" else None
    before = fingerprint()

    response = client.get(url) if method == "GET" else client.post(url, data)

    expected = row.expected(who, method)
    shown = OK if expected == DONE else expected
    assert classify(response) == shown, (
        f"{who} {method} {url}: expected {expected}, got HTTP {response.status_code} "
        f"{response.get('Location', '')}"
    )
    if expected == DONE:
        assert row.effect(), f"{who} {method} {url} answered but did not do its work"
    else:
        changed = changed_tables(before, fingerprint())
        assert not changed, f"{who} {method} {url} changed {changed}"


# Two organisations (issue 9): every cell again, for a user with the same role in Gemeente
# Enschede only, against Almelo's URLs and Almelo's objects. Nothing of Almelo may be read
# or written: an object of Almelo answers 404 (or 403 where the role may not use the page
# at all; neither names the object), a page without an object shows Enschede's data only,
# and no request changes a row. A refusal for the role is the same as in Almelo.
CROSS_ROLES = ["invoerder", "controller", "manager", "beheerder"]
# Words only Almelo's data contains.
ALMELO_MARKERS = ["Almelo", "Peuteropvang", "Programma Zorg", "Doorbraakmethode"]
# Rows whose POST rightly does its work for Enschede's user: their own settings, a
# new account in Enschede made by Enschede's beheerder, and a ledger code of Enschede's
# own added by its controller.
CROSS_DONE = {
    "my_settings": CROSS_ROLES,
    "budgets:ledger_codes": ["controller"],
    "admin:auth_user_add": ["beheerder"],
    "admin:organisations_identityprovidermapping_add": ["beheerder"],
}
# Rows whose arguments are no organisation's data: the admin's page of an app, and the
# roles (groups), which are defined for the whole installation (measures.roles).
NOT_ORGANISATION_DATA = {
    "admin:app_list",
    # The national BBV set is the same for every organisation.
    "admin:indicators_nationalindicator_change",
    "admin:indicators_nationalindicator_history",
    "admin:indicators_nationalindicator_simple_history",
    "admin:indicators_nationalindicator_delete",
    "beheer/indicators/nationalindicator/<path:object_id>/",
    # The Iv3 taakvelden are the same for every municipality.
    "admin:budgets_taskfield_change",
    "admin:budgets_taskfield_history",
    "admin:budgets_taskfield_simple_history",
    "admin:budgets_taskfield_delete",
    "beheer/budgets/taskfield/<path:object_id>/",
    "admin:auth_group_change",
    "admin:auth_group_history",
    "admin:auth_group_delete",
    "beheer/auth/group/<path:object_id>/",
}


def enschede_user(role: str):
    return User.objects.get(username=f"x-enschede-{role}")


@pytest.fixture
def enschede(almelo):
    from measures.constants import Role
    from organisations.models import Organisation
    from tests.conftest import make_user
    from tests.factories import make_programme

    organisation, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    # Enschede stands for an organisation that shares nothing with Almelo: out of the
    # demo's Twente, whose page its managers and controllers may read.
    organisation.region_memberships.all().delete()
    make_programme(3, name="Programma Enschede", organisation=organisation)
    for role in CROSS_ROLES:
        make_user(f"x-enschede-{role}", Role(role), organisation=organisation)
    return organisation


def cross_cells(rows: dict):
    for name, entry in rows.items():
        key, row = entry if isinstance(entry, tuple) else (name, entry)
        for who in CROSS_ROLES:
            for method in METHODS:
                yield pytest.param(key, row, who, method, id=f"{name}|enschede-{who}|{method}")


# The public pages show Almelo's published reports to anyone, by design: the same answer
# for Enschede's users as in Almelo, with Almelo's name and data on it.
PUBLIC_PAGES = {key for key in TABLE if key.startswith("public:")}


def cross_expected(key: str, row: Row, who: str, method: str) -> set:
    in_almelo = row.expected(who, method)
    if key in PUBLIC_PAGES:
        return {in_almelo}
    object_bound = (row.args is not None or row.path is not None) and (
        key not in NOT_ORGANISATION_DATA
    )
    if in_almelo == E403 and object_bound:
        return {E403, E404}
    if in_almelo in (LOGIN, E403, E404, E405):
        return {in_almelo}
    return {E404} if object_bound else {OK}


@pytest.mark.parametrize(
    ("key", "row", "who", "method"), [*cross_cells(TABLE), *cross_cells(VARIANTS)]
)
def test_cross_organisation_cell(enschede, client, key, row, who, method):
    url = row.url(key)
    client.force_login(enschede_user(who))
    data = row.data() if method == "POST" else None
    before = fingerprint()

    response = client.get(url) if method == "GET" else client.post(url, data)

    expected = cross_expected(key, row, who, method)
    # The admin's /<pk>/ sends on to /<pk>/change/ without looking the object up.
    if response.get("Location") == url + "change/":
        expected.add(OK)
    assert classify(response) in expected, (
        f"Enschede's {who} {method} {url}: expected {expected}, got HTTP "
        f"{response.status_code} {response.get('Location', '')}"
    )
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    leaked = [marker for marker in ALMELO_MARKERS if marker in text and key not in PUBLIC_PAGES]
    assert not leaked, f"Enschede's {who} {method} {url} shows Almelo's {leaked}"
    if not (method == "POST" and who in CROSS_DONE.get(key, [])):
        changed = changed_tables(before, fingerprint())
        assert not changed, f"Enschede's {who} {method} {url} changed {changed}"
