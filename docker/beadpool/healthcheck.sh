#!/bin/sh
# The Compose healthcheck of a beadpool container ($1: coordinator or worker). Healthy when the
# process holds a connection to the broker (an established TCP connection to the port of
# BEADPOOL_BROKER_URL) and, for the coordinator, its API answers an authorized request. Prints why
# when it is not (docker inspect shows it). The token never appears on a command line.
set -u
url=${BEADPOOL_BROKER_URL:-tcp://localhost:61616}
port=$(printf '%s' "$url" | sed -n 's#^[a-z]*://[^:/]*:\([0-9][0-9]*\).*#\1#p')
port_hex=$(printf ':%04X' "${port:-61616}")
# /proc/net/tcp: local address, remote address (hex ip:port), state (01: established)
if ! awk -v p="$port_hex" '$3 ~ p "$" && $4 == "01" { found = 1 } END { exit !found }' \
  /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
  echo "no connection to the broker on port ${port:-61616}"
  exit 1
fi
if [ "${1:-}" = coordinator ]; then
  api=http://127.0.0.1:${BEADPOOL_HTTP_PORT:-7411}/api/status
  if ! printf 'header = "Authorization: Bearer %s"\n' "${BEADPOOL_API_TOKEN:-}" \
    | curl --silent --show-error --fail --max-time 5 --output /dev/null --config - "$api"; then
    echo "the API at $api does not answer"
    exit 1
  fi
fi
echo ok
