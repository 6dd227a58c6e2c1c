// SPDX-License-Identifier: MIT
/*
 * prime_import: scan out a udmabuf on a KMS device.
 *
 * memfd (F_SEAL_SHRINK) of W*H*4 bytes rounded up to pages, filled with a
 * pattern -> UDMABUF_CREATE -> drmPrimeFDToHandle -> drmModeAddFB2 (XRGB8888)
 * -> drmModeSetCrtc on the first connected connector -> drmModeDirtyFB full
 * frame. On cirrus (shmem helpers) SetCrtc only succeeds if the dma-buf
 * implements vmap, which 6.1's in-tree udmabuf does not. Prints TAP lines
 * and timings, restores the previous CRTC and frees everything.
 *
 * usage: prime_import [-d /dev/dri/card0] [-m WxH] [-s HOLD_SECONDS]
 *   -m picks that mode of the connector (default: its preferred mode);
 *   -s keeps the frame on screen that long (for a QMP screendump).
 *
 * Pattern (XRGB8888, little endian B,G,R,X in memory): pixel (x, y) has
 * R = x * 255 / (W - 1), G = y * 255 / (H - 1), B = 0xff on a 32x32
 * checkerboard's odd squares ((x / 32 + y / 32) & 1), else 0.
 *
 * build: cc -std=c11 -O2 -Wall -Wextra -Werror $(pkg-config --cflags libdrm) \
 *           -o prime_import tests/vm/prime_import.c $(pkg-config --libs libdrm)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "tap.h"
#include "udmabuf_uapi.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t pattern(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	uint32_t r = w > 1 ? x * 255 / (w - 1) : 0;
	uint32_t g = h > 1 ? y * 255 / (h - 1) : 0;
	uint32_t b = ((x / 32 + y / 32) & 1) ? 0xff : 0;

	return r << 16 | g << 8 | b;
}

static drmModeConnector *first_connected(int fd, drmModeRes *res)
{
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);

		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes > 0)
			return c;
		drmModeFreeConnector(c);
	}
	return NULL;
}

static uint32_t pick_crtc(int fd, drmModeRes *res, drmModeConnector *conn)
{
	drmModeEncoder *enc;
	uint32_t crtc = 0;

	if (conn->encoder_id) {
		enc = drmModeGetEncoder(fd, conn->encoder_id);
		if (enc) {
			crtc = enc->crtc_id;
			drmModeFreeEncoder(enc);
			if (crtc)
				return crtc;
		}
	}
	for (int i = 0; i < conn->count_encoders && !crtc; i++) {
		enc = drmModeGetEncoder(fd, conn->encoders[i]);
		if (!enc)
			continue;
		for (int j = 0; j < res->count_crtcs; j++)
			if (enc->possible_crtcs & (1u << j)) {
				crtc = res->crtcs[j];
				break;
			}
		drmModeFreeEncoder(enc);
	}
	return crtc;
}

int main(int argc, char **argv)
{
	const char *card = "/dev/dri/card0";
	unsigned int want_w = 0, want_h = 0, hold = 0;
	drmModeModeInfo mode;
	drmModeConnector *conn = NULL;
	drmModeCrtc *old = NULL;
	drmModeRes *res = NULL;
	uint32_t crtc = 0, fb = 0, handle = 0, w, h, pitch;
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	int fd, dev = -1, memfd = -1, buf = -1, opt, r;
	uint64_t cap = 0;
	size_t size = 0, page = (size_t)sysconf(_SC_PAGESIZE);
	uint32_t *px = MAP_FAILED;
	double t0;

	while ((opt = getopt(argc, argv, "d:m:s:")) != -1) {
		switch (opt) {
		case 'd':
			card = optarg;
			break;
		case 'm':
			if (sscanf(optarg, "%ux%u", &want_w, &want_h) != 2) {
				fprintf(stderr, "bad -m %s\n", optarg);
				return 2;
			}
			break;
		case 's':
			hold = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-d CARD] [-m WxH] [-s HOLD_SECONDS]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open(card, O_RDWR | O_CLOEXEC);
	if (!tap(fd >= 0, "open %s%s%s", card, fd < 0 ? ": " : "",
		 fd < 0 ? strerror(errno) : ""))
		goto out;
	r = drmGetCap(fd, DRM_CAP_PRIME, &cap);
	if (!tap(r == 0 && (cap & DRM_PRIME_CAP_IMPORT),
		 "driver can import PRIME (DRM_CAP_PRIME %#" PRIx64 ")", cap))
		goto out;

	res = drmModeGetResources(fd);
	conn = res ? first_connected(fd, res) : NULL;
	if (!tap(conn != NULL, "a connected connector exists"))
		goto out;
	mode = conn->modes[0];
	for (int i = 0; i < conn->count_modes; i++) {
		drmModeModeInfo *m = &conn->modes[i];

		if (want_w ? (m->hdisplay == want_w && m->vdisplay == want_h) :
			     (m->type & DRM_MODE_TYPE_PREFERRED)) {
			mode = *m;
			break;
		}
	}
	if (want_w && (mode.hdisplay != want_w || mode.vdisplay != want_h)) {
		tap(false, "connector has mode %ux%u", want_w, want_h);
		goto out;
	}
	crtc = pick_crtc(fd, res, conn);
	if (!tap(crtc != 0, "connector %u: mode %s, CRTC %u", conn->connector_id,
		 mode.name, crtc))
		goto out;
	old = drmModeGetCrtc(fd, crtc);

	w = mode.hdisplay;
	h = mode.vdisplay;
	pitch = w * 4;
	size = ((size_t)pitch * h + page - 1) / page * page;

	memfd = memfd_create("prime_import", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0 || ftruncate(memfd, (off_t)size) < 0 ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		tap(false, "sealed memfd of %zu bytes: %s", size, strerror(errno));
		goto out;
	}
	px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (px == MAP_FAILED) {
		tap(false, "mmap memfd: %s", strerror(errno));
		goto out;
	}
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * (pitch / 4) + x] = pattern(x, y, w, h);

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (!tap(dev >= 0, "open /dev/udmabuf%s%s", dev < 0 ? ": " : "",
		 dev < 0 ? strerror(errno) : ""))
		goto out;
	{
		struct udmabuf_create c = {
			.memfd = (uint32_t)memfd,
			.flags = UDMABUF_FLAGS_CLOEXEC,
			.offset = 0,
			.size = size,
		};

		t0 = now_ms();
		buf = ioctl(dev, UDMABUF_CREATE, &c);
		if (!tap(buf >= 0, "UDMABUF_CREATE %ux%u, %zu bytes (%.3f ms)%s%s",
			 w, h, size, now_ms() - t0, buf < 0 ? ": " : "",
			 buf < 0 ? strerror(errno) : ""))
			goto out;
	}

	t0 = now_ms();
	r = drmPrimeFDToHandle(fd, buf, &handle);
	if (!tap(r == 0, "drmPrimeFDToHandle (%.3f ms)%s%s", now_ms() - t0,
		 r ? ": " : "", r ? strerror(errno) : ""))
		goto out;

	handles[0] = handle;
	pitches[0] = pitch;
	t0 = now_ms();
	r = drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &fb, 0);
	if (!tap(r == 0, "drmModeAddFB2 XRGB8888 pitch %u (%.3f ms)%s%s", pitch,
		 now_ms() - t0, r ? ": " : "", r ? strerror(errno) : ""))
		goto out;

	t0 = now_ms();
	r = drmModeSetCrtc(fd, crtc, fb, 0, 0, &conn->connector_id, 1, &mode);
	if (!tap(r == 0, "drmModeSetCrtc with the udmabuf FB (%.3f ms)%s%s",
		 now_ms() - t0, r ? ": " : "",
		 r ? strerror(errno) : ""))
		goto out;

	{
		drmModeClip clip = { 0, 0, (uint16_t)w, (uint16_t)h };

		t0 = now_ms();
		r = drmModeDirtyFB(fd, fb, &clip, 1);
		tap(r == 0, "drmModeDirtyFB full frame (%.3f ms)%s%s",
		    now_ms() - t0, r ? ": " : "", r ? strerror(errno) : "");

		/* change rows 0..63 in the memfd and flush only that band */
		for (uint32_t y = 0; y < 64 && y < h; y++)
			for (uint32_t x = 0; x < w; x++)
				px[y * (pitch / 4) + x] ^= 0x00ffffff;
		clip.y2 = (uint16_t)(h < 64 ? h : 64);
		t0 = now_ms();
		r = drmModeDirtyFB(fd, fb, &clip, 1);
		tap(r == 0, "drmModeDirtyFB of a %ux%u band (%.3f ms)%s%s", w,
		    clip.y2, now_ms() - t0, r ? ": " : "",
		    r ? strerror(errno) : "");
		for (uint32_t y = 0; y < 64 && y < h; y++)
			for (uint32_t x = 0; x < w; x++)
				px[y * (pitch / 4) + x] ^= 0x00ffffff;
		r = drmModeDirtyFB(fd, fb, &clip, 1);
		tap(r == 0, "drmModeDirtyFB restoring the band");
	}
	if (hold) {
		printf("# holding the frame for %u s\n", hold);
		sleep(hold);
	}

out:
	if (old && fd >= 0) {
		r = drmModeSetCrtc(fd, crtc, old->buffer_id, old->x, old->y,
				   old->buffer_id ? &conn->connector_id : NULL,
				   old->buffer_id ? 1 : 0,
				   old->mode_valid ? &old->mode : NULL);
		tap(r == 0, "previous CRTC restored (FB %u)%s%s",
		    old->buffer_id, r ? ": " : "", r ? strerror(errno) : "");
		drmModeFreeCrtc(old);
	}
	if (fb)
		tap(drmModeRmFB(fd, fb) == 0, "drmModeRmFB");
	if (handle) {
		struct drm_gem_close gc = { .handle = handle };

		tap(drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &gc) == 0,
		    "DRM_IOCTL_GEM_CLOSE");
	}
	if (buf >= 0)
		close(buf);
	if (px != MAP_FAILED)
		munmap(px, size);
	if (memfd >= 0)
		close(memfd);
	if (dev >= 0)
		close(dev);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	if (fd >= 0)
		close(fd);
	printf("1..%d\n", test_no);
	return failures ? 1 : 0;
}
