#!/bin/sh
# Start nginx with nginx.conf.template (beside this file) filled in from the environment:
#   NGINX_LISTEN    what to listen on, e.g. 8080 or 127.0.0.1:8701
#   NGINX_UPSTREAM  gunicorn, e.g. web:8000 or 127.0.0.1:8702
#   NGINX_RUN_DIR   a writable folder for the filled-in config, pid and buffered bodies
#   NGINX_USER      the workers' user (default: whoever runs this), who must be able to
#                   write in NGINX_RUN_DIR
#   NGINX_RESOLVER  optional: a DNS server to look NGINX_UPSTREAM's name up again and again
#                   (compose: Docker's, 127.0.0.11), so that web containers added by
#                   `--scale` or replaced by an upgrade get requests; needs nginx 1.27.3 or
#                   later. Without it the name is looked up once, at start.
#   NGINX_TLS_CERTIFICATE, NGINX_TLS_CERTIFICATE_KEY
#                   optional: PEM files (a certificate chain and its key) to serve https
#                   too, on NGINX_TLS_LISTEN (default 8443), with the same limits, buffering
#                   and pages as plain http; the site then sees X-Forwarded-Proto https.
# Its error log (which quotes request lines) passes through the redaction of
# common/logs.py on its way to stderr: private link tokens and query strings go.
set -eu
: "${NGINX_LISTEN:?}" "${NGINX_UPSTREAM:?}" "${NGINX_RUN_DIR:=/tmp/nginx}" "${NGINX_USER:=$(id -un)}"
if [ -n "${NGINX_RESOLVER:-}" ]; then
  # A shared zone holds the addresses the resolver keeps current (every 10 s).
  NGINX_UPSTREAM_SERVERS="zone app 64k; resolver ${NGINX_RESOLVER} valid=10s ipv6=off; server ${NGINX_UPSTREAM} resolve;"
else
  NGINX_UPSTREAM_SERVERS="server ${NGINX_UPSTREAM};"
fi
if [ -n "${NGINX_TLS_CERTIFICATE:-}" ]; then
  : "${NGINX_TLS_CERTIFICATE_KEY:?NGINX_TLS_CERTIFICATE needs NGINX_TLS_CERTIFICATE_KEY}"
  NGINX_TLS="listen ${NGINX_TLS_LISTEN:-8443} ssl; ssl_certificate ${NGINX_TLS_CERTIFICATE}; ssl_certificate_key ${NGINX_TLS_CERTIFICATE_KEY}; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:tls:10m; ssl_session_timeout 1d;"
else
  NGINX_TLS=""
fi
export NGINX_LISTEN NGINX_UPSTREAM_SERVERS NGINX_RUN_DIR NGINX_USER NGINX_TLS
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$NGINX_RUN_DIR"
envsubst '${NGINX_LISTEN} ${NGINX_UPSTREAM_SERVERS} ${NGINX_RUN_DIR} ${NGINX_USER} ${NGINX_TLS}' \
  < "$here/nginx.conf.template" > "$NGINX_RUN_DIR/nginx.conf"

errors="$NGINX_RUN_DIR/errors.fifo"
rm -f "$errors"
mkfifo "$errors"
sed -u -E -f "$here/redact.sed" < "$errors" >&2 &
exec nginx -c "$NGINX_RUN_DIR/nginx.conf" -g 'daemon off;' 2> "$errors"
