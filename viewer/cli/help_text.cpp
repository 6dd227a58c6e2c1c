// SPDX-License-Identifier: MIT
// The --help text; tools/readme-help copies it into the README and the unit test docs checks it.
#include "cli/options.h"

namespace udmaview {

std::string help_text() {
    return R"(Usage: udmaview [OPTIONS]
Shows a virtual machine's framebuffer without copying pixels: guest memory (a memfd) becomes
a dma-buf through /dev/udmabuf and is imported by the output; only damage is redrawn.

Source and output:
  --source SRC        where frames come from (default demo):
                        demo                 built-in animated test picture (own memfd)
                        region:SPEC          a framebuffer inside a memfd/shm file
                        qemu[:ADDRESS]       QEMU -display dbus on the session bus or ADDRESS
                        qemu-p2p:QMP_SOCKET  QEMU -display dbus,p2p=yes via its QMP socket
                        libvirt:DOMAIN       a libvirt domain (name or UUID) with
                                             <graphics type='dbus'>; only in builds with
                                             libvirt (meson -Dlibvirt, libvirt-dev)
                      repeat it to show up to 16 sources in tiles (sdl, kms gl/cpu):
                      the demo and QEMU options after a --source apply to that source
                      alone, those before the first --source to every source; --frames N
                      counts N frames of each. Keys and mouse go to the framed tile:
                      Ctrl+Alt+Left/Right moves the focus, Ctrl+Alt+L shows the focused
                      source alone or the grid; a source that ends shows "ended" and the
                      run ends when all have
  --output OUT        where frames go (default headless): headless, kms, sdl, wayland
                      (meson -Dwayland, libwayland-dev)
  --frames N          stop after N source frames (default: run until stopped)
  --duration SECONDS  stop after this long
  --timing FILE       write per-frame timing to FILE (.json or .csv); a summary is always
                      printed when the run ends
  --verbose           log every frame

Demo source:
  --size WxH          picture size (default 1024x768, each 1..16384)
  --format FMT        pixel format: XRGB8888 (XR24, default), ARGB8888 (AR24), XBGR8888 (XB24),
                      ABGR8888 (AB24), RGBX8888 (RX24), BGRX8888 (BX24), RGB888 (RG24),
                      BGR888 (BG24), RGB565 (RG16)
  --fps N             frames per second (default 60; 0 = as fast as possible)
  --pattern LIST      rects, console, flip or all, comma separated (default all)
  --seed N            seed of the picture (default 1); same seed, same pixels
  --no-udmabuf        do not make dma-bufs; outputs map the memfd (the fallback path)

QEMU source:
  --console N         which QEMU console to show (default 0)
  --reconnect         when QEMU goes away, wait for it to come back instead of exiting
                      (libvirt: wait for a shut-off domain, follow its restarts)
  --guest-size follow|keep
                      follow (default): tell QEMU the size the output shows the console
                      at 1:1 (the kms mode, the sdl window or tile, the wayland window;
                      Console.SetUIInfo) so
                      the guest can switch to it (virtio-vga, virtio-gpu-pci and their -gl
                      variants do; std VGA, cirrus, bochs-display, ramfb, qxl ignore it);
                      keep: never ask (libvirt too)

libvirt source:
  --connect URI       libvirt connection (default: $LIBVIRT_DEFAULT_URI, else
                      qemu:///system, as virsh); --console N picks the QEMU console

Outputs:
  --dump-png FILE     headless: write the last frame as PNG when the run ends
  --render cpu|gl|pixman
                      headless: cpu (default) maps each buffer and reads pixels only for
                      --dump-png; gl draws every frame with the GLES renderer into an
                      offscreen framebuffer on the EGL device platform (a GPU's device,
                      else Mesa 25's software device, which imports the buffer zero copy:
                      path gl-import), with --scale and --filter; the dump is that
                      picture (without the pointer); pixman draws each frame's damage with
                      the CPU renderer into memory, as the SDL software view does (path
                      pixman), with --scale, --filter and the pointer
  --render-size WxH   headless --render gl|pixman: the picture's size (default: the
                      buffer's)
  --device PATH       kms: DRM device (default: first card with a connected connector)
  --connector NAME    kms: connector name (e.g. Virtual-1) or id
  --mode WxH[@R]      kms: display mode (default: a mode of the source's size when the
                      connector has one, else the connector's preferred mode; a qemu or
                      libvirt source with --guest-size follow: the preferred mode, asked
                      of the guest, and a mode of its size once it keeps its own)
  --list              kms: list cards, connectors, modes and planes, then exit
  --kms-path PATH     kms: how frames reach the screen: auto (default: the plane scans out
                      the guest's buffer where it can place it as asked, else GL composition
                      on a hardware GL renderer, else cpu; one line says why), plane (else
                      cpu), gl, or cpu (pixman draws the changed pixels, scaled, into dumb
                      buffers; copy is another name for it)
  --take-over         kms: use a VT that a program which died left in graphics mode (reset it)
  --scale MODE        kms, sdl, wayland, headless --render gl|pixman: fit (default), integer
                      or none
  --filter F          kms (gl and cpu paths), sdl, headless --render gl|pixman: nearest
                      or linear (default)
  --vsync on|off      sdl (gl view): wait for vertical blank when swapping (default on)
  --sdl-path auto|gl|software
                      sdl: how the window is drawn. gl: GLES on EGL redraws the window
                      each frame. software: no GL; pixman draws only the changed pixels
                      into SDL's window surface and only those rectangles go on screen
                      (XShmPutImage on X11); no vertical blank wait. Both show tiles,
                      --hud, the guest pointer, nearest and linear. auto (default):
                      software when GL's renderer is a CPU rasterizer (llvmpipe,
                      softpipe, swrast) or GL cannot start, else gl; one line says which
  --fullscreen        sdl, wayland: start full screen (F11 or Ctrl+Alt+F toggles)
  --wayland-display NAME
                      wayland: the compositor's socket (default: $WAYLAND_DISPLAY). The
                      window hands the guest's buffer to the compositor: its dma-buf by
                      zwp_linux_dmabuf_v1 where the compositor lists the format with a
                      linear modifier (path wl-dmabuf), else its memfd as a wl_shm buffer
                      (wl-shm); one line says which and why. Scaled by wp_viewporter (the
                      compositor's filter; --filter does not apply): udmaview copies and
                      draws nothing, and presentation times come from wp_presentation.
                      Buffers that can go neither way (no listed dma-buf and not one
                      memfd, or a format both lack) are converted, only what changed,
                      into XRGB8888 wl_shm buffers (one line says why; path
                      wl-shm-convert, the bytes counted)
  --hud               sdl, kms (gl and cpu paths): overlay fps, latency and copy counters
                      with a latency graph (Ctrl+Alt+H toggles)

  -h, --help          show this text
  --version           show the version

Exit status: 0 done (frame limit, duration, signal or quit), 1 runtime error, 2 bad usage.
)";
}

} // namespace udmaview
