"""Admin exports that are safe to open in a spreadsheet, and that import back unchanged.

Anonymous applicants write clinic names, addresses and descriptions. A cell starting
with = + - @ (or a tab or carriage return) is a formula to Excel, LibreOffice and Google
Sheets: `=HYPERLINK(...)` in a clinic name would become a link in a staff member's
spreadsheet. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (on in
settings) only drops a leading "="; every export resource here also prefixes such text
with an apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).

Only text is escaped: a number's cell ("-0.1278", a longitude) stays a number, or the
file would no longer import. Import takes the apostrophe off again, so an exported file
imports back unchanged: a text that itself starts with apostrophes before a formula
character gets one more on export, and loses exactly one on import.
"""

from typing import Any

from import_export import resources, widgets

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _reads_as_formula(text: str) -> bool:
    """A formula, or a formula behind apostrophes (which an import would take one off)."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would read as a formula, made text; anything else unchanged."""
    if isinstance(value, str) and _reads_as_formula(value):
        return "'" + value
    return value


def from_spreadsheet(value: Any) -> Any:
    """The text spreadsheet_safe() was given, from what it returned (and anything else as is)."""
    if isinstance(value, str) and value.startswith("'") and _reads_as_formula(value[1:]):
        return value[1:]
    return value


class SpreadsheetSafeResource(resources.ModelResource):
    """Text cells escaped on export and unescaped on import; numbers left as numbers."""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if _is_number(field):
            return value  # a NumberWidget renders a number or nothing, never text
        return spreadsheet_safe(value)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for field in self.get_import_fields():
            if field.column_name in row and not _is_number(field):
                row[field.column_name] = from_spreadsheet(row[field.column_name])


def _is_number(field) -> bool:
    return isinstance(field.widget, widgets.NumberWidget)
