// SPDX-License-Identifier: MIT
/*
 * zc_pvhguest: a bare-metal guest for the NESTED zero-copy tests (tests/vm/zerocopy).
 *
 * Why: inside the test-bed VM, QEMU runs under TCG inside TCG. Booting even the PVH vmlinux
 * of Debian's kernel there took > 250 s to reach early boot on our loaded 2-core host (see
 * docs/zero-copy.md), more than a test's 4-minute budget. This guest is a few KiB: QEMU's PVH
 * loader (-kernel with an ELF carrying XEN_ELFNOTE_PHYS32_ENTRY) jumps to _start in 32-bit
 * protected mode, paging off, right after SeaBIOS.
 *
 * It does what zc_fbguest does under Linux, with the same console protocol and the same
 * picture: SeaBIOS's vgabios-ramfb has configured ramfb (1024x768 XRGB8888 in an e820-reserved
 * block at the top of low RAM); read that configuration back from fw_cfg file "etc/ramfb"
 * (I/O ports 0x510/0x511), print  @@ZC-FB addr=.. len=.. stride=.. size=WxH bpp=32 id=..@@,
 * draw zc_pattern(), print @@ZC-PATTERN crc=..@@, then serve lines from COM1: "rect" draws
 * the rectangle (@@ZC-RECT crc=..@@), "quit" prints @@ZC-END 0@@ and powers off.
 * With a virtio-gpu-pci (1af4:1050) and no ramfb, the picture goes into a virtio-gpu BLOB
 * resource instead (seed case b): the framebuffer is FB_CHUNKS pieces of guest RAM that are
 * deliberately not contiguous and not in order; RESOURCE_CREATE_BLOB (blob_mem GUEST) hands
 * QEMU that page list (QEMU makes it one dma-buf with UDMABUF_CREATE_LIST), SET_SCANOUT_BLOB
 * shows it, RESOURCE_FLUSH after each change (QEMU: UpdateDMABUF). Polled split virtqueue,
 * virtio 1.0 PCI transport, no interrupts.
 * Keep the pattern and rectangle in sync with zc_fbguest.c and zc_e2e.py.
 */
/* Freestanding, built with -nostdinc (no libc or multilib headers needed): own types. */
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uintptr_t;
_Static_assert(sizeof(uint32_t) == 4 && sizeof(uintptr_t) == sizeof(void *), "32-bit types");

#define COM1 0x3f8
#define FW_CFG_SEL 0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_FILE_DIR 0x19

enum { RECT_X = 200, RECT_Y = 300, RECT_W = 64, RECT_H = 48 };

void zc_main(void);

/* PVH entry: 32-bit flat protected mode, no stack. */
__asm__(".section .text.entry, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"  cli\n"
	"  movl $stack_top, %esp\n"
	"  call zc_main\n"
	"1: hlt\n"
	"  jmp 1b\n"
	".section .bss\n"
	".balign 16\n"
	"  .skip 65536\n"
	"stack_top:\n"
	".previous\n");

/* The ELF note QEMU's PVH loader looks for: name "Xen", type 18 (PHYS32_ENTRY). */
__asm__(".section .note.Xen, \"a\", @note\n"
	".balign 4\n"
	".long 4, 4, 18\n"
	".asciz \"Xen\"\n"
	".long _start\n"
	".previous\n");

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO */
	outb(COM1 + 4, 0x03);
}

static void putc_(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_('\r');
		putc_(*s++);
	}
}

static void put_dec(uint32_t v)
{
	char buf[12];
	int i = 11;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(buf + i);
}

static void put_hex(uint32_t v, int digits)
{
	char buf[9];

	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 15];
	buf[digits] = 0;
	puts_(buf);
}

static int getline_(char *buf, int n)
{
	int len = 0;

	for (;;) {
		while (!(inb(COM1 + 5) & 0x01))
			;
		char c = (char)inb(COM1);

		if (c == '\r' || c == '\n') {
			if (len == 0)
				continue;
			buf[len] = 0;
			return len;
		}
		if (len < n - 1)
			buf[len++] = c;
	}
}

static uint32_t fw_be(int bytes)
{
	uint32_t v = 0;

	while (bytes--)
		v = v << 8 | inb(FW_CFG_DATA);
	return v;
}

static uint32_t crc_table[256];

static uint32_t crc_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint8_t *fb;
static uint32_t fb_w, fb_h, fb_stride;

/* virtio-gpu blob mode: rows live in FB_CHUNKS scattered chunks of CHUNK_ROWS rows each. */
enum { FB_CHUNKS = 12, CHUNK_ROWS = 64, CHUNK_BASE = 0x01000000, CHUNK_SPACING = 0x00100000 };
static const uint8_t chunk_slot[FB_CHUNKS] = { 7, 2, 11, 4, 0, 9, 5, 1, 10, 3, 8, 6 };
static int blob_mode;

static uint8_t *row_ptr(uint32_t y)
{
	if (!blob_mode)
		return fb + y * fb_stride;
	return (uint8_t *)(uintptr_t)(CHUNK_BASE + chunk_slot[y / CHUNK_ROWS] * CHUNK_SPACING) +
	       (y % CHUNK_ROWS) * fb_stride;
}

static uint32_t visible_crc(void)
{
	uint32_t crc = 0;

	for (uint32_t y = 0; y < fb_h; y++)
		crc = crc_update(crc, row_ptr(y), fb_w * 4);
	return crc;
}

static void fail(const char *what)
{
	puts_("@@ZC-ERROR ");
	puts_(what);
	puts_("@@\n");
}

/* --- PCI + virtio 1.0 + virtio-gpu (polled) ------------------------------------------------ */
static uint32_t pci_read(uint32_t bdf, uint32_t off)
{
	outl(0xcf8, 0x80000000u | bdf << 8 | (off & 0xfc));
	return inl(0xcfc);
}

static void pci_write(uint32_t bdf, uint32_t off, uint32_t v)
{
	outl(0xcf8, 0x80000000u | bdf << 8 | (off & 0xfc));
	outl(0xcfc, v);
}

static uint32_t find_pci(uint32_t vendor_device)
{
	for (uint32_t bdf = 0; bdf < 256 * 8; bdf++) /* bus 0 (q35 root bus) */
		if (pci_read(bdf, 0) == vendor_device)
			return bdf | 0x10000;
	return 0;
}

struct virtq_desc {
	uint32_t addr_lo, addr_hi, len;
	uint16_t flags, next;
};

enum { QSZ = 256 };
static struct virtq_desc vq_desc[QSZ] __attribute__((aligned(4096)));
static volatile uint16_t vq_avail[3 + QSZ] __attribute__((aligned(4096)));
static volatile uint32_t vq_used[1 + 2 * QSZ + 1] __attribute__((aligned(4096)));
static volatile uint8_t *vio_common;
static volatile uint16_t *vio_notify;
static uint16_t vq_size, vq_next_avail, vq_last_used;
static uint32_t cmd_buf[512] __attribute__((aligned(64)));
static uint32_t resp_buf[64] __attribute__((aligned(64)));

#define COMMON32(off) (*(volatile uint32_t *)(vio_common + (off)))
#define COMMON16(off) (*(volatile uint16_t *)(vio_common + (off)))
#define COMMON8(off) (*(volatile uint8_t *)(vio_common + (off)))

static uint32_t bar_address(uint32_t bdf, uint32_t bar)
{
	const uint32_t lo = pci_read(bdf, 0x10 + 4 * bar);

	if ((lo & 6) == 4 && pci_read(bdf, 0x14 + 4 * bar)) {
		fail("virtio-gpu BAR above 4 GiB (this guest runs without paging)");
		return 0;
	}
	return lo & ~0xfu;
}

static int virtio_init(uint32_t bdf)
{
	uint32_t common_bar = 0, common_off = 0, notify_bar = 0, notify_off = 0, notify_mult = 0;

	pci_write(bdf, 0x04, pci_read(bdf, 0x04) | 0x6); /* memory space + bus master */
	for (uint32_t cap = pci_read(bdf, 0x34) & 0xfc; cap; cap = (pci_read(bdf, cap) >> 8) & 0xfc) {
		const uint32_t head = pci_read(bdf, cap);

		if ((head & 0xff) != 0x09) /* vendor specific: virtio */
			continue;
		const uint32_t type = (head >> 24) & 0xff, bar = pci_read(bdf, cap + 4) & 0xff;
		const uint32_t off = pci_read(bdf, cap + 8);

		if (type == 1) {
			common_bar = bar;
			common_off = off;
		} else if (type == 2) {
			notify_bar = bar;
			notify_off = off;
			notify_mult = pci_read(bdf, cap + 16);
		}
	}
	const uint32_t cbase = bar_address(bdf, common_bar), nbase = bar_address(bdf, notify_bar);

	if (!cbase || !nbase)
		return -1;
	vio_common = (volatile uint8_t *)(uintptr_t)(cbase + common_off);
	COMMON8(20) = 0;     /* reset */
	while (COMMON8(20))
		;
	COMMON8(20) = 1 | 2; /* ACKNOWLEDGE | DRIVER */
	COMMON32(0) = 0;
	const uint32_t f_lo = COMMON32(4);

	COMMON32(0) = 1;
	const uint32_t f_hi = COMMON32(4);

	if (!(f_hi & 1) || !(f_lo & (1u << 3))) {
		fail("virtio-gpu offers no VIRTIO_F_VERSION_1 or no RESOURCE_BLOB (blob=true?)");
		return -1;
	}
	COMMON32(8) = 0;
	COMMON32(12) = 1u << 3; /* VIRTIO_GPU_F_RESOURCE_BLOB */
	COMMON32(8) = 1;
	COMMON32(12) = 1;       /* VIRTIO_F_VERSION_1 */
	COMMON8(20) = 1 | 2 | 8;
	if (!(COMMON8(20) & 8)) {
		fail("virtio-gpu refused our features");
		return -1;
	}
	COMMON16(22) = 0; /* controlq */
	vq_size = COMMON16(24);
	if (vq_size > QSZ) {
		COMMON16(24) = QSZ;
		vq_size = QSZ;
	}
	COMMON16(26) = 0xffff; /* no MSI-X vector: we poll */
	COMMON32(32) = (uint32_t)(uintptr_t)vq_desc;
	COMMON32(36) = 0;
	COMMON32(40) = (uint32_t)(uintptr_t)vq_avail;
	COMMON32(44) = 0;
	COMMON32(48) = (uint32_t)(uintptr_t)vq_used;
	COMMON32(52) = 0;
	const uint32_t qoff = COMMON16(30);

	COMMON16(28) = 1; /* queue_enable */
	vio_notify = (volatile uint16_t *)(uintptr_t)(nbase + notify_off + qoff * notify_mult);
	COMMON8(20) = 1 | 2 | 8 | 4; /* DRIVER_OK */
	return 0;
}

/* One command: cmd_buf (len bytes) out, resp_buf in; waits for the used ring. */
static uint32_t gpu_cmd(uint32_t len)
{
	const uint16_t d = 0; /* one command at a time: descriptors 0 and 1 */

	vq_desc[d] = (struct virtq_desc){ (uint32_t)(uintptr_t)cmd_buf, 0, len, 1, (uint16_t)(d + 1) };
	vq_desc[d + 1] = (struct virtq_desc){ (uint32_t)(uintptr_t)resp_buf, 0, sizeof resp_buf, 2, 0 };
	resp_buf[0] = 0;
	vq_avail[2 + vq_next_avail % vq_size] = d;
	__asm__ volatile("" ::: "memory");
	vq_next_avail++;
	vq_avail[1] = vq_next_avail;
	__asm__ volatile("mfence" ::: "memory");
	*vio_notify = 0;
	while ((uint16_t)(vq_used[0] >> 16) == vq_last_used)
		__asm__ volatile("pause" ::: "memory");
	vq_last_used++;
	return resp_buf[0];
}

static void cmd_clear(uint32_t type, uint32_t words)
{
	for (uint32_t i = 0; i < words; i++)
		cmd_buf[i] = 0;
	cmd_buf[0] = type;
}

enum {
	CMD_RESOURCE_FLUSH = 0x0104,
	CMD_RESOURCE_CREATE_BLOB = 0x010c,
	CMD_SET_SCANOUT_BLOB = 0x010d,
	RESP_OK_NODATA = 0x1100,
	RESOURCE_ID = 1,
};

static int gpu_check(uint32_t resp, const char *what)
{
	if (resp == RESP_OK_NODATA)
		return 0;
	puts_("@@ZC-ERROR virtio-gpu ");
	puts_(what);
	puts_(" answered 0x");
	put_hex(resp, 4);
	puts_("@@\n");
	return -1;
}

static int gpu_flush(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	cmd_clear(CMD_RESOURCE_FLUSH, 12);
	cmd_buf[6] = x;
	cmd_buf[7] = y;
	cmd_buf[8] = w;
	cmd_buf[9] = h;
	cmd_buf[10] = RESOURCE_ID;
	return gpu_check(gpu_cmd(48), "RESOURCE_FLUSH");
}

/* The blob resource over the scattered chunks, shown on scanout 0. */
static int gpu_setup(void)
{
	const uint32_t chunk_bytes = CHUNK_ROWS * fb_stride;

	cmd_clear(CMD_RESOURCE_CREATE_BLOB, 14 + 4 * FB_CHUNKS);
	cmd_buf[6] = RESOURCE_ID;
	cmd_buf[7] = 1; /* VIRTIO_GPU_BLOB_MEM_GUEST */
	cmd_buf[8] = 0; /* blob_flags */
	cmd_buf[9] = FB_CHUNKS;
	cmd_buf[12] = chunk_bytes * FB_CHUNKS; /* size (le64) */
	for (uint32_t i = 0; i < FB_CHUNKS; i++) {
		cmd_buf[14 + 4 * i] = (uint32_t)(uintptr_t)row_ptr(i * CHUNK_ROWS);
		cmd_buf[16 + 4 * i] = chunk_bytes;
	}
	if (gpu_check(gpu_cmd(56 + 16 * FB_CHUNKS), "RESOURCE_CREATE_BLOB"))
		return -1;
	cmd_clear(CMD_SET_SCANOUT_BLOB, 24);
	cmd_buf[8] = fb_w; /* rect w, h */
	cmd_buf[9] = fb_h;
	cmd_buf[10] = 0; /* scanout 0 */
	cmd_buf[11] = RESOURCE_ID;
	cmd_buf[12] = fb_w;
	cmd_buf[13] = fb_h;
	cmd_buf[14] = 2; /* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM = DRM XRGB8888 */
	cmd_buf[16] = fb_stride;
	return gpu_check(gpu_cmd(96), "SET_SCANOUT_BLOB");
}

static void power_off(void)
{
	/* q35 (ICH9): SeaBIOS puts the ACPI PM block at 0x600; SLP_TYP 0 (S5) | SLP_EN. */
	outw(0x604, 0x2000);
	/* Fallback: a triple fault; QEMU runs with -no-reboot and exits. */
	static const uint16_t null_idt[3];

	__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
}

void zc_main(void)
{
	serial_init();
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
	puts_("\n@@ZC-INIT pvh@@\n");

	/* fw_cfg file directory: BE32 count, then {BE32 size, BE16 select, u16, char[56]}. */
	outw(FW_CFG_SEL, FW_CFG_FILE_DIR);
	uint32_t count = fw_be(4), ramfb_sel = 0;

	for (uint32_t i = 0; i < count; i++) {
		char name[56];

		fw_be(4);
		uint32_t sel = fw_be(2);

		fw_be(2);
		for (int k = 0; k < 56; k++)
			name[k] = (char)inb(FW_CFG_DATA);
		const char *want = "etc/ramfb";
		int k = 0;

		while (want[k] && name[k] == want[k])
			k++;
		if (!want[k] && !name[k])
			ramfb_sel = sel;
	}
	if (ramfb_sel) {
		/* struct RAMFBCfg, big-endian: u64 addr, u32 fourcc, flags, width, height, stride. */
		outw(FW_CFG_SEL, (uint16_t)ramfb_sel);
		const uint32_t addr_hi = fw_be(4), addr = fw_be(4), fourcc = fw_be(4);

		fw_be(4);
		fb_w = fw_be(4);
		fb_h = fw_be(4);
		fb_stride = fw_be(4);
		if (addr_hi || !addr || fourcc != 0x34325258 /* XR24 */ || fb_stride < fb_w * 4) {
			fail("ramfb is not configured as XRGB8888 below 4 GiB (SeaBIOS vgabios-ramfb?)");
			power_off();
			return;
		}
		fb = (uint8_t *)(uintptr_t)addr;
	} else {
		const uint32_t bdf = find_pci(0x10501af4); /* virtio-gpu, modern */

		if (!bdf) {
			fail("neither -device ramfb nor virtio-gpu-pci found");
			power_off();
			return;
		}
		blob_mode = 1;
		fb_w = 1024;
		fb_h = FB_CHUNKS * CHUNK_ROWS;
		fb_stride = fb_w * 4;
		if (virtio_init(bdf & 0xffff)) {
			power_off();
			return;
		}
	}
	puts_("@@ZC-FB addr=0x");
	put_hex((uint32_t)(uintptr_t)row_ptr(0), 8);
	puts_(" len=");
	put_dec(fb_stride * fb_h);
	puts_(" stride=");
	put_dec(fb_stride);
	puts_(" size=");
	put_dec(fb_w);
	puts_("x");
	put_dec(fb_h);
	puts_(blob_mode ? " bpp=32 id=virtio-gpu-blob@@\n" : " bpp=32 id=ramfb-pvh@@\n");
	if (blob_mode) {
		puts_("@@ZC-BLOB chunks=");
		put_dec(FB_CHUNKS);
		puts_(" rows_per_chunk=");
		put_dec(CHUNK_ROWS);
		puts_(" first=0x");
		put_hex((uint32_t)(uintptr_t)row_ptr(0), 8);
		puts_(" second=0x");
		put_hex((uint32_t)(uintptr_t)row_ptr(CHUNK_ROWS), 8);
		puts_("@@\n");
	}

	for (uint32_t y = 0; y < fb_h; y++) {
		uint8_t *p = row_ptr(y);

		for (uint32_t x = 0; x < fb_w; x++, p += 4) {
			const uint32_t bx = x / 64, by = y / 64;

			p[0] = (uint8_t)(bx * 16 + 8);
			p[1] = (uint8_t)(y & 0xff);
			p[2] = (uint8_t)(by * 20 + bx * 3 + 40);
			p[3] = 0;
		}
	}
	if (blob_mode && (gpu_setup() || gpu_flush(0, 0, fb_w, fb_h))) {
		power_off();
		return;
	}
	puts_("@@ZC-PATTERN crc=0x");
	put_hex(visible_crc(), 8);
	puts_("@@\n");

	char line[32];

	for (;;) {
		getline_(line, sizeof line);
		if (line[0] == 'q')
			break;
		if (!(line[0] == 'r' && line[1] == 'e' && line[2] == 'c' && line[3] == 't'))
			continue;
		for (uint32_t y = RECT_Y; y < RECT_Y + RECT_H; y++) {
			uint8_t *p = row_ptr(y) + RECT_X * 4;

			for (uint32_t x = 0; x < RECT_W; x++, p += 4) {
				p[0] = 0xff;
				p[1] = 0x00;
				p[2] = 0xff;
				p[3] = 0;
			}
		}
		if (blob_mode && gpu_flush(RECT_X, RECT_Y, RECT_W, RECT_H))
			break;
		puts_("@@ZC-RECT crc=0x");
		put_hex(visible_crc(), 8);
		puts_("@@\n");
	}
	puts_("@@ZC-END 0@@\n");
	power_off();
}
