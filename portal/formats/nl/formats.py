"""Dutch formats where Tandem differs from Django's own (ADR 0166); everything not named here
(input formats, separators) falls through to django/conf/locale/nl/formats.py.

Long: "3 december 2026", "3 december 2026 14:05". Short, in tables and lists: "03-12-2026",
"03-12-2026 14:05" (two digits, so a column of dates lines up)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
