"""The processing register (AVG art. 30), generated from the models (ADR 0105).

Each app keeps what its fields hold in its own `privacy.py`: `PERSONAL` (model label → field
name → annotation) and `NOT_PERSONAL` (model label → field names). This module reads them all,
checks them against every concrete field of every model of the project's apps, and builds the
rows of the register page and its CSV export. An annotation is a dict with:

- `purpose`: a key of PURPOSES (why Tandem holds it);
- `basis`: a key of BASES (the legal basis; ADR 0105 argues each);
- `special`: True for special-category data (AVG art. 9: health, behaviour, family);
- `roles`: who may see it: contacts.Role values, "own_account" (the user themself) or
  "everyone" (every account);
- `retention`: a key of RETENTION (how long it is kept);
- `leaves`: where it leaves the system, a subset of OUTFLOWS ("email", "report", "export").

`problems()` lists every field without an annotation, every annotation without a field and
every unknown key; tests/security/test_register.py requires it to be empty.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agenda import privacy as agenda_privacy
from contacts import privacy as contacts_privacy
from contacts.models import Role
from escalations import privacy as escalations_privacy
from portal import privacy as portal_privacy
from referrals import privacy as referrals_privacy
from reporting import privacy as reporting_privacy
from security import privacy as security_privacy

# The project's apps and their annotations, bottom to top (docs/architecture.md, "Layers").
SOURCES = {
    "portal": portal_privacy,
    "contacts": contacts_privacy,
    "referrals": referrals_privacy,
    "escalations": escalations_privacy,
    "agenda": agenda_privacy,
    "reporting": reporting_privacy,
    "security": security_privacy,
}

PURPOSES = {
    "referral": _("Arranging suitable help in and around school for a referred pupil"),
    "case_history": _("Showing who did what on a referral (the timeline)"),
    "escalation": _("Deciding escalated cases (doorzettingsmacht)"),
    "precedents": _("Learning from decisions (anonymised precedent library)"),
    "accounts": _("Giving professionals access to Tandem (accounts and roles)"),
    "registry": _("Knowing whom to contact in the network (registry)"),
    "agenda": _("Following the region's work agenda"),
    "reports": _("Producing the progress report of the region"),
    "notifications": _("Telling professionals that something awaits them"),
    "access_log": _("Accounting for who accessed which data (NEN 7513)"),
    "privacy": _("Handling data-subject requests and data breaches"),
}

# (label, citation). ADR 0105 explains each choice; the privacy officer confirms them.
BASES = {
    "consent": (
        _("consent of the parents or the child"),
        "AVG art. 6 lid 1 a en art. 9 lid 2 a; Jeugdwet art. 7.3.11 lid 1",
    ),
    "consent_proof": (
        _("legal obligation: proving consent"),
        "AVG art. 6 lid 1 c en art. 7 lid 1",
    ),
    "public_task_youth": (
        _("public task: youth care by the municipality"),
        "AVG art. 6 lid 1 e; Jeugdwet art. 2.3 en 7.4.0",
    ),
    "public_task_region": (
        _("public task: aligning youth care and inclusive education in the region"),
        "AVG art. 6 lid 1 e; Jeugdwet art. 2.2; Wpo art. 18a",
    ),
    "security_obligation": (
        _("legal obligation: security and accountability"),
        "AVG art. 6 lid 1 c, art. 5 lid 2 en art. 32",
    ),
    "avg_obligation": (
        _("legal obligation: answering requests and recording breaches"),
        "AVG art. 6 lid 1 c; art. 12, 15-21 en 33 lid 5",
    ),
}
# The exception to the ban on special-category data (AVG art. 9 lid 1) for the fields marked
# special: explicit consent, and for schools and care workers the UAVG's own exceptions.
SPECIAL_EXCEPTION = "AVG art. 9 lid 2 a; UAVG art. 30 lid 2 (scholen) en lid 3 (hulpverleners)"

RETENTION = {
    "referral": _(
        "Removed %(closed)s months after the referral was closed or declined; a draft nobody "
        "touched for %(draft)s months is deleted (ADR 0046)"
    ),
    "tombstone": _(
        "Kept after the referral's personal data is removed, no longer linked to a named child, "
        "so the figures stay the same (ADR 0046)"
    ),
    "account": _("As long as the account exists; the registry administrator deactivates it"),
    "registry": _("As long as the person is listed; earlier assignments stay as history (ADR 0011)"),
    "pending_import": _("Until the import is confirmed or cancelled, at most one day"),
    "access_log": _("Not removed: append-only (ADR 0044); removal only by a deliberate database change"),
    "precedent": _("Drafts are deleted with the referral's personal data; published precedents stay"),
    "agenda": _("As long as the work agenda exists"),
    "report": _("As long as the report exists"),
    "privacy_records": _(
        "Kept to account for the handling (AVG art. 5 lid 2); the privacy officer sets the term, "
        "Tandem does not remove them yet"
    ),
}

OUTFLOWS = ("email", "report", "export")
EMAIL_NEVER = _("never")
EMAIL_NOTICE = _("only the notice itself (fixed text and a link)")
REPORT_AGGREGATED = _("aggregated (counts under 5 suppressed)")
EXPORT_ART15 = _("art. 15 export")
NOT_LEAVING = _("no")

PSEUDO_ROLES = {"own_account": _("the user themself"), "everyone": _("every account")}
ANNOTATION_KEYS = {"purpose", "basis", "special", "roles", "retention", "leaves"}


@dataclass(frozen=True)
class Row:
    """One personal-data field of the register."""

    app: str
    model: str  # verbose name
    model_label: str  # "referrals.referral"
    field: str  # verbose name
    field_name: str
    purpose: str
    basis: str
    basis_citation: str
    special: bool
    roles: tuple
    retention: str
    email: str
    report: str
    export: str

    @property
    def special_exception(self):
        return SPECIAL_EXCEPTION if self.special else ""


def project_models():
    """Every concrete model of the project's apps (unmanaged and proxy models hold no columns
    of their own)."""
    result = []
    for label in SOURCES:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            result.append(model)
    return result


def _personal(label):
    return SOURCES[label].PERSONAL if label in SOURCES else {}


def _not_personal(label):
    return SOURCES[label].NOT_PERSONAL if label in SOURCES else {}


def _annotation_problems(where, annotation):
    problems = []
    if not isinstance(annotation, dict) or set(annotation) != ANNOTATION_KEYS:
        return [f"{where}: an annotation needs exactly the keys {sorted(ANNOTATION_KEYS)}"]
    if annotation["purpose"] not in PURPOSES:
        problems.append(f"{where}: unknown purpose {annotation['purpose']!r}")
    if annotation["basis"] not in BASES:
        problems.append(f"{where}: unknown basis {annotation['basis']!r}")
    if annotation["retention"] not in RETENTION:
        problems.append(f"{where}: unknown retention {annotation['retention']!r}")
    if not isinstance(annotation["special"], bool):
        problems.append(f"{where}: special must be True or False")
    known_roles = {r.value for r in Role} | set(PSEUDO_ROLES)
    if not annotation["roles"] or set(annotation["roles"]) - known_roles:
        problems.append(f"{where}: roles must be roles of contacts.Role, own_account or everyone")
    if set(annotation["leaves"]) - set(OUTFLOWS):
        problems.append(f"{where}: leaves must be among {OUTFLOWS}")
    # Child data never goes out by e-mail (docs/architecture.md, step 5).
    if "email" in annotation["leaves"] and annotation["purpose"] in (
        "referral",
        "escalation",
        "case_history",
    ):
        problems.append(f"{where}: data about a child cannot leave by e-mail")
    if annotation["special"] and "email" in annotation["leaves"]:
        problems.append(f"{where}: special-category data cannot leave by e-mail")
    return problems


def problems(models=None):
    """Everything that keeps the register from matching the code, one sentence each."""
    check_models_exist = models is None
    models = project_models() if models is None else models
    found = []
    seen_labels = set()
    for model in models:
        label = model._meta.label_lower
        seen_labels.add(label)
        app = model._meta.app_label
        personal = _personal(app).get(label, {})
        not_personal = set(_not_personal(app).get(label, ()))
        names = {f.name for f in model._meta.concrete_fields}
        for name in sorted(names):
            if name in personal and name in not_personal:
                found.append(f"{label}.{name}: both personal and not personal")
            elif name not in personal and name not in not_personal:
                found.append(
                    f"{label}.{name}: not in the register; annotate it in {app}/privacy.py "
                    "(PERSONAL or NOT_PERSONAL, ADR 0105)"
                )
        for name in sorted((set(personal) | not_personal) - names):
            found.append(f"{label}.{name}: annotated in {app}/privacy.py but the model has no such field")
        for name, annotation in sorted(personal.items()):
            found.extend(_annotation_problems(f"{label}.{name}", annotation))
    if check_models_exist:
        for app, source in SOURCES.items():
            for label in sorted(set(source.PERSONAL) | set(source.NOT_PERSONAL)):
                if label not in seen_labels:
                    found.append(f"{label}: annotated in {app}/privacy.py but there is no such model")
    return found


def _roles_display(roles):
    labels = dict(Role.choices)
    return tuple(str(PSEUDO_ROLES.get(r) or labels.get(r, r)) for r in roles)


def _retention_display(key):
    text = RETENTION[key]
    if key == "referral":
        return str(text) % {
            "closed": settings.TANDEM_RETENTION_CLOSED_MONTHS,
            "draft": settings.TANDEM_RETENTION_DRAFT_MONTHS,
        }
    return str(text)


def rows():
    """The register: one Row per personal-data field, in the order of apps, models, fields."""
    result = []
    for model in project_models():
        label = model._meta.label_lower
        personal = _personal(model._meta.app_label).get(label, {})
        for model_field in model._meta.concrete_fields:
            annotation = personal.get(model_field.name)
            if annotation is None:
                continue
            leaves = set(annotation["leaves"])
            basis_label, citation = BASES[annotation["basis"]]
            result.append(
                Row(
                    app=str(apps.get_app_config(model._meta.app_label).verbose_name),
                    model=str(capfirst(model._meta.verbose_name)),
                    model_label=label,
                    field=str(capfirst(model_field.verbose_name)),
                    field_name=model_field.name,
                    purpose=str(PURPOSES[annotation["purpose"]]),
                    basis=str(basis_label),
                    basis_citation=citation,
                    special=annotation["special"],
                    roles=_roles_display(annotation["roles"]),
                    retention=_retention_display(annotation["retention"]),
                    email=str(EMAIL_NOTICE if "email" in leaves else EMAIL_NEVER),
                    report=str(REPORT_AGGREGATED if "report" in leaves else NOT_LEAVING),
                    export=str(EXPORT_ART15 if "export" in leaves else NOT_LEAVING),
                )
            )
    return result


@dataclass
class ModelGroup:
    label: str
    title: str
    app: str
    rows: list
    not_personal: list  # verbose names of the fields that are not personal data


def grouped():
    """The register per model, for the page: its personal fields and the rest."""
    by_label = {}
    for row in rows():
        by_label.setdefault(row.model_label, []).append(row)
    groups = []
    for model in project_models():
        label = model._meta.label_lower
        not_personal = set(_not_personal(model._meta.app_label).get(label, ()))
        groups.append(
            ModelGroup(
                label=label,
                title=str(capfirst(model._meta.verbose_name)),
                app=str(apps.get_app_config(model._meta.app_label).verbose_name),
                rows=by_label.get(label, []),
                not_personal=[
                    str(capfirst(f.verbose_name))
                    for f in model._meta.concrete_fields
                    if f.name in not_personal
                ],
            )
        )
    return groups
