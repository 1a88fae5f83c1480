"""Registry pages: directory, who-to-call pages, coverage, edit flows, import and export.

Views stay thin: reading goes through selectors/directory, writing through services.
Everyone with a membership reads the directory; edits are checked in contacts.permissions.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import arrangements, permissions, selectors, services
from contacts.directory import KINDS
from contacts.forms import (
    AFFILIATION_FIELDS,
    AccountFilterForm,
    ArrangementFilterForm,
    ArrangementForm,
    AssignmentForm,
    EndForm,
    ImportForm,
    InvitationAcceptForm,
    InvitationForm,
    MembershipAddForm,
    MembershipEndForm,
    PersonAffiliationsForm,
    PersonCreateForm,
    PersonForm,
    RegionNormForm,
    RegionThemeForm,
    TandemReplaceForm,
)
from contacts.models import (
    CareProvider,
    ContactAssignment,
    DistrictTeam,
    Invitation,
    Municipality,
    Partnership,
    PendingImport,
    Person,
    Region,
    Role,
    School,
    Tandem,
)
from contacts.norms import NormBook, default_norms
from contacts.permissions import member_required, role_required
from contacts.registry_import import EXPORT_FORMATS, KIND_LABELS, export, import_file
from portal import outbox, theme
from portal.audit import log_action
from portal.models import OutboxMessage
from portal.paging import page_of

PAGE_SIZE = 50


@member_required
def directory(request):
    whole = [(key, KIND_LABELS[key]) for key in ("regions", "assignments", "tandems")]
    return render(
        request,
        "contacts/directory.html",
        {
            "kinds": KINDS.values(),
            "whole_exports": whole,
            "can_import": permissions.can_admin_registry(request.user),
        },
    )


def _filtered(request, kind):
    config = KINDS[kind]
    filterset = config.filterset(request.GET or None, queryset=config.queryset())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else config.queryset()
    return config, filterset, queryset


@member_required
def directory_list(request, kind):
    if kind not in KINDS:
        raise Http404
    config, filterset, queryset = _filtered(request, kind)
    page = page_of(queryset, request, param="pagina", size=PAGE_SIZE, count=True)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "contacts/list.html",
        {
            "config": config,
            "filter": filterset,
            "page": page,
            "rows": page.rows,
            "query": query.urlencode(),
            "can_add_person": kind == "persons" and permissions.can_create_person(request.user),
        },
    )


# Kinds without a list page, exported whole (history included) for editing and re-import.
WHOLE_EXPORTS = {
    "regions": Region.objects.all,
    "assignments": ContactAssignment.objects.all,
    "tandems": Tandem.objects.all,
}


@member_required
def export_list(request, kind, fmt):
    if fmt not in EXPORT_FORMATS or (kind not in KINDS and kind not in WHOLE_EXPORTS):
        raise Http404
    if kind in KINDS:
        config, _filterset, queryset = _filtered(request, kind)
        content = export(config.export_kind, queryset, fmt)
    else:
        content = export(kind, WHOLE_EXPORTS[kind](), fmt)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tandem-{kind}-{stamp}.{fmt}"'
    return response


# --- Organisation pages ------------------------------------------------------------------------


def _edit_links(user, kind, obj):
    return {"can_edit_contact": permissions.can_edit_assignment(user, kind, obj.pk)}


@member_required
def school_detail(request, pk):
    school = get_object_or_404(
        School.objects.select_related("municipality__region__parent", "partnership"), pk=pk
    )
    who = selectors.cached_who_to_call_for_school(school)
    current = who["tandem"]
    return render(
        request,
        "contacts/school_detail.html",
        {
            "school": school,
            "who": who,
            "history": selectors.assignment_history(school=school),
            "tandems": selectors.tandem_history(school),
            # Only the region's own members see its arrangements (ADR 0161).
            "arrangements": arrangements.current_for_school(school).filter(
                pk__in=arrangements.visible_arrangements(request.user).values("pk")
            ),
            "can_edit_tandem": permissions.can_edit_tandem(
                request.user, school, current.district_team_id if current else None
            ),
            **_edit_links(request.user, "school", school),
        },
    )


@member_required
def municipality_detail(request, pk):
    municipality = get_object_or_404(Municipality.objects.select_related("region__parent"), pk=pk)
    return render(
        request,
        "contacts/municipality_detail.html",
        {
            "municipality": municipality,
            "contact": selectors.current_assignments().filter(municipality=municipality).first(),
            "officers": Person.objects.filter(
                user__memberships__role=Role.MUNICIPAL_OFFICER,
                user__memberships__municipality=municipality,
                user__memberships__ended_on__isnull=True,
            ).distinct(),
            "teams": municipality.district_teams.order_by("name"),
            "schools": municipality.schools.order_by("name"),
            "history": selectors.assignment_history(municipality=municipality),
            **_edit_links(request.user, "municipality", municipality),
        },
    )


@member_required
def partnership_detail(request, pk):
    partnership = get_object_or_404(Partnership.objects.select_related("region__parent"), pk=pk)
    return render(
        request,
        "contacts/partnership_detail.html",
        {
            "partnership": partnership,
            "contact": selectors.current_assignments().filter(partnership=partnership).first(),
            "directors": Person.objects.filter(
                user__memberships__role=Role.PARTNERSHIP_DIRECTOR,
                user__memberships__partnership=partnership,
                user__memberships__ended_on__isnull=True,
            ).distinct(),
            "schools": partnership.schools.select_related("municipality").order_by("name"),
            "history": selectors.assignment_history(partnership=partnership),
            **_edit_links(request.user, "partnership", partnership),
        },
    )


@member_required
def district_team_detail(request, pk):
    team = get_object_or_404(DistrictTeam.objects.select_related("municipality__region__parent"), pk=pk)
    return render(
        request,
        "contacts/district_team_detail.html",
        {
            "team": team,
            "contact": selectors.current_assignments().filter(district_team=team).first(),
            "workers": team.persons.order_by("name"),
            "tandems": selectors.current_tandems().filter(district_team=team).select_related("school"),
            "history": selectors.assignment_history(district_team=team),
            **_edit_links(request.user, "district_team", team),
        },
    )


@member_required
def care_provider_detail(request, pk):
    provider = get_object_or_404(CareProvider.objects.select_related("region__parent"), pk=pk)
    return render(
        request,
        "contacts/care_provider_detail.html",
        {
            "provider": provider,
            "people": provider.persons.order_by("name"),
            "arrangements": arrangements.current_for_provider(provider).filter(
                pk__in=arrangements.visible_arrangements(request.user).values("pk")
            ),
        },
    )


@member_required
def person_detail(request, pk):
    person = get_object_or_404(
        Person.objects.prefetch_related(
            # With their regions, which the national page shows (ADR 0147).
            Prefetch("schools", queryset=School.objects.select_related("municipality__region__parent")),
            Prefetch(
                "district_teams", queryset=DistrictTeam.objects.select_related("municipality__region__parent")
            ),
            Prefetch("municipalities", queryset=Municipality.objects.select_related("region__parent")),
            Prefetch("partnerships", queryset=Partnership.objects.select_related("region__parent")),
            Prefetch("care_providers", queryset=CareProvider.objects.select_related("region__parent")),
        ),
        pk=pk,
    )
    assignments = (
        ContactAssignment.objects.filter(person=person)
        .select_related("school", "municipality", "partnership", "district_team")
        .order_by("-valid_from")
    )
    tandems = Tandem.objects.filter(school_coordinator=person) | Tandem.objects.filter(district_worker=person)
    return render(
        request,
        "contacts/person_detail.html",
        {
            "person": person,
            "assignments": assignments,
            "tandems": tandems.select_related("school", "school_coordinator", "district_worker").order_by(
                "-valid_from"
            ),
            "can_edit": permissions.can_edit_person(request.user, person),
        },
    )


# --- Coverage ----------------------------------------------------------------------------------


@role_required(*permissions.COVERAGE_ROLES)
def coverage(request):
    # Only the user's own region and its subregions (ADR 0123).
    own = permissions.home_regions(request.user)
    subregions = Region.objects.filter(parent__in=[r.pk for r in own]).order_by("name")
    region = None
    code = request.GET.get("subregio", "")
    if code:
        region = next((r for r in subregions if r.code == code), None)
    if region is None and own:
        region = own[0]
    return render(
        request,
        "contacts/coverage.html",
        {
            "coverage": selectors.cached_coverage(region),
            "subregions": subregions,
            "selected": region.code if region else "",
            "is_admin": permissions.can_admin_registry(request.user),
            "own_schools": permissions.school_ids(request.user),
            "own_municipalities": permissions.municipality_ids(request.user),
        },
    )


# --- Edit flows --------------------------------------------------------------------------------

TARGETS = {
    "school": (School, "contacts:school_detail"),
    "municipality": (Municipality, "contacts:municipality_detail"),
    "partnership": (Partnership, "contacts:partnership_detail"),
    "district_team": (DistrictTeam, "contacts:district_team_detail"),
}


def _apply_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@member_required
@require_http_methods(["GET", "POST"])
def assignment_replace(request, kind, pk):
    if kind not in TARGETS:
        raise Http404
    model, detail = TARGETS[kind]
    target = get_object_or_404(model.objects.filter(permissions.own_region_q(request.user, kind)), pk=pk)
    if not permissions.can_edit_assignment(request.user, kind, target.pk):
        raise PermissionDenied
    current = selectors.current_assignments().filter(**{kind: target}).first()
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.replace_contact_assignment(
                request.user,
                target,
                form.cleaned_data["person"],
                backup=form.cleaned_data["backup"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("The fixed contact has been replaced; the previous one is kept in the history.")
            )
            return redirect(detail, pk=target.pk)
    return render(
        request,
        "contacts/assignment_form.html",
        {"form": form, "target": target, "current": current, "back": reverse(detail, args=[target.pk])},
    )


@member_required
@require_http_methods(["GET", "POST"])
def assignment_end(request, pk):
    assignment = get_object_or_404(
        ContactAssignment.objects.open()
        .filter(
            permissions.own_region_q(request.user, "school", "school__")
            | permissions.own_region_q(request.user, "municipality", "municipality__")
            | permissions.own_region_q(request.user, "partnership", "partnership__")
            | permissions.own_region_q(request.user, "district_team", "district_team__")
        )
        .select_related("person", "school", "municipality", "partnership", "district_team"),
        pk=pk,
    )
    kind = services.target_kind(assignment.target)
    if not permissions.can_edit_assignment(request.user, kind, assignment.target.pk):
        raise PermissionDenied
    detail = TARGETS[kind][1]
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_contact_assignment(request.user, assignment, form.cleaned_data["valid_to"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The fixed contact has been ended."))
            return redirect(detail, pk=assignment.target.pk)
    return render(
        request,
        "contacts/end_form.html",
        {
            "form": form,
            "title": _("End fixed contact of %(target)s") % {"target": assignment.target},
            "subject": assignment,
            "back": reverse(detail, args=[assignment.target.pk]),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def tandem_replace(request, pk):
    school = get_object_or_404(
        School.objects.filter(permissions.own_region_q(request.user, "school")).select_related(
            "municipality"
        ),
        pk=pk,
    )
    current = selectors.current_tandems().filter(school=school).first()
    own_teams = permissions.district_team_ids(request.user)
    if not permissions.can_edit_tandem(request.user, school, current.district_team_id if current else None):
        raise PermissionDenied
    form = TandemReplaceForm(request.POST or None)
    if not permissions.can_admin_registry(request.user) and school.pk not in permissions.school_ids(
        request.user
    ):
        # A district worker names a tandem for one of their own teams.
        form.fields["district_team"].queryset = form.fields["district_team"].queryset.filter(pk__in=own_teams)
    if request.method == "POST" and form.is_valid():
        try:
            services.replace_tandem(
                request.user,
                school,
                form.cleaned_data["school_coordinator"],
                form.cleaned_data["district_worker"],
                form.cleaned_data["district_team"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not change the tandem of this school."))
        else:
            messages.success(
                request, _("The tandem has been saved; the previous one is kept in the history.")
            )
            return redirect("contacts:school_detail", pk=school.pk)
    return render(
        request,
        "contacts/tandem_form.html",
        {
            "form": form,
            "school": school,
            "current": current,
            "back": reverse("contacts:school_detail", args=[pk]),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def tandem_end(request, pk):
    tandem = get_object_or_404(
        Tandem.objects.open()
        .filter(permissions.own_region_q(request.user, "school", "school__"))
        .select_related("school", "school_coordinator", "district_worker"),
        pk=pk,
    )
    if not permissions.can_edit_tandem(request.user, tandem.school, tandem.district_team_id):
        raise PermissionDenied
    form = EndForm(request.POST or None)
    back = reverse("contacts:school_detail", args=[tandem.school_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.end_tandem(request.user, tandem, form.cleaned_data["valid_to"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The tandem has been ended."))
            return redirect(back)
    return render(
        request,
        "contacts/end_form.html",
        {
            "form": form,
            "title": _("End tandem of %(school)s") % {"school": tandem.school.name},
            "subject": tandem,
            "back": back,
        },
    )


def _organisation_choices(user):
    labels = {}
    for kind, model in (
        ("school", School),
        ("municipality", Municipality),
        ("partnership", Partnership),
        ("district_team", DistrictTeam),
    ):
        ids = [pk for k, pk in permissions.person_organisation_choices(user) if k == kind]
        for obj in model.objects.filter(pk__in=ids):
            labels[f"{kind}:{obj.pk}"] = str(obj)
    return list(labels.items())


@member_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    if not permissions.can_create_person(request.user):
        raise PermissionDenied
    is_admin = permissions.can_admin_registry(request.user)
    if is_admin:
        form = PersonAffiliationsForm(request.POST or None, user=request.user)
    else:
        form = PersonCreateForm(
            request.POST or None, organisation_choices=_organisation_choices(request.user)
        )
    if request.method == "POST" and form.is_valid():
        organisation = affiliations = None
        if is_admin:
            affiliations = {name: form.cleaned_data[name] for name in AFFILIATION_FIELDS}
        else:
            kind, pk = form.cleaned_data["organisation"].split(":")
            organisation = (kind, TARGETS[kind][0].objects.get(pk=int(pk)))
        try:
            person = services.create_person(request.user, form.cleaned_data, organisation, affiliations)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The contact person has been added."))
            return redirect("contacts:person_detail", pk=person.pk)
    return render(request, "contacts/person_form.html", {"form": form, "person": None})


@member_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(Person, pk=pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied
    is_admin = permissions.can_admin_registry(request.user)
    form_class = PersonAffiliationsForm if is_admin else PersonForm
    kwargs = {"user": request.user} if is_admin else {}
    form = form_class(request.POST or None, instance=Person.objects.get(pk=pk), **kwargs)
    if request.method == "POST" and form.is_valid():
        affiliations = {name: form.cleaned_data[name] for name in AFFILIATION_FIELDS} if is_admin else None
        try:
            services.update_person(request.user, person, form.cleaned_data, affiliations)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The contact person has been saved."))
            return redirect("contacts:person_detail", pk=person.pk)
    return render(request, "contacts/person_form.html", {"form": form, "person": person})


# --- Import ------------------------------------------------------------------------------------


@role_required(Role.REGISTRY_ADMIN)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = pending = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        kind = form.cleaned_data["kind"]
        report = import_file(
            kind,
            upload.name,
            content,
            commit=False,
            regions=permissions.home_region_ids(request.user),
            actor=request.user,
        )
        if report.ok:
            PendingImport.purge_expired()
            pending = PendingImport.objects.create(
                user=request.user, kind=kind, filename=upload.name[:255], content=content
            )
    return render(
        request,
        "contacts/import.html",
        {
            "form": form,
            "report": report,
            "pending": pending,
            "kind_label": KIND_LABELS.get(report.kind) if report else "",
        },
    )


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def import_confirm(request):
    """Import the checked file for real; it is checked again and written all or nothing."""
    token = request.POST.get("token", "")
    try:
        pending = PendingImport.objects.filter(token=token, user=request.user).first()
    except ValidationError:  # not a UUID
        pending = None
    if pending is None:
        messages.error(request, _("There is no checked file waiting; upload it again."))
        return redirect("contacts:import")
    report = import_file(
        pending.kind,
        pending.filename,
        bytes(pending.content),
        commit=True,
        regions=permissions.home_region_ids(request.user),
        actor=request.user,
    )
    pending.delete()
    if not report.written:
        return render(
            request,
            "contacts/import.html",
            {"form": ImportForm(), "report": report, "kind_label": KIND_LABELS.get(report.kind)},
        )
    messages.success(
        request,
        _("Imported %(file)s: %(added)s added, %(changed)s changed, %(unchanged)s unchanged.")
        % {
            "file": report.file,
            "added": report.added,
            "changed": report.changed,
            "unchanged": report.unchanged,
        },
    )
    return redirect("contacts:import")


# --- Region norms (ADR 0091) -----------------------------------------------------------------


@role_required(*permissions.NORM_ROLES)
def norms_home(request):
    """The norms page of the user's region (the first, when they hold several)."""
    regions = Region.objects.filter(pk__in=permissions.norm_region_ids(request.user)).order_by("name")
    region = regions.first()
    if region is None:
        raise PermissionDenied
    return redirect("contacts:norms_region", pk=region.pk)


@role_required(*permissions.NORM_ROLES)
@require_http_methods(["GET", "POST"])
def norms_region(request, pk):
    region = get_object_or_404(
        Region.objects.filter(pk__in=permissions.norm_region_ids(request.user), parent__isnull=True), pk=pk
    )
    book = NormBook([region.pk])
    today = timezone.localdate()
    current = book.on(region.pk, today)
    form = RegionNormForm(request.POST or None, norms=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_region_norms(request.user, region, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The norms of %(region)s apply from %(date)s.")
                % {"region": region, "date": date_format(form.cleaned_data["valid_from"])},
            )
            return redirect("contacts:norms_region", pk=region.pk)
    history = book.history(region.pk)
    return render(
        request,
        "contacts/norms.html",
        {
            "region": region,
            "form": form,
            "current": current,
            "upcoming": [row for row in history if row.valid_from > today],
            "history": history,
            "defaults": default_norms(),
            "other_regions": Region.objects.filter(pk__in=permissions.norm_region_ids(request.user))
            .exclude(pk=region.pk)
            .order_by("name"),
        },
    )


# --- The region's house style (ADR 0164) -----------------------------------------------------


@role_required(*permissions.THEME_ROLES)
@require_GET
def theme_home(request):
    """The house-style page of the user's region (the first, when they hold several)."""
    regions = Region.objects.filter(pk__in=permissions.registry_admin_region_ids(request.user))
    region = regions.order_by("name").first()
    if region is None:
        raise PermissionDenied
    return redirect("contacts:theme_region", pk=region.pk)


@role_required(*permissions.THEME_ROLES)
@require_http_methods(["GET", "POST"])
def theme_region(request, pk):
    region = get_object_or_404(
        Region.objects.filter(
            pk__in=permissions.registry_admin_region_ids(request.user), parent__isnull=True
        ),
        pk=pk,
    )
    current = theme.theme_for_region(region.pk)
    form = RegionThemeForm(request.POST or None, request.FILES or None, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_region_theme(
                request.user,
                region,
                display_name=data["display_name"],
                primary_color=data["primary_color"],
                primary_text_color=data["primary_text_color"],
                link_color=data["link_color"],
                logo=data["logo"],
                remove_logo=data["remove_logo"],
                favicon=data["favicon"],
                remove_favicon=data["remove_favicon"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The house style of %(region)s is saved.") % {"region": region})
            return redirect("contacts:theme_region", pk=region.pk)
    return render(
        request,
        "contacts/theme.html",
        {
            "region": region,
            "form": form,
            "current": current,
            "is_default": current.region_id is None,
            "other_regions": Region.objects.filter(pk__in=permissions.registry_admin_region_ids(request.user))
            .exclude(pk=region.pk)
            .order_by("name"),
        },
    )


# --- The outbox (ADR 0130) -------------------------------------------------------------------

OUTBOX_ROWS = 200


@role_required(Role.REGISTRY_ADMIN)
def outbox_page(request):
    """Pending and failed outbox rows (task, attempts, age, last error: no personal data)."""
    now = timezone.now()
    waiting = list(
        OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).order_by("-state", "created_at", "id")[
            :OUTBOX_ROWS
        ]
    )
    return render(
        request,
        "contacts/outbox.html",
        {"summary": outbox.summary(now), "rows": waiting, "limit": OUTBOX_ROWS},
    )


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def outbox_retry(request, pk):
    if services.retry_outbox_message(request.user, pk):
        messages.success(request, _("The message is queued again."))
    else:
        messages.error(request, _("This message has not failed (any more); nothing was changed."))
    return redirect("contacts:outbox")


# --- Accounts of the region (ADR 0137) --------------------------------------------------------

ACCOUNTS_PAGE_SIZE = 25


def _account(request, pk):
    """The account in the admin's region; a foreign region's account is a 404."""
    return get_object_or_404(permissions.manageable_accounts(request.user), pk=pk)


def _region_name(user):
    return ", ".join(region.name for region in permissions.home_regions(user))


@role_required(Role.REGISTRY_ADMIN)
@require_GET
def account_list(request):
    form = AccountFilterForm(request.GET or None, user=request.user)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = page_of(
        selectors.accounts(request.user, cleaned),
        request,
        param="pagina",
        size=ACCOUNTS_PAGE_SIZE,
        count=True,
    )
    return render(request, "contacts/accounts.html", {"form": form, "page": page})


@role_required(Role.REGISTRY_ADMIN)
@require_GET
def account_detail(request, pk):
    account = _account(request, pk)
    return render(
        request,
        "contacts/account_detail.html",
        {
            "account": account,
            "memberships": selectors.account_memberships(request.user, account),
            "has_two_factor": selectors.has_two_factor(account),
            "invitations": selectors.account_invitations(request.user, account),
            "elsewhere": selectors.has_memberships_elsewhere(request.user, account),
            "is_self": account.pk == request.user.pk,
        },
    )


@role_required(Role.REGISTRY_ADMIN)
@require_http_methods(["GET", "POST"])
def membership_add(request, pk):
    account = _account(request, pk)
    form = MembershipAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_membership(
                request.user, account, form.cleaned_data["role"], form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The role has been added."))
            return redirect("contacts:account_detail", pk=account.pk)
    return render(request, "contacts/membership_add.html", {"form": form, "account": account})


@role_required(Role.REGISTRY_ADMIN)
@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_object_or_404(
        selectors.region_memberships(request.user).current().select_related("user"), pk=pk
    )
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(request.user, membership, form.cleaned_data["ended_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The role has been ended; it is kept in the history."))
            return redirect("contacts:account_detail", pk=membership.user_id)
    return render(request, "contacts/membership_end.html", {"form": form, "membership": membership})


def _account_action(request, pk, action, done):
    account = _account(request, pk)
    try:
        action(request.user, account)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None, account
    messages.success(request, done)
    return True, account


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def account_deactivate(request, pk):
    _done, account = _account_action(
        request,
        pk,
        services.deactivate_account,
        _("The account has been deactivated; its sessions have ended."),
    )
    return redirect("contacts:account_detail", pk=account.pk)


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def account_reactivate(request, pk):
    _done, account = _account_action(
        request, pk, services.reactivate_account, _("The account has been reactivated.")
    )
    return redirect("contacts:account_detail", pk=account.pk)


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def account_reset_two_factor(request, pk):
    done, account = _account_action(
        request,
        pk,
        services.reset_account_two_factor,
        _("Two-step verification has been reset; the person sets it up again at their next login."),
    )
    to = reverse("contacts:account_detail", args=[account.pk])
    if done:
        log_action(
            request,
            "two_factor_reset",
            account,
            next_url=to,
            role=Role.REGISTRY_ADMIN,
            organisation=_region_name(request.user),
        )
    return redirect(to)


# --- Invitations (ADR 0135) --------------------------------------------------------------------


@role_required(Role.REGISTRY_ADMIN)
@require_http_methods(["GET", "POST"])
def invite(request):
    """The registry administrator invites a person into a role at an organisation of the own
    region; the e-mail with the one-time link goes through the outbox (ADR 0135)."""
    region_ids = permissions.registry_admin_region_ids(request.user)
    if not region_ids:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, organisations=selectors.invitable_organisations(region_ids))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_person(
                request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                organisation=form.organisation_object(),
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s has been invited; the e-mail with the link is on its way.")
                % {"email": invitation.user.email},
            )
            return redirect("contacts:invite")
    page = page_of(selectors.open_invitations(request.user), request, param="pagina", size=PAGE_SIZE)
    return render(
        request,
        "contacts/invite.html",
        {
            "form": form,
            "invitation_days": settings.TANDEM_INVITATION_DAYS,
            "page": page,
            "rows": page.rows,
        },
    )


@role_required(Role.REGISTRY_ADMIN)
@require_POST
def invitation_resend(request, pk):
    """Send an invitation of the own region again: a new link, the old one dead (ADR 0135)."""
    invitation = get_object_or_404(
        Invitation.objects.filter(permissions.invitations_q(request.user)).select_related(
            "user", "membership"
        ),
        pk=pk,
    )
    try:
        services.resend_invitation(request.user, invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been sent again; the previous link no longer works.")
            % {"email": invitation.user.email},
        )
    return redirect(_back_to(request, "contacts:invite"))


def _back_to(request, default):
    """The form's `next` when it is a printable URL within this site, else the default page
    (never another site: an open redirect)."""
    target = request.POST.get("next") or ""
    if (
        target
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse(default)


INVALID_STATUS = {"invalid": 404, "used": 410, "expired": 410}


def _invitation_invalid(request, reason):
    return render(
        request, "contacts/invitation_invalid.html", {"reason": reason}, status=INVALID_STATUS[reason]
    )


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invitation link (no login): a new account chooses its password and is logged in, and
    the two-step verification middleware sends it to enrolment first (ADR 0040, 0136); an
    existing account accepts the role and logs in as always. A forged, replaced, used or
    expired link gets a page that says so, and changes nothing."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid as exc:
        return _invitation_invalid(request, exc.reason)
    needs_password = services.invitation_needs_password(invitation)
    form = InvitationAcceptForm(invitation.user, request.POST or None) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.accept_invitation(token, form.cleaned_data["new_password1"] if form else None)
        except services.InvitationInvalid as exc:  # accepted or resent in the meantime
            return _invitation_invalid(request, exc.reason)
        except ValidationError as exc:
            for message in exc.message_dict.get("password", exc.messages):
                form.add_error("new_password1", message)
        else:
            if form is None:
                messages.success(request, _("The invitation has been accepted. Log in as always."))
                return redirect("login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            welcome = _("Your password has been set. Welcome to Tandem, %(name)s.")
            messages.success(request, welcome % {"name": user.full_name})
            return redirect("home")
    return render(
        request,
        "contacts/invitation_accept.html",
        {"invitation": invitation, "membership": invitation.membership, "form": form},
    )


# --- Collective arrangements (ADR 0161) --------------------------------------------------------

ARRANGEMENTS_PAGE_SIZE = 50


def _arrangement(request, pk):
    """The arrangement in one of the user's regions; another region's is a 404."""
    return get_object_or_404(
        arrangements.visible_arrangements(request.user).select_related("region", "created_by"), pk=pk
    )


@member_required
@require_GET
def arrangement_list(request):
    region_ids = permissions.arrangement_region_ids(request.user)
    if not region_ids:
        raise PermissionDenied
    form = ArrangementFilterForm(request.GET or None, region_ids=region_ids)
    queryset = arrangements.visible_arrangements(request.user).select_related("region")
    if form.is_bound and form.is_valid() and form.cleaned_data["school"]:
        queryset = queryset.filter(schools=form.cleaned_data["school"])
    queryset = queryset.prefetch_related(
        Prefetch("schools", queryset=School.objects.order_by("name")),
        Prefetch("providers", queryset=CareProvider.objects.order_by("name")),
    ).order_by("name", "-valid_from", "id")
    page = page_of(queryset, request, param="pagina", size=ARRANGEMENTS_PAGE_SIZE, count=True)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "contacts/arrangement_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.rows,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_create": permissions.can_manage_arrangements(request.user),
            "several_regions": len(region_ids) > 1,
        },
    )


@member_required
@require_GET
def arrangement_detail(request, pk):
    arrangement = _arrangement(request, pk)
    records = list(arrangement.records.select_related("actor"))
    for record in records:
        record.labels = arrangements.field_labels(record)
    return render(
        request,
        "contacts/arrangement_detail.html",
        {
            "arrangement": arrangement,
            "schools": arrangement.schools.select_related("municipality").order_by("name"),
            "providers": arrangement.providers.order_by("name"),
            "workers": arrangement.care_workers.order_by("name"),
            "records": records,
            "current": arrangement.is_current(timezone.localdate()),
            "today": timezone.localdate(),
            "can_edit": permissions.can_manage_arrangements(request.user, arrangement.region),
        },
    )


def _arrangement_form_page(request, region, arrangement=None):
    initial = {}
    if arrangement is not None:
        initial = {field: getattr(arrangement, field) for field in arrangements.FIELDS}
        for field in arrangements.M2M_FIELDS:
            initial[field] = list(getattr(arrangement, field).values_list("pk", flat=True))
    form = ArrangementForm(request.POST or None, region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if arrangement is None:
                arrangement = arrangements.create_arrangement(request.user, region, **form.cleaned_data)
                messages.success(request, _("The collective arrangement has been recorded."))
            else:
                arrangements.update_arrangement(request.user, arrangement, **form.cleaned_data)
                messages.success(request, _("The collective arrangement has been saved."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("contacts:arrangement_detail", pk=arrangement.pk)
    return render(
        request,
        "contacts/arrangement_form.html",
        {"form": form, "region": region, "arrangement": arrangement},
    )


@member_required
@require_http_methods(["GET", "POST"])
def arrangement_create(request):
    regions = arrangements.managed_regions(request.user)
    if not regions:
        raise PermissionDenied
    wanted = request.GET.get("regio", "")
    region = (regions.filter(pk=int(wanted)).first() if wanted.isascii() and wanted.isdigit() else None) or (
        regions.first()
    )
    return _arrangement_form_page(request, region)


@member_required
@require_http_methods(["GET", "POST"])
def arrangement_edit(request, pk):
    arrangement = _arrangement(request, pk)
    if not permissions.can_manage_arrangements(request.user, arrangement.region):
        raise PermissionDenied
    return _arrangement_form_page(request, arrangement.region, arrangement)
