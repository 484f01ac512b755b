#!/usr/bin/env bash
# Installs the Debian packages the test suite talks to as real peers:
# keychain (dbus + gnome-keyring + libsecret for keytar's build), Chromium for
# the renderer tests, Postfix + Dovecot for SMTP integration, dnsmasq for
# discovery, msmtp/swaks as peers in benchmarks, xvfb for headed screenshots.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
# Postfix asks how it should be configured; we run it with our own config dir.
echo "postfix postfix/main_mailer_type select Local only" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string mailroom.test" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  ca-certificates openssl \
  libsecret-1-dev libsecret-tools dbus gnome-keyring \
  chromium fonts-dejavu-core \
  postfix dovecot-core \
  dnsmasq-base \
  msmtp swaks libnet-ssleay-perl libio-socket-ssl-perl \
  xvfb xauth >/dev/null
