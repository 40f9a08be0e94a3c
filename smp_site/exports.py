"""Admin exports that are safe to open in a spreadsheet.

Anonymous applicants write clinic names, addresses and descriptions. A cell starting
with = + - @ (or a tab or carriage return) is a formula to Excel, LibreOffice and Google
Sheets: `=HYPERLINK(...)` in a clinic name would become a link in a staff member's
spreadsheet. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (on in
settings) only drops a leading "="; every export resource here also prefixes such text
with an apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).
"""

from typing import Any

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetSafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
