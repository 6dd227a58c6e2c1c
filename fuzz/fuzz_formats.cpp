// SPDX-License-Identifier: MIT
// libFuzzer: the format tables: a DRM fourcc and a pixman code from the input, looked up and
// described; a found format must have a name and 1..4 bytes per pixel.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "sources/qemu/pixman_format.h"
#include "udmaview/format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    uint32_t codes[2] = {0, 0};
    std::memcpy(codes, data, size < sizeof codes ? size : sizeof codes);
    for (const udmaview::Format* f :
         {udmaview::find_format(codes[0]), udmaview::qemu::format_from_pixman(codes[1])})
        if (f && (f->name.empty() || f->bytes_per_pixel < 1 || f->bytes_per_pixel > 4))
            std::abort();
    (void)udmaview::qemu::describe_pixman(codes[1]);
    return 0;
}
