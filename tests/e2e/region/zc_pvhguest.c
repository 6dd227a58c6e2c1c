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

static uint32_t visible_crc(void)
{
	uint32_t crc = 0;

	for (uint32_t y = 0; y < fb_h; y++)
		crc = crc_update(crc, fb + y * fb_stride, fb_w * 4);
	return crc;
}

static void fail(const char *what)
{
	puts_("@@ZC-ERROR ");
	puts_(what);
	puts_("@@\n");
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
	if (!ramfb_sel) {
		fail("no fw_cfg file etc/ramfb (-device ramfb missing?)");
		power_off();
		return;
	}
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
	puts_("@@ZC-FB addr=0x");
	put_hex(addr, 8);
	puts_(" len=");
	put_dec(fb_stride * fb_h);
	puts_(" stride=");
	put_dec(fb_stride);
	puts_(" size=");
	put_dec(fb_w);
	puts_("x");
	put_dec(fb_h);
	puts_(" bpp=32 id=ramfb-pvh@@\n");

	for (uint32_t y = 0; y < fb_h; y++) {
		uint8_t *p = fb + y * fb_stride;

		for (uint32_t x = 0; x < fb_w; x++, p += 4) {
			const uint32_t bx = x / 64, by = y / 64;

			p[0] = (uint8_t)(bx * 16 + 8);
			p[1] = (uint8_t)(y & 0xff);
			p[2] = (uint8_t)(by * 20 + bx * 3 + 40);
			p[3] = 0;
		}
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
			uint8_t *p = fb + y * fb_stride + RECT_X * 4;

			for (uint32_t x = 0; x < RECT_W; x++, p += 4) {
				p[0] = 0xff;
				p[1] = 0x00;
				p[2] = 0xff;
				p[3] = 0;
			}
		}
		puts_("@@ZC-RECT crc=0x");
		put_hex(visible_crc(), 8);
		puts_("@@\n");
	}
	puts_("@@ZC-END 0@@\n");
	power_off();
}
