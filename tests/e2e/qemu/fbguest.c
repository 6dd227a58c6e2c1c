// SPDX-License-Identifier: MIT
// Guest 2 of the QEMU e2e tests: runs as the workload of a tiny Linux guest (static, from an
// initramfs). Draws a deterministic pattern on /dev/fb0, then reports and acts on what
// arrives, printing markers on the serial console (stdout):
//   @@FB w h stride bpp@@      the framebuffer found (32 bpp XRGB8888 or 16 bpp RGB565:
//                              colours are 24-bit, cut to 5-6-5 bits at 16 bpp)
//   @@PATTERN@@                pattern complete
//   @@KEY 0xNN@@               a byte read from the VT keyboard (/dev/tty1, raw)
//   @@MOUSE b dx dy@@          a PS/2 packet from /dev/input/mice
//   @@RECT n@@                 after the key 'r': a 64x32 rectangle at (100, 96) was filled
//                              with colour n (deterministic)
// Modes (argv[1]): "interactive" (above), "small" (a 64x64 rectangle changes 60 times a
// second), "full" / "full30" (the whole screen changes 10 / 30 times a second), "scroll" (the
// kernel's text console on the framebuffer scrolls 30 lines a second) – for measurements.
#include <fcntl.h>
#include <linux/fb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static uint8_t* fb;
static struct fb_var_screeninfo var;
static struct fb_fix_screeninfo fix;

static uint32_t pattern(uint32_t x, uint32_t y) {
    uint32_t r = x * 255 / var.xres, g = y * 255 / var.yres, b = (x ^ y) & 0xff;
    return r << 16 | g << 8 | b;
}

// RGB565 keeps the top 5/6/5 bits of each 8-bit channel.
static uint16_t rgb565(uint32_t c) {
    return (uint16_t)((c >> 8 & 0xf800) | (c >> 5 & 0x07e0) | (c >> 3 & 0x001f));
}

// Fills a rectangle with a colour or the pattern through the mapping (vesafb maps the VGA
// card's memory itself, so QEMU sees the writes as dirty VRAM).
static void fill(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t colour,
                 int use_pattern) {
    for (uint32_t y = y0; y < y0 + h && y < var.yres; ++y) {
        uint8_t* line = fb + (size_t)y * fix.line_length;
        for (uint32_t x = x0; x < x0 + w && x < var.xres; ++x) {
            const uint32_t c = use_pattern ? pattern(x, y) : colour;
            if (var.bits_per_pixel == 16)
                ((uint16_t*)line)[x] = rgb565(c);
            else
                ((uint32_t*)line)[x] = c;
        }
    }
    msync(fb, (size_t)fix.line_length * var.yres, MS_SYNC);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t) {
    struct timespec ts = {(time_t)(t / 1000000000u), (long)(t % 1000000000u)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

// The init script unbinds the text console so that it does not draw over the pattern: bind it
// again and write numbered lines to it, so the kernel scrolls the whole screen for each line.
static int scroll_console(void) {
    int bind = open("/sys/class/vtconsole/vtcon1/bind", O_WRONLY);
    if (bind < 0 || write(bind, "1", 1) != 1) {
        printf("@@ERROR cannot bind the text console@@\n");
        return 1;
    }
    close(bind);
    int tty = open("/dev/tty1", O_WRONLY | O_NOCTTY);
    if (tty < 0) {
        printf("@@ERROR no /dev/tty1@@\n");
        return 1;
    }
    uint64_t t = now_ns();
    for (uint32_t n = 1;; ++n) {
        char line[128];
        const int len = snprintf(line, sizeof line,
                                 "line %u: the quick brown fox jumps over the lazy dog %08x\n", n,
                                 n * 0x3f1d27u);
        if (write(tty, line, (size_t)len) != len)
            return 1;
        if (n % 60 == 0)
            printf("@@TICK %u@@\n", n);
        t += 33333333u;
        sleep_until(t);
    }
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "interactive";
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = open("/dev/fb0", O_RDWR);
    if (fd < 0 || ioctl(fd, FBIOGET_VSCREENINFO, &var) < 0 ||
        ioctl(fd, FBIOGET_FSCREENINFO, &fix) < 0) {
        printf("@@ERROR no /dev/fb0@@\n");
        return 1;
    }
    printf("@@FB %u %u %u %u@@\n", var.xres, var.yres, fix.line_length, var.bits_per_pixel);
    if (var.bits_per_pixel != 32 && var.bits_per_pixel != 16) {
        printf("@@ERROR need 32 or 16 bpp, got %u@@\n", var.bits_per_pixel);
        return 1;
    }
    fb = mmap(NULL, (size_t)fix.line_length * var.yres, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (fb == MAP_FAILED) {
        printf("@@ERROR mmap@@\n");
        return 1;
    }
    fill(0, 0, var.xres, var.yres, 0, 1);
    printf("@@PATTERN@@\n");

    if (strcmp(mode, "scroll") == 0)
        return scroll_console();
    if (strcmp(mode, "small") == 0 || strncmp(mode, "full", 4) == 0) {
        const int full = strncmp(mode, "full", 4) == 0;
        const uint64_t period = !full                         ? 16666667u
                                : strcmp(mode, "full30") == 0 ? 33333333u
                                                              : 100000000u;
        uint64_t t = now_ns();
        for (uint32_t n = 1;; ++n) {
            const uint32_t colour = (n * 0x3f1d27u) & 0xffffff;
            if (full)
                fill(0, 0, var.xres, var.yres, colour, 0);
            else
                fill(200, 200, 64, 64, colour, 0);
            if (n % 60 == 0)
                printf("@@TICK %u@@\n", n);
            t += period;
            sleep_until(t);
        }
    }

    int tty = open("/dev/tty1", O_RDONLY | O_NOCTTY);
    struct termios raw;
    if (tty >= 0 && tcgetattr(tty, &raw) == 0) {
        cfmakeraw(&raw);
        tcsetattr(tty, TCSANOW, &raw);
    }
    int mice = open("/dev/input/mice", O_RDONLY);
    printf("@@READY tty=%d mice=%d@@\n", tty >= 0, mice >= 0);
    uint32_t rects = 0;
    for (;;) {
        struct pollfd p[2] = {{tty, POLLIN, 0}, {mice, POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            continue;
        if (p[0].revents & POLLIN) {
            unsigned char c;
            if (read(tty, &c, 1) == 1) {
                printf("@@KEY 0x%02x@@\n", c);
                if (c == 'r') {
                    ++rects;
                    fill(100, 96, 64, 32, (rects * 0x5a3c91u) & 0xffffff, 0);
                    printf("@@RECT %u@@\n", rects);
                }
            }
        }
        if (p[1].revents & POLLIN) {
            signed char m[3];
            if (read(mice, m, 3) == 3)
                printf("@@MOUSE %d %d %d@@\n", m[0] & 7, m[1], m[2]);
        }
    }
}
