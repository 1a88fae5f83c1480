"""Validators for the natural keys of the registry."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

validate_cbs_code = RegexValidator(
    r"^GM\d{4}\Z",
    _("Enter a CBS municipality code: GM followed by four digits, e.g. GM0344."),
    code="invalid_cbs_code",
)
validate_brin = RegexValidator(
    r"^\d{2}[A-Z]{2}\Z",
    _("Enter a BRIN number: two digits and two capital letters, e.g. 12AB."),
    code="invalid_brin",
)
validate_vestiging = RegexValidator(
    r"^\d{2}\Z",
    _("Enter the location number (vestiging) as two digits, e.g. 00."),
    code="invalid_vestiging",
)
validate_partnership_code = RegexValidator(
    r"^(PO|VO)\d{4}\Z",
    _("Enter a partnership code: PO or VO followed by four digits, e.g. PO2605."),
    code="invalid_partnership_code",
)
validate_postcode = RegexValidator(
    r"^[1-9]\d{3} ?[A-Z]{2}\Z",
    _("Enter a Dutch postcode, e.g. 3511 AB."),
    code="invalid_postcode",
)
validate_region_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,31}\Z",
    _("Enter a code of capital letters, digits and hyphens, e.g. UTR or UTR-LEK."),
    code="invalid_region_code",
)
