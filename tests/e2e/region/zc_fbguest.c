// SPDX-License-Identifier: MIT
/*
 * zc_fbguest: the workload of the zero-copy end-to-end tests, run as a static binary by the
 * inner guest's busybox /init (tests/e2e/region/zc-guest-init.sh).
 *
 *   zc_fbguest [FBDEV]      draw through an fbdev (default /dev/fb0), e.g. vesafb
 *   zc_fbguest ramfb        no fbdev: read the ramfb configuration the firmware (SeaBIOS's
 *                           vgabios-ramfb) left in fw_cfg (qemu_fw_cfg sysfs, file etc/ramfb)
 *                           and draw through /dev/mem into that e820-reserved block of RAM.
 *                           For PVH-booted kernels, which get no boot-time screen_info and so
 *                           no vesafb.
 *
 * 1. Prints the framebuffer's geometry and physical address (FBIOGET_FSCREENINFO.smem_start,
 *    or the ramfb config) on stdout (the serial console):
 *    @@ZC-FB addr=0x.. len=N stride=N size=WxH bpp=N id=..@@
 * 2. Draws the deterministic pattern zc_pattern(x, y) (see zc_e2e.py: pattern_rgb) with write()s
 *    of 16 whole rows each – never exactly one scanline (6.1's drm fbdev deferred I/O drops
 *    such a write's damage) – and prints  @@ZC-PATTERN crc=0x........@@  (CRC-32 of the visible
 *    pixels read back from the device, rows of width*4 bytes, as zlib.crc32).
 * 3. Waits for a line on stdin. "rect" draws a small rectangle (RECT_*), prints
 *    @@ZC-RECT crc=0x........@@ and waits again; "quit" (or EOF) exits.
 * Pixel format: XRGB8888 (memory order B, G, R, X); other formats are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

enum { RECT_X = 200, RECT_Y = 300, RECT_W = 64, RECT_H = 48, BLOCK_ROWS = 16 };

/* The pattern: 64x64 blocks of distinct blue/red, green = row number. Keep in sync with
 * pattern_rgb() in zc_e2e.py. */
static void zc_pattern(unsigned x, unsigned y, uint8_t *r, uint8_t *g, uint8_t *b)
{
	const unsigned bx = x / 64, by = y / 64;

	*b = (uint8_t)(bx * 16 + 8);
	*g = (uint8_t)(y & 0xff);
	*r = (uint8_t)(by * 20 + bx * 3 + 40);
}

static const uint8_t rect_bgrx[4] = { 0xff, 0x00, 0xff, 0x00 }; /* magenta */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void die(const char *what)
{
	printf("@@ZC-ERROR %s: %s@@\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

/* The ramfb route maps the framebuffer; the fbdev route writes through the device. */
static uint8_t *fb_map;

static void pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
	const uint8_t *p = buf;

	if (fb_map) {
		memcpy(fb_map + off, buf, n);
		return;
	}
	while (n) {
		ssize_t w = pwrite(fd, p, n, off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p += w;
		n -= (size_t)w;
		off += w;
	}
}

static uint32_t visible_crc(int fd, unsigned w, unsigned h, unsigned stride)
{
	uint8_t *row = malloc(stride);
	uint32_t crc = 0;

	if (!row)
		die("malloc");
	for (unsigned y = 0; y < h; y++) {
		if (fb_map)
			memcpy(row, fb_map + (size_t)y * stride, stride);
		else if (pread(fd, row, stride, (off_t)y * stride) != (ssize_t)stride)
			die("read");
		crc = crc_update(crc, row, (size_t)w * 4);
	}
	free(row);
	return crc;
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* struct RAMFBCfg (QEMU hw/display/ramfb.c), all big-endian: u64 addr, u32 fourcc, flags,
 * width, height, stride. Fills fix/var like an fbdev would and maps the block. */
static int open_ramfb(struct fb_fix_screeninfo *fix, struct fb_var_screeninfo *var)
{
	const char *cfg_path = "/sys/firmware/qemu_fw_cfg/by_name/etc/ramfb/raw";
	uint8_t cfg[28];
	int cfg_fd = open(cfg_path, O_RDONLY);

	if (cfg_fd < 0)
		die(cfg_path);
	if (read(cfg_fd, cfg, sizeof cfg) != (ssize_t)sizeof cfg)
		die("reading etc/ramfb");
	close(cfg_fd);
	const uint64_t addr = be(cfg, 8);
	const uint32_t fourcc = (uint32_t)be(cfg + 8, 4);

	memset(fix, 0, sizeof *fix);
	memset(var, 0, sizeof *var);
	snprintf(fix->id, sizeof fix->id, "ramfb");
	fix->smem_start = (unsigned long)addr;
	var->xres = (uint32_t)be(cfg + 16, 4);
	var->yres = (uint32_t)be(cfg + 20, 4);
	fix->line_length = (uint32_t)be(cfg + 24, 4);
	fix->smem_len = fix->line_length * var->yres;
	if (fourcc == ('X' | 'R' << 8 | '2' << 16 | '4' << 24)) {
		var->bits_per_pixel = 32;
		var->red.offset = 16;
		var->green.offset = 8;
	}
	if (!addr || !fix->smem_len) {
		printf("@@ZC-ERROR ramfb is not configured (addr 0x%llx, %ux%u)@@\n",
		       (unsigned long long)addr, var->xres, var->yres);
		exit(1);
	}
	int fd = open("/dev/mem", O_RDWR | O_SYNC);

	if (fd < 0)
		die("/dev/mem");
	fb_map = mmap(NULL, fix->smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)addr);
	if (fb_map == MAP_FAILED)
		die("mmap /dev/mem");
	return fd;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/fb0";
	struct fb_fix_screeninfo fix;
	struct fb_var_screeninfo var;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	crc_init();
	if (strcmp(dev, "ramfb") == 0) {
		fd = open_ramfb(&fix, &var);
	} else {
		fd = open(dev, O_RDWR);
		if (fd < 0)
			die(dev);
		if (ioctl(fd, FBIOGET_FSCREENINFO, &fix) < 0 ||
		    ioctl(fd, FBIOGET_VSCREENINFO, &var) < 0)
			die("FBIOGET_*SCREENINFO");
	}
	const unsigned w = var.xres, h = var.yres, stride = fix.line_length;

	printf("@@ZC-FB addr=0x%lx len=%u stride=%u size=%ux%u bpp=%u id=%.16s@@\n",
	       (unsigned long)fix.smem_start, fix.smem_len, stride, w, h, var.bits_per_pixel,
	       fix.id);
	if (var.bits_per_pixel != 32 || var.red.offset != 16 || var.green.offset != 8 ||
	    var.blue.offset != 0 || stride < w * 4) {
		printf("@@ZC-ERROR not XRGB8888 (bpp %u, red at %u)@@\n", var.bits_per_pixel,
		       var.red.offset);
		return 1;
	}

	uint8_t *block = calloc(BLOCK_ROWS, stride);

	if (!block)
		die("calloc");
	for (unsigned y0 = 0; y0 < h; y0 += BLOCK_ROWS) {
		const unsigned rows = h - y0 < BLOCK_ROWS ? h - y0 : BLOCK_ROWS;

		for (unsigned dy = 0; dy < rows; dy++) {
			uint8_t *p = block + (size_t)dy * stride;

			for (unsigned x = 0; x < w; x++, p += 4) {
				zc_pattern(x, y0 + dy, &p[2], &p[1], &p[0]);
				p[3] = 0;
			}
		}
		pwrite_all(fd, block, (size_t)rows * stride, (off_t)y0 * stride);
	}
	if (!fb_map)
		fsync(fd);
	printf("@@ZC-PATTERN crc=0x%08x@@\n", visible_crc(fd, w, h, stride));

	char line[64];

	while (fgets(line, sizeof line, stdin)) {
		if (strncmp(line, "quit", 4) == 0)
			break;
		if (strncmp(line, "rect", 4) != 0)
			continue;
		/* Whole rectangle in one write per row: RECT_W pixels, less than a scanline. */
		uint8_t row[RECT_W * 4];

		for (unsigned i = 0; i < RECT_W; i++)
			memcpy(row + i * 4, rect_bgrx, 4);
		for (unsigned y = RECT_Y; y < RECT_Y + RECT_H; y++)
			pwrite_all(fd, row, sizeof row, (off_t)y * stride + RECT_X * 4);
		if (!fb_map)
			fsync(fd);
		printf("@@ZC-RECT crc=0x%08x@@\n", visible_crc(fd, w, h, stride));
	}
	close(fd);
	return 0;
}
