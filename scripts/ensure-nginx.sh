#!/usr/bin/env bash
# The deployment test (tests/integration/test_deploy_nginx.py) runs deploy/nginx/ in Debian's
# nginx, as a process of its own on free ports: the package's service is never started.
set -u
NGINX=/usr/sbin/nginx
if [ -x "$NGINX" ]; then
  echo "nginx: $($NGINX -v 2>&1)"
  exit 0
fi
echo "installing nginx"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
# Without a policy the package would start its service on port 80 (containers have one).
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null && $SUDO chmod +x "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null \
  || echo "could not install nginx: the deployment test will fail under CI=true"
exit 0
