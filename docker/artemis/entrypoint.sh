#!/bin/bash
# The broker container's entrypoint (docker-compose.yml): what the apache/artemis image's own
# docker-run.sh does (create the instance on first start, ARTEMIS_USER its admin, role amq; then
# run it), plus beadpool's least-privilege setup from docs/cluster.md:
#   - on creation: <uuid-namespace> and the security settings of security-settings.xml (rendered
#     from dev.beadpool.broker.BrokerRoles; ComposeFileTest checks they are the same) go into
#     etc/broker.xml;
#   - on every start: the users coordinator (role beadpool-coordinator) and worker (role
#     beadpool-worker) with the passwords in BEADPOOL_COORDINATOR_PASSWORD and
#     BEADPOOL_WORKER_PASSWORD, stored hashed; a changed password takes effect at the next start.
set -euo pipefail
ARTEMIS_HOME=${ARTEMIS_HOME:-/opt/activemq-artemis}
SETUP_DIR=${SETUP_DIR:-/beadpool}
: "${ARTEMIS_USER:?}" "${ARTEMIS_PASSWORD:?}"
: "${BEADPOOL_COORDINATOR_PASSWORD:?set BEADPOOL_COORDINATOR_PASSWORD}"
: "${BEADPOOL_WORKER_PASSWORD:?set BEADPOOL_WORKER_PASSWORD}"

if ! [ -f ./etc/broker.xml ]; then
  if [ "${ANONYMOUS_LOGIN,,}" = "true" ]; then login=--allow-anonymous; else login=--require-login; fi
  # shellcheck disable=SC2086 # EXTRA_ARGS is a list of arguments, as in the image's docker-run.sh
  "$ARTEMIS_HOME/bin/artemis" create --user "$ARTEMIS_USER" --password "$ARTEMIS_PASSWORD" \
    --silent "$login" ${EXTRA_ARGS:-} .
  # the namespace goes into <core>, just before <security-settings>; beadpool's settings go first
  # inside it (the catch-all "#" stays for everything else)
  awk -v settings="$SETUP_DIR/security-settings.xml" '
    /<security-settings>/ {
      print "      <uuid-namespace>temp</uuid-namespace>"
      print
      while ((getline line < settings) > 0) print "         " line
      next
    }
    { print }' etc/broker.xml > etc/broker.xml.new
  mv etc/broker.xml.new etc/broker.xml
else
  echo "broker already created, ignoring creation"
fi

# $1 user, $2 role, $3 password: replaces any earlier line of that user and role
beadpool_user() {
  local hash
  hash=$("$ARTEMIS_HOME/bin/artemis" mask --hash "$3" | sed -n 's/^result: //p')
  [ -n "$hash" ] || { echo "could not hash the password of $1" >&2; exit 1; }
  sed -i "/^$1 *=/d" etc/artemis-users.properties
  sed -i "/^$2 *=/d" etc/artemis-roles.properties
  ends_line etc/artemis-users.properties
  ends_line etc/artemis-roles.properties
  echo "$1 = ENC($hash)" >> etc/artemis-users.properties
  echo "$2 = $1" >> etc/artemis-roles.properties
}
# why: artemis create writes these files without a final newline
ends_line() {
  if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then echo >> "$1"; fi
}
beadpool_user coordinator beadpool-coordinator "$BEADPOOL_COORDINATOR_PASSWORD"
beadpool_user worker beadpool-worker "$BEADPOOL_WORKER_PASSWORD"

exec ./bin/artemis "$@"
