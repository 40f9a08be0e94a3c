# English pages write a date out in full ("7 December 2026"); Django's British English
# abbreviates the month. German, Spanish and French use Django's formats for them.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
