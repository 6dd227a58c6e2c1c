# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# A private apt for Debian 13 packages on a Debian 12 machine; sourced by the fetch scripts
# (tests/vm/fetch-kernel, tests/e2e/qemu/fetch-qemu10, tests/e2e/fetch-mesa25).
#
#   source tests/lib/debian-apt.sh
#   debian_apt_init CACHE_DIR TOOL_NAME     # private config under CACHE_DIR/debian-apt
#   debian_apt_download DEST PKG/SUITE...   # apt-get download into DEST
#
# apt runs with its own configuration (sources list with bookworm-backports and trixie, package
# lists, cache and an empty dpkg status), so the machine's sources, package lists and installed
# packages stay untouched. The sources use the Debian registry of the machine's own apt sources,
# verified with /usr/share/keyrings/debian-archive-keyring.gpg. The lists are fetched once per
# cache dir (~10 MB). A caller holds CACHE_DIR/.debian-apt.lock from debian_apt_init until it
# exits, so one fetch script at a time reads, refreshes or downloads with the private apt (apt
# itself does not lock lists against concurrent apt-get download). A package that cannot be
# fetched fails with a message naming the package and its suite.
#
# Environment: UDMAVIEW_DEBIAN_MIRROR=URL overrides the registry found in the apt sources.

DEBIAN_APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEBIAN_APT_SUITES=(bookworm-backports trixie)

debian_apt_die() {
	echo "$DEBIAN_APT_TOOL: error: $*" >&2
	exit 1
}

debian_apt_log() { echo "$DEBIAN_APT_TOOL: $*" >&2; }

# The Debian registry the machine already uses: the first "URIs:" (deb822) or "deb URL"
# (one-line) entry of a bookworm suite that is not the security archive.
debian_apt_mirror() {
	if [ -n "${UDMAVIEW_DEBIAN_MIRROR:-}" ]; then
		echo "$UDMAVIEW_DEBIAN_MIRROR"
		return
	fi
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ {uri = $2} /^Suites:/ && / bookworm( |$)/ && uri !~ /security/ {print uri; exit}
			/^$/ {uri = ""}' "$f"
	done | head -n 1 | grep . && return
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 ~ / bookworm / && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' | head -n 1 | grep . ||
		debian_apt_die "no Debian bookworm registry in /etc/apt/sources.list{,.d}; set UDMAVIEW_DEBIAN_MIRROR"
}

# APT_CONFIG is read before the configuration parts, so Dir::Etc here decides which sources,
# preferences and parts apply. Of the machine's configuration only how it reaches the registry
# (Acquire: proxy, date checks of snapshot mirrors) is copied; its hooks
# (APT::Update::Post-Invoke…, which refresh system caches) must not run for our lists.
debian_apt_setup() {
	local apt=$1
	[ -f "$apt/apt.conf" ] && return
	mkdir -p "$apt/etc/apt.conf.d" "$apt/etc/sources.list.d" "$apt/etc/preferences.d" \
		"$apt/etc/trusted.gpg.d" "$apt/state/lists/partial" "$apt/cache/archives/partial"
	apt-config dump Acquire >"$apt/etc/apt.conf.d/50machine-acquire" ||
		debian_apt_die "apt-config dump Acquire failed: cannot read this machine's apt configuration"
	: >"$apt/status"
	[ -r "$DEBIAN_APT_KEYRING" ] || debian_apt_die "$DEBIAN_APT_KEYRING missing: install debian-archive-keyring"
	local mirror suite
	mirror=$(debian_apt_mirror)
	for suite in "${DEBIAN_APT_SUITES[@]}"; do
		echo "deb [signed-by=$DEBIAN_APT_KEYRING] $mirror $suite main"
	done >"$apt/etc/sources.list"
	cat >"$apt/apt.conf.tmp" <<-CONF
		Dir::Etc "$apt/etc/";
		Dir::State "$apt/state/";
		Dir::State::status "$apt/status";
		Dir::Cache "$apt/cache/";
		APT::Sandbox::User "root";
	CONF
	mv "$apt/apt.conf.tmp" "$apt/apt.conf"
	debian_apt_log "private apt configuration in $apt (registry $mirror)"
}

# --error-on=any: a list that failed to download is an error, not a warning (the default), so
# no stamp is left over empty lists.
debian_apt_update() {
	debian_apt_log "apt-get update of ${DEBIAN_APT_SUITES[*]} (private lists, ~10 MB)"
	apt-get update -q --error-on=any >&2 ||
		debian_apt_die "apt-get update of ${DEBIAN_APT_SUITES[*]} (private configuration $APT_CONFIG) failed, see apt's message above: is the Debian registry reachable?"
	touch "$DEBIAN_APT_DIR/.stamp-lists"
}

# debian_apt_init CACHE_DIR TOOL_NAME: exports APT_CONFIG for the private apt; lists fetched
# once per cache dir. The lock (fd 8) stays held until the calling script exits.
debian_apt_init() {
	DEBIAN_APT_TOOL=$2
	DEBIAN_APT_DIR=$1/debian-apt
	exec 8>"$1/.debian-apt.lock"
	flock 8
	debian_apt_setup "$DEBIAN_APT_DIR"
	export APT_CONFIG=$DEBIAN_APT_DIR/apt.conf
	[ -f "$DEBIAN_APT_DIR/.stamp-lists" ] || debian_apt_update
}

# Which of PKG/SUITE... the lists do not offer; one per line.
debian_apt_missing() {
	local spec
	for spec in "$@"; do
		apt-cache show --no-all-versions "$spec" >/dev/null 2>&1 || echo "$spec"
	done
}

# debian_apt_download DEST PKG/SUITE|PKG=VERSION...: lists older than the registry's (a
# package moved on) are refreshed once before giving up with the missing packages named.
debian_apt_download() {
	local dest=$1
	shift
	local missing
	missing=$(debian_apt_missing "$@")
	if [ -n "$missing" ]; then
		debian_apt_log "not in the cached lists: $(echo "$missing" | tr '\n' ' ')- refreshing them"
		debian_apt_update
		missing=$(debian_apt_missing "$@")
		[ -z "$missing" ] ||
			debian_apt_die "package(s) not offered by the registry: $(echo "$missing" | tr '\n' ' ')(package/suite; the suite moved on?)"
	fi
	debian_apt_log "downloading $*"
	(cd "$dest" && apt-get download -q "$@" >&2) ||
		debian_apt_die "apt-get download of $* failed (apt's message above): is the Debian registry reachable?"
}

# debian_apt_newest PATTERN SUITE: the newest package name matching the regex in SUITE.
debian_apt_newest() {
	apt-cache search --names-only "$1" 2>/dev/null | awk '{print $1}' | sort -V |
		while read -r name; do
			apt-cache madison "$name" | grep -q " $2/" && echo "$name"
		done | tail -n 1
}
