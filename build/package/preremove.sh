#!/bin/sh
# zhendi package: stop the service before its binary goes away. The data
# directory, the configuration and the zhendi user stay (purge the package
# and remove /var/lib/zhendi by hand to delete the data).
set -e
if [ -d /run/systemd/system ] && [ "$1" = "remove" ]; then
	systemctl stop zhendi.service >/dev/null 2>&1 || true
	systemctl disable zhendi.service >/dev/null 2>&1 || true
fi
exit 0
