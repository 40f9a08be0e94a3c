# The four rules of common/logs.py, for nginx's error log, in the same order and the
# same POSIX extended expressions (tests/core/test_logs.py checks both give the same lines):
# the segment after a private prefix however the path spells it, anything shaped like a
# Django signing token wherever it stands, the client's address, and every query string.
s#(/+quote(/+\.{1,2})*/+(reply|compare|photo|sent)/+)[^/[:space:]"'<>?\#\\]+#\1[redacted]#g
s#\.?[A-Za-z0-9_-]+((:|%3[Aa])[A-Za-z0-9_-]+)?(:|%3[Aa])[A-Za-z0-9_-]{27,}#[redacted]#g
s#, client: [^,[:space:]]+#, client: [redacted]#g
s#(/[^[:space:]"'<>?]*)\?[^[:space:]"'<>]+#\1?[redacted]#g
