#!/bin/sh
# zhendi package: create the service account, give it the data directory,
# and let it (and only it, besides root) read the configuration.
set -e

# Debian passes "configure"; nothing else is expected here.
case "$1" in configure | "")
	if ! getent group zhendi >/dev/null; then
		addgroup --system zhendi >/dev/null
	fi
	if ! getent passwd zhendi >/dev/null; then
		adduser --system --ingroup zhendi --home /var/lib/zhendi --no-create-home \
			--shell /usr/sbin/nologin --gecos "zhendi service" zhendi >/dev/null
	fi
	mkdir -p /var/lib/zhendi
	chown zhendi:zhendi /var/lib/zhendi
	chmod 0750 /var/lib/zhendi
	chown root:zhendi /etc/zhendi /etc/zhendi/tls /etc/zhendi/zhendi.toml
	chmod 0750 /etc/zhendi /etc/zhendi/tls
	chmod 0640 /etc/zhendi/zhendi.toml
	;;
esac

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null || true
	# Enabled, not started: the first administrator and the settings come
	# first (see README “运维”). An upgrade restarts a running service.
	systemctl enable zhendi.service >/dev/null || true
	if systemctl is-active --quiet zhendi.service; then
		systemctl restart zhendi.service || true
	fi
fi
exit 0
