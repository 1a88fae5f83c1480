"""Import and export of the registry with django-import-export.

One `ModelResource` per kind; natural keys as columns (CBS code, BRIN + vestiging, partnership
code, e-mail, ...), never database ids. `run_import()` is all-or-nothing: it checks the header,
duplicate keys within the file and every row in a rolled-back dry run first, and writes only
when there is no error at all. Each error names the file, the row (the header is row 1) and the
column. Columns are documented in docs/registry-import.md.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.resources import Diff

from contacts import services
from contacts.models import (
    CareProvider,
    ContactAssignment,
    DistrictTeam,
    Membership,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
    Tandem,
    User,
)
from contacts.models.accounts import ROLE_ORGANISATION_FIELD
from contacts.permissions import home_region_ids, organisation_region_id, registry_admin_region_ids

LIST_SEPARATOR = "|"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"^[+-][0-9 ()-]*$")
TEAM_SEPARATOR = ":"

KIND_LABELS = {
    "regions": gettext_lazy("Regions and subregions"),
    "municipalities": gettext_lazy("Municipalities"),
    "partnerships": gettext_lazy("Partnerships"),
    "schools": gettext_lazy("Schools"),
    "district_teams": gettext_lazy("District teams"),
    "care_providers": gettext_lazy("Care providers"),
    "persons": gettext_lazy("Contact persons"),
    "assignments": gettext_lazy("Fixed contacts"),
    "tandems": gettext_lazy("Tandems"),
    "users": gettext_lazy("Accounts (users and their roles)"),
}


# --- Widgets: natural keys in, natural keys out; unknown keys are a clear error ------------------


class KeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by natural key. Empty → None; unknown → ValueError naming the value."""

    def __init__(self, model, lookup, render_key, message):
        super().__init__(model)
        self.lookup = lookup
        self.render_key = render_key
        self.message = message

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        params = self.lookup(value)
        obj = self.model.objects.filter(**params).first() if params else None
        if obj is None:
            raise ValueError(self.message() % {"value": value})
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.render_key(value)


class KeyListWidget(widgets.ManyToManyWidget):
    """Many-to-many by natural keys separated by "|"."""

    def __init__(self, key_widget):
        super().__init__(key_widget.model, separator=LIST_SEPARATOR)
        self.key_widget = key_widget

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value)
        parts = [p.strip() for p in value.split(LIST_SEPARATOR) if p.strip()]
        return [self.key_widget.clean(p) for p in parts]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(sorted(self.key_widget.render_key(o) for o in value.all()))


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        # Undo the export's formula guard (see `_guard`), so an export imports unchanged.
        if value.startswith("'") and value[1:2] in FORMULA_STARTS:
            value = value[1:]
        return value


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs).lower()


class IsoDateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%d-%m-%Y")

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        for fmt in self.FORMATS:
            try:
                parsed = datetime.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
            if 1990 <= parsed.year <= 2100:
                return parsed
        raise ValueError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


def _school_lookup(value):
    value = value.replace(" ", "")
    if len(value) != 6:
        return None
    return {"brin": value[:4], "vestiging": value[4:]}


def _team_lookup(value):
    code, sep, name = value.partition(TEAM_SEPARATOR)
    if not sep:
        return None
    return {"municipality__cbs_code": code.strip(), "name": name.strip()}


def _team_key(team):
    return f"{team.municipality.cbs_code}{TEAM_SEPARATOR}{team.name}"


def region_key():
    return KeyWidget(
        Region, lambda v: {"code": v}, lambda o: o.code, lambda: _("there is no region with code “%(value)s”")
    )


def municipality_key():
    return KeyWidget(
        Municipality,
        lambda v: {"cbs_code": v},
        lambda o: o.cbs_code,
        lambda: _("there is no municipality with CBS code “%(value)s”"),
    )


def partnership_key():
    return KeyWidget(
        Partnership,
        lambda v: {"code": v},
        lambda o: o.code,
        lambda: _("there is no partnership with code “%(value)s”"),
    )


def school_key():
    return KeyWidget(
        School,
        _school_lookup,
        lambda o: o.brin_vestiging,
        lambda: _("there is no school with BRIN + location number “%(value)s” (write e.g. 12AB00)"),
    )


def team_key():
    return KeyWidget(
        DistrictTeam,
        _team_lookup,
        _team_key,
        lambda: _("there is no district team “%(value)s” (write CBS code:name, e.g. GM0344:Buurtteam Noord)"),
    )


def care_provider_key():
    return KeyWidget(
        CareProvider,
        lambda v: {"name": v},
        lambda o: o.name,
        lambda: _("there is no care provider named “%(value)s”"),
    )


def person_key():
    return KeyWidget(
        Person,
        lambda v: {"email": v.lower()},
        lambda o: o.email,
        lambda: _("there is no contact person with e-mail address “%(value)s”"),
    )


def text(attribute, column=None):
    return fields.Field(attribute=attribute, column_name=column or attribute, widget=TextWidget())


def key(attribute, column, widget):
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class SafeLoader(ModelInstanceLoader):
    """An unknown key in a key column means "no existing row"; the field error is reported
    by the import of the row itself."""

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None


def _top_region(value):
    top = value.root if isinstance(value, Region) else getattr(value, "top_region", None)
    return top


def _placed_in(instance):
    """attribute -> the top-level region (or None) of what the row's object lies in."""
    if isinstance(instance, Region):
        if instance.parent_id:
            return {"parent": instance.parent.root}
        return {"parent": instance if instance.pk else None}  # a top-level region is its own
    found = {}
    field_names = {f.name for f in instance._meta.get_fields() if f.many_to_one}
    for name in ("region", "municipality", "partnership", "school", "district_team"):
        if name in field_names and getattr(instance, f"{name}_id", None):
            found[name] = _top_region(getattr(instance, name))
    return found


class RegistryResource(resources.ModelResource):
    """Shared behaviour: report every field error by column, including many-to-many ones.

    `regions` (top-level region ids) keeps an import inside a region's borders (ADR 0147): a row
    may create or change only objects that lie, before and after, in one of those regions, and
    link people only to their organisations. None (the operator's `manage.py import_registry`)
    is national."""

    regions = None
    key_columns: tuple = ()
    required_columns: tuple = ()
    # Shown next to the key in the preview, when the file has the column.
    label_column = "name"

    class Meta:
        abstract = True

    def get_diff_class(self):
        """A Diff that leaves itself on the resource, so `after_import_row` can tell the preview
        which columns of an existing row the file changes (old → new, as the export writes them)."""
        resource = self

        class RecordingDiff(Diff):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                resource._row_diff = self

        return RecordingDiff

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        diff, self._row_diff = getattr(self, "_row_diff", None), None
        key = " · ".join(str(row.get(c, "")).strip() for c in self.key_columns if str(row.get(c, "")).strip())
        row_result.preview_key = key
        row_result.preview_label = str(row.get(self.label_column, "") or "").strip()
        row_result.preview_changes = []
        if diff is not None and row_result.import_type == "update":
            for column, old, new in zip(self.get_diff_headers(), diff.left, diff.right, strict=True):
                if str(old) != str(new):
                    row_result.preview_changes.append(FieldChange(column, str(old), str(new)))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        before = _placed_in(instance) if instance.pk and self.regions is not None else {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.error_dict
        for f in self.get_import_fields():
            if isinstance(f.widget, widgets.ManyToManyWidget) and f.column_name in row:
                try:
                    linked = f.clean(row)
                except ValueError as exc:
                    errors[f.attribute] = [ValidationError(str(exc), code="invalid")]
                else:
                    if self.regions is not None and f.attribute not in errors:
                        outside = [o for o in linked or () if not self._inside(_top_region(o), nullable=True)]
                        if outside:
                            errors[f.attribute] = [self._foreign(outside[0], _top_region(outside[0]))]
        if self.regions is not None:
            for name, top in before.items():
                if name not in errors and not self._inside(top):
                    errors[name] = [
                        ValidationError(
                            _("this row changes the registry of %(region)s; only its administrator can")
                            % {"region": top.name},
                            code="other_region",
                        )
                    ]
            for name, top in _placed_in(instance).items():
                if name in errors:
                    continue
                if top is None and isinstance(instance, Region):
                    errors[name] = [
                        ValidationError(
                            _(
                                "a new region is added by an operator (manage.py import_registry); "
                                "name your own region as the parent to add a subregion"
                            ),
                            code="new_region",
                        )
                    ]
                elif not self._inside(top):
                    errors[name] = [self._foreign(getattr(instance, name), top)]
        if errors:
            raise ValidationError(errors)

    def _inside(self, top, nullable=False):
        if top is None:
            return nullable
        return top.pk in self.regions

    @staticmethod
    def _foreign(obj, top):
        return ValidationError(
            _("%(name)s lies in %(region)s, not in your region; import only your own region's rows")
            % {"name": obj, "region": top.name if top else "—"},
            code="other_region",
        )


def _meta(model, field_names, id_fields):
    return type(
        "Meta",
        (),
        {
            "model": model,
            "fields": field_names,
            "import_id_fields": id_fields,
            "export_order": field_names,
            "skip_unchanged": True,
            "report_skipped": True,
            "clean_model_instances": True,
            "instance_loader_class": SafeLoader,
            "use_transactions": True,
            "skip_html_diff": True,
        },
    )


class RegionResource(RegistryResource):
    code = text("code")
    name = text("name")
    parent = key("parent", "parent_code", region_key())
    key_columns = ("code",)
    required_columns = ("code", "name")
    Meta = _meta(Region, ("code", "name", "parent"), ("code",))

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class MunicipalityResource(RegistryResource):
    cbs_code = text("cbs_code")
    name = text("name")
    region = key("region", "subregion_code", region_key())
    key_columns = ("cbs_code",)
    required_columns = ("cbs_code", "name", "subregion_code")
    Meta = _meta(Municipality, ("cbs_code", "name", "region"), ("cbs_code",))

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class PartnershipResource(RegistryResource):
    code = text("code")
    name = text("name")
    sector = text("sector")
    region = key("region", "region_code", region_key())
    key_columns = ("code",)
    required_columns = ("code", "name", "sector", "region_code")
    Meta = _meta(Partnership, ("code", "name", "sector", "region"), ("code",))

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class SchoolResource(RegistryResource):
    brin = text("brin")
    vestiging = text("vestiging")
    name = text("name")
    school_type = text("school_type")
    partnership = key("partnership", "partnership_code", partnership_key())
    municipality = key("municipality", "municipality_code", municipality_key())
    postcode = text("postcode")
    key_columns = ("brin", "vestiging")
    required_columns = ("brin", "vestiging", "name", "school_type", "partnership_code", "municipality_code")
    Meta = _meta(
        School,
        ("brin", "vestiging", "name", "school_type", "partnership", "municipality", "postcode"),
        ("brin", "vestiging"),
    )

    def get_queryset(self):
        return super().get_queryset().select_related("partnership", "municipality")


class DistrictTeamResource(RegistryResource):
    municipality = key("municipality", "municipality_code", municipality_key())
    name = text("name")
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    key_columns = ("municipality_code", "name")
    required_columns = ("municipality_code", "name")
    Meta = _meta(DistrictTeam, ("municipality", "name", "email"), ("municipality", "name"))

    def get_queryset(self):
        return super().get_queryset().select_related("municipality")


class CareProviderResource(RegistryResource):
    name = text("name")
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    phone = text("phone")
    region = key("region", "region_code", region_key())
    key_columns = ("name",)
    required_columns = ("name",)
    Meta = _meta(CareProvider, ("name", "email", "phone", "region"), ("name",))

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class PersonResource(RegistryResource):
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    name = text("name")
    phone = text("phone")
    function = text("function")
    schools = key("schools", "schools", KeyListWidget(school_key()))
    district_teams = key("district_teams", "district_teams", KeyListWidget(team_key()))
    municipalities = key("municipalities", "municipalities", KeyListWidget(municipality_key()))
    partnerships = key("partnerships", "partnerships", KeyListWidget(partnership_key()))
    care_providers = key("care_providers", "care_providers", KeyListWidget(care_provider_key()))
    key_columns = ("email",)
    required_columns = ("email", "name")
    Meta = _meta(
        Person,
        (
            "email",
            "name",
            "phone",
            "function",
            "schools",
            "district_teams",
            "municipalities",
            "partnerships",
            "care_providers",
        ),
        ("email",),
    )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "schools", "district_teams__municipality", "municipalities", "partnerships", "care_providers"
            )
        )


class AssignmentResource(RegistryResource):
    school = key("school", "school", school_key())
    municipality = key("municipality", "municipality_code", municipality_key())
    partnership = key("partnership", "partnership_code", partnership_key())
    district_team = key("district_team", "district_team", team_key())
    person = key("person", "person_email", person_key())
    backup = key("backup", "backup_email", person_key())
    valid_from = fields.Field(attribute="valid_from", column_name="valid_from", widget=IsoDateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name="valid_to", widget=IsoDateWidget())
    key_columns = ("school", "municipality_code", "partnership_code", "district_team", "valid_from")
    required_columns = (*key_columns, "person_email")
    Meta = _meta(
        ContactAssignment,
        (
            "school",
            "municipality",
            "partnership",
            "district_team",
            "person",
            "backup",
            "valid_from",
            "valid_to",
        ),
        ("school", "municipality", "partnership", "district_team", "valid_from"),
    )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "school", "municipality", "partnership", "district_team__municipality", "person", "backup"
            )
        )


class TandemResource(RegistryResource):
    school = key("school", "school", school_key())
    school_coordinator = key("school_coordinator", "school_coordinator_email", person_key())
    district_worker = key("district_worker", "district_worker_email", person_key())
    district_team = key("district_team", "district_team", team_key())
    valid_from = fields.Field(attribute="valid_from", column_name="valid_from", widget=IsoDateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name="valid_to", widget=IsoDateWidget())
    key_columns = ("school", "valid_from")
    required_columns = (
        "school",
        "school_coordinator_email",
        "district_worker_email",
        "district_team",
        "valid_from",
    )
    Meta = _meta(
        Tandem,
        ("school", "school_coordinator", "district_worker", "district_team", "valid_from", "valid_to"),
        ("school", "valid_from"),
    )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("school", "school_coordinator", "district_worker", "district_team__municipality")
        )


RESOURCES = {
    "regions": RegionResource,
    "municipalities": MunicipalityResource,
    "partnerships": PartnershipResource,
    "schools": SchoolResource,
    "district_teams": DistrictTeamResource,
    "care_providers": CareProviderResource,
    "persons": PersonResource,
    "assignments": AssignmentResource,
    "tandems": TandemResource,
}


# --- Reading files -----------------------------------------------------------------------------


class FileError(Exception):
    """The file cannot be read; `row` and `column` say where, when that is known."""

    def __init__(self, message, row=1, column=""):
        super().__init__(message)
        self.row = row
        self.column = column


def _refuse_nul(headers, rows):
    """A NUL character is never part of a name, key or address; name the first cell holding one."""
    for number, row in enumerate([headers, *rows], start=1):
        for index, value in enumerate(row):
            if "\x00" in value:
                column = headers[index] if number > 1 and index < len(headers) else ""
                raise FileError(
                    _("this cell contains a NUL character (an invisible control character); remove it"),
                    row=number,
                    column=column.replace("\x00", ""),
                )


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_dataset(filename, content):
    """A tablib Dataset of strings from CSV (UTF-8; comma or semicolon) or XLSX bytes."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            raw = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as exc:  # noqa: BLE001 - any parse failure is a user error
            raise FileError(_("The file is not a readable XLSX workbook.")) from exc
        headers = [_cell(h) for h in (raw.headers or [])]
        rows = [[_cell(v) for v in row] for row in raw]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileError(_("The file is not UTF-8 encoded; save it as “CSV UTF-8”.")) from exc
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        reader = [row for row in reader if any(cell.strip() for cell in row)]
        if not reader:
            raise FileError(_("The file is empty."))
        headers = [h.strip() for h in reader[0]]
        rows = []
        for row in reader[1:]:
            row = [cell.strip() for cell in row][: len(headers)]
            rows.append(row + [""] * (len(headers) - len(row)))
    else:
        raise FileError(_("Choose a .csv or .xlsx file."))
    if not headers or not any(headers):
        raise FileError(_("The file has no header row."))
    _refuse_nul(headers, rows)
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        if any(row):
            dataset.append(row)
    return dataset


# --- Running an import -------------------------------------------------------------------------


@dataclass
class RowError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("%(file)s, row %(row)s, column “%(column)s”: %(message)s") % self.__dict__
        return _("%(file)s, row %(row)s: %(message)s") % self.__dict__


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class PreviewRow:
    """One row of the file that the import adds or changes, for the preview."""

    row: int
    key: str
    label: str
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    file: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    written: bool = False
    added_rows: list = field(default_factory=list)
    changed_rows: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def total(self):
        return self.added + self.changed + self.unchanged


def _check_header(resource, dataset, filename):
    columns = {f.column_name for f in resource.get_import_fields()}
    errors = []
    for column in resource.required_columns:
        if column not in dataset.headers:
            errors.append(RowError(filename, 1, column, _("this required column is missing")))
    for column in dataset.headers:
        if column not in columns:
            errors.append(
                RowError(
                    filename,
                    1,
                    column,
                    _("unknown column; expected: %(columns)s") % {"columns": ", ".join(sorted(columns))},
                )
            )
    seen = set()
    for column in dataset.headers:
        if column in seen:
            errors.append(RowError(filename, 1, column, _("this column appears twice")))
        seen.add(column)
    return errors


def _check_duplicates(resource, dataset, filename):
    errors = []
    first = {}
    columns = [c for c in resource.key_columns if c in dataset.headers]
    for index, row in enumerate(dataset.dict, start=2):
        value = tuple(str(row.get(c, "")).strip().lower() for c in columns)
        if not any(value):
            continue
        if value in first:
            errors.append(
                RowError(
                    filename,
                    index,
                    ", ".join(columns),
                    _("duplicate key within the file (same as row %(row)s)") % {"row": first[value]},
                )
            )
        else:
            first[value] = index
    return errors


def _valid_choices(model, name):
    """ "valid values: vo (voortgezet onderwijs), ..." for a field with choices, else ""."""
    try:
        choices = model._meta.get_field(name).flatchoices
    except Exception:  # noqa: BLE001 - not a model field (a non-field error, a resource column)
        return ""
    if not choices:
        return ""
    values = ", ".join(
        f"{value} ({label})" if str(label) != str(value) else str(value) for value, label in choices
    )
    return _("valid values: %(values)s") % {"values": values}


def _messages(invalid, name, model):
    """The messages of one field, each an invalid choice followed by the valid values."""
    error = invalid.error
    errors = error.error_dict.get(name, []) if hasattr(error, "error_dict") else []
    if not errors:
        return [str(message) for message in invalid.error_dict.get(name, [])]
    messages = []
    for item in errors:
        for message in item.messages:
            if item.code == "invalid_choice" and name != NON_FIELD_ERRORS:
                hint = _valid_choices(model, name)
                message = f"{message} {hint}".strip()
            messages.append(str(message))
    return messages


def _collect(resource, result, filename, report):
    by_attribute = {f.attribute: f.column_name for f in resource.get_import_fields()}
    model = resource._meta.model
    for invalid in result.invalid_rows:
        for name in invalid.error_dict:
            column = "" if name == NON_FIELD_ERRORS else by_attribute.get(name, name)
            for message in _messages(invalid, name, model):
                report.errors.append(RowError(filename, invalid.number + 1, column, message))
    for error_row in result.error_rows:
        for error in error_row.errors:
            report.errors.append(RowError(filename, error_row.number + 1, "", str(error.error)))
    for error in result.base_errors:
        report.errors.append(RowError(filename, 1, "", str(error.error)))
    for number, row in enumerate(result.rows, start=2):
        if row.import_type in ("new", "update"):
            preview = PreviewRow(
                number,
                getattr(row, "preview_key", ""),
                getattr(row, "preview_label", ""),
                getattr(row, "preview_changes", []),
            )
        if row.import_type == "new":
            report.added += 1
            report.added_rows.append(preview)
        elif row.import_type == "update":
            report.changed += 1
            report.changed_rows.append(preview)
        elif row.import_type == "skip":
            report.unchanged += 1


def _resource(kind, regions):
    resource = RESOURCES[kind]()
    resource.regions = None if regions is None else set(regions)
    return resource


def run_import(kind, dataset, filename, commit=False, regions=None, actor=None):
    """Check the whole file; with `commit`, write it when (and only when) it has no error.
    `regions`: the top-level region ids the file must stay inside (None: national, ADR 0147).
    The users sheet needs the `actor`: accounts are added in the actor's region only."""
    if kind == "users":
        return run_user_import(dataset, filename, actor, commit=commit)
    resource = _resource(kind, regions)
    report = ImportReport(kind=kind, file=filename)
    report.errors.extend(_check_header(resource, dataset, filename))
    if report.errors:
        return report
    report.errors.extend(_check_duplicates(resource, dataset, filename))
    if report.errors:
        return report
    result = resource.import_data(
        dataset, dry_run=True, use_transactions=True, rollback_on_validation_errors=True
    )
    _collect(resource, result, filename, report)
    report.errors.sort(key=lambda e: (e.row, e.column))
    if report.errors or not commit:
        return report
    with transaction.atomic():
        final = ImportReport(kind=kind, file=filename)
        result = _resource(kind, regions).import_data(dataset, dry_run=False, use_transactions=True)
        _collect(resource, result, filename, final)
        if final.errors:
            transaction.set_rollback(True)
            return final
    final.written = True
    return final


def import_file(kind, filename, content, commit=False, regions=None, actor=None):
    try:
        dataset = read_dataset(filename, content)
    except FileError as exc:
        report = ImportReport(kind=kind, file=filename)
        report.errors.append(RowError(filename, exc.row, exc.column, str(exc)))
        return report
    return run_import(kind, dataset, filename, commit=commit, regions=regions, actor=actor)


# --- Export ------------------------------------------------------------------------------------

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _guard(value):
    """Spreadsheet programs run cells that start like a formula; a leading apostrophe keeps a
    text such as "=HYPERLINK(...)" a text. Phone numbers such as "+31 30 ..." stay as they are."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not PHONE_LIKE.match(value):
        return "'" + value
    return value


def export(kind, queryset, fmt):
    """The rows of `queryset` (e.g. a filtered directory list) in the import columns of `kind`."""
    resource = RESOURCES[kind]()
    model = resource._meta.model
    rows = resource.get_queryset().filter(pk__in=queryset.values("pk")).order_by(*model._meta.ordering, "pk")
    exported = resource.export(rows)
    dataset = tablib.Dataset(headers=exported.headers)
    for row in exported:
        dataset.append([_guard(value) for value in row])
    if fmt == "csv":
        return dataset.export("csv").encode("utf-8-sig")
    return dataset.export("xlsx")


# --- The users sheet: accounts and their roles (ADR 0148) ----------------------------------------
#
# Not a model resource: one row is an account (User, by e-mail) holding a role (Membership) in
# one organisation, and a new one is an invitation, so writing goes through the service
# `contacts.services.invite_person` (ADR 0135) rather than through django-import-export's save.

USER_COLUMNS = ("email", "name", "organisation", "role")
USER_KEY_COLUMNS = ("email", "role", "organisation")

# How each kind of organisation is written in the `organisation` column: the natural keys of
# the other sheets. A key is looked up first as the kind the row's role needs.
ORGANISATION_KINDS = {
    "school": (School, _school_lookup),
    "district_team": (DistrictTeam, _team_lookup),
    "municipality": (Municipality, lambda v: {"cbs_code": v}),
    "partnership": (Partnership, lambda v: {"code": v}),
    "region": (Region, lambda v: {"code": v}),
}
ORGANISATION_SELECT = {
    "school": ("municipality__region__parent",),
    "district_team": ("municipality__region__parent",),
    "municipality": ("region__parent",),
    "partnership": ("region__parent",),
    "region": ("parent",),
}


def organisation_kind_labels():
    return {
        "school": _("a school"),
        "district_team": _("a district team"),
        "municipality": _("a municipality"),
        "partnership": _("a partnership"),
        "region": _("a region"),
    }


def _role_choices():
    return ", ".join(f"{value} ({label})" for value, label in Role.choices)


@dataclass
class UserRow:
    """One checked row of a users sheet; `organisation` is the resolved instance."""

    row: int
    email: str
    name: str
    role: str
    organisation: object
    kind: str
    user: object = None  # the existing account, if any
    has_membership: bool = False


class OrganisationFinder:
    """Looks organisation keys up once per file (a sheet of 300 rows names few organisations)."""

    def __init__(self):
        self._cache = {}

    def find(self, kind, value):
        if (kind, value) not in self._cache:
            model, lookup = ORGANISATION_KINDS[kind]
            params = lookup(value)
            found = None
            if params:
                found = model.objects.filter(**params).select_related(*ORGANISATION_SELECT[kind]).first()
            self._cache[kind, value] = found
        return self._cache[kind, value]

    def kinds_of(self, value):
        return [kind for kind in ORGANISATION_KINDS if self.find(kind, value) is not None]


def _clean_user_cells(number, row, filename, finder, region_ids):
    """(UserRow or None, [RowError]) for one row; every error names its column."""
    errors = []

    def error(column, message):
        errors.append(RowError(filename, number, column, message))

    email = EmailWidget().clean(row.get("email"))
    name = TextWidget().clean(row.get("name"))
    key = TextWidget().clean(row.get("organisation"))
    role = TextWidget().clean(row.get("role")).lower()
    if not email:
        error("email", _("an e-mail address is required"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("“%(value)s” is not a valid e-mail address") % {"value": email})
        if len(email) > User._meta.get_field("email").max_length:
            error("email", _("the e-mail address is longer than 254 characters"))
    if not name:
        error("name", _("a name is required"))
    elif len(name) > User._meta.get_field("full_name").max_length:
        error("name", _("the name is longer than 200 characters"))
    if not role:
        error("role", _("a role is required; valid values: %(values)s") % {"values": _role_choices()})
    elif role not in Role.values:
        error(
            "role",
            _("“%(value)s” is not a role; valid values: %(values)s")
            % {"value": role, "values": _role_choices()},
        )
    organisation = kind = None
    if not key:
        error("organisation", _("an organisation is required"))
    else:
        wanted = ROLE_ORGANISATION_FIELD[Role(role)] if role in Role.values else None
        organisation = finder.find(wanted, key) if wanted else None
        kind = wanted
        if organisation is None:
            found = finder.kinds_of(key)
            labels = organisation_kind_labels()
            if not found:
                error(
                    "organisation",
                    _(
                        "there is no organisation with key “%(value)s” (write a school as BRIN + "
                        "location number, e.g. 12AB00; a district team as CBS code:name; a "
                        "municipality by its CBS code; a partnership or a region by its code)"
                    )
                    % {"value": key},
                )
            elif wanted:
                error(
                    "role",
                    _("the role %(role)s belongs to %(wanted)s, but “%(value)s” is %(found)s")
                    % {
                        "role": Role(role).label,
                        "wanted": labels[wanted],
                        "value": key,
                        "found": labels[found[0]],
                    },
                )
        elif organisation_region_id(organisation) not in region_ids:
            error(
                "organisation",
                _(
                    "“%(value)s” (%(name)s) lies outside your region; you can only add accounts "
                    "in your own region"
                )
                % {"value": key, "name": organisation.name},
            )
    if errors:
        return None, errors
    return UserRow(number, email, name, role, organisation, kind), []


class UserSheet:
    """Checks a users sheet and, on commit, writes it row by row through the service."""

    key_columns = USER_KEY_COLUMNS
    required_columns = USER_COLUMNS
    label_column = "name"

    def get_import_fields(self):
        return [fields.Field(column_name=column) for column in USER_COLUMNS]

    def check(self, dataset, filename, actor, report):
        """The checked rows; errors go to `report`."""
        finder = OrganisationFinder()
        # The actor's home regions (ADR 0123) in which they are the registry administrator:
        # where the invitation service lets them invite (ADR 0135), so the preview refuses
        # exactly what the confirmation would.
        region_ids = home_region_ids(actor) & registry_admin_region_ids(actor)
        rows = []
        for number, raw in enumerate(dataset.dict, start=2):
            row, errors = _clean_user_cells(number, raw, filename, finder, region_ids)
            report.errors.extend(errors)
            if row is not None:
                rows.append(row)
        report.errors.extend(self._duplicates(rows, filename))
        if not report.errors:
            self._match_accounts(rows)
        return rows

    def _duplicates(self, rows, filename):
        errors = []
        first = {}
        names = {}
        for row in rows:
            key = (row.email, row.role, row.kind, row.organisation.pk)
            if key in first:
                errors.append(
                    RowError(
                        filename,
                        row.row,
                        ", ".join(USER_KEY_COLUMNS),
                        _("the same person, role and organisation as row %(row)s") % {"row": first[key]},
                    )
                )
            else:
                first[key] = row.row
            earlier = names.setdefault(row.email, (row.name, row.row))
            if earlier[0] != row.name:
                errors.append(
                    RowError(
                        filename,
                        row.row,
                        "name",
                        _(
                            "row %(row)s gives this e-mail address the name “%(name)s”; "
                            "one person has one name"
                        )
                        % {"row": earlier[1], "name": earlier[0]},
                    )
                )
        return errors

    def _match_accounts(self, rows):
        """Fill in each row's existing account and whether it holds the membership already,
        in two queries for the whole file."""
        emails = {row.email for row in rows}
        accounts = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        users = {u.email_lower: u for u in accounts}
        held = set(
            Membership.objects.filter(user__in=users.values()).values_list(
                "user_id", "role", *(f"{kind}_id" for kind in ORGANISATION_KINDS)
            )
        )
        held = {
            (user_id, role, kind, pk)
            for user_id, role, *ids in held
            for kind, pk in zip(ORGANISATION_KINDS, ids, strict=True)
            if pk is not None
        }
        for row in rows:
            row.user = users.get(row.email)
            row.has_membership = bool(
                row.user and (row.user.pk, row.role, row.kind, row.organisation.pk) in held
            )

    @staticmethod
    def preview(row):
        role = Role(row.role).label
        if row.user is None:
            label = _("%(name)s, new account: %(role)s at %(organisation)s")
        else:
            label = _("%(name)s, existing account: %(role)s at %(organisation)s")
        values = {"name": row.name, "role": role, "organisation": row.organisation.name}
        return PreviewRow(row.row, row.email, label % values)


def _tally_users(rows, report):
    for row in rows:
        if row.has_membership:
            report.unchanged += 1
        else:
            report.added += 1
            report.added_rows.append(UserSheet.preview(row))


def run_user_import(dataset, filename, actor, commit=False):
    """The users sheet: checked as a whole; with `commit`, each new account or membership is
    created and invited through `services.invite_person`, all in one transaction."""
    sheet = UserSheet()
    report = ImportReport(kind="users", file=filename)
    report.errors.extend(_check_header(sheet, dataset, filename))
    if report.errors:
        return report
    rows = sheet.check(dataset, filename, actor, report)
    report.errors.sort(key=lambda e: (e.row, e.column))
    if report.errors:
        return report
    _tally_users(rows, report)
    if not commit:
        return report
    with transaction.atomic():
        final = ImportReport(kind="users", file=filename)
        rows = sheet.check(dataset, filename, actor, final)  # again, now inside the transaction
        if not final.errors:
            _tally_users(rows, final)
            for row in rows:
                if row.has_membership:
                    continue
                try:
                    services.invite_person(
                        actor,
                        email=row.email,
                        full_name=row.name,
                        organisation=row.organisation,
                        role=row.role,
                    )
                except ValidationError as exc:
                    final.errors.extend(_service_errors(exc, row, filename))
                except PermissionDenied:
                    message = _("you may not add accounts to this organisation")
                    final.errors.append(RowError(filename, row.row, "organisation", message))
        if final.errors:
            final.errors.sort(key=lambda e: (e.row, e.column))
            final.added = final.unchanged = 0
            final.added_rows = []
            transaction.set_rollback(True)
            return final
    final.written = True
    return final


# The service's field names → the sheet's columns.
SERVICE_COLUMNS = {"email": "email", "full_name": "name", "organisation": "organisation", "role": "role"}


def _service_errors(exc, row, filename):
    if hasattr(exc, "error_dict"):
        return [
            RowError(filename, row.row, SERVICE_COLUMNS.get(name, ""), str(message))
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [RowError(filename, row.row, "", str(message)) for message in exc.messages]
