# The two rules of smp_site/logs.py, for nginx's error log (tests/production/test_logs.py
# checks that both give the same lines).
s#(/quote/(reply|compare|photo|sent)/)[^/[:space:]"'<>?\#]+#\1[redacted]#g
s#(/[^[:space:]"'<>?]*)\?[^[:space:]"'<>]+#\1?[redacted]#g
