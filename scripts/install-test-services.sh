#!/usr/bin/env bash
# Installs the Debian packages the integration and end-to-end tests start on
# loopback (PostgreSQL, Redis, Prometheus, Chromium), when missing. Needs root.
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v prometheus >/dev/null || need+=(prometheus)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The distribution's own services are not needed: the tests start their own.
for s in postgresql redis-server prometheus; do (service "$s" stop || true) >/dev/null 2>&1; done
