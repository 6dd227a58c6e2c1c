// SPDX-License-Identifier: MIT
#include "udmaview/png.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <png.h>

namespace udmaview {

namespace {

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

} // namespace

RgbaImage to_rgba(const Layout& layout, const uint8_t* bytes) {
    RgbaImage image{layout.width, layout.height, {}};
    image.pixels.resize(size_t(layout.width) * layout.height * 4);
    const unsigned bpp = layout.format->bytes_per_pixel;
    for (uint32_t y = 0; y < layout.height; ++y) {
        const uint32_t src_y = layout.y0_top ? y : layout.height - 1 - y;
        const uint8_t* row = bytes + layout.offset + size_t(src_y) * layout.stride;
        uint8_t* out = &image.pixels[size_t(y) * layout.width * 4];
        for (uint32_t x = 0; x < layout.width; ++x)
            layout.format->to_rgba8(row + size_t(x) * bpp, out + size_t(x) * 4);
    }
    return image;
}

Status write_png(const std::string& path, const RgbaImage& image) {
    if (image.width == 0 || image.height == 0 ||
        image.pixels.size() != size_t(image.width) * image.height * 4)
        return Error{"png: refusing to write an empty or inconsistent image to " + path, EINVAL};
    File file(std::fopen(path.c_str(), "wb"));
    if (!file)
        return Error::from_errno(errno, "png: cannot create '" + path + "'");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return Error{"png: out of memory", ENOMEM};
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return Error{"png: writing '" + path + "' failed (disk full?)", EIO};
    }
    png_init_io(png, file.get());
    png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (uint32_t y = 0; y < image.height; ++y)
        png_write_row(png, &image.pixels[size_t(y) * image.width * 4]);
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    if (std::fflush(file.get()) != 0)
        return Error::from_errno(errno, "png: writing '" + path + "' failed");
    return {};
}

Result<RgbaImage> read_png(const std::string& path) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path.c_str()))
        return Error{"png: cannot read '" + path + "': " + img.message, EINVAL};
    img.format = PNG_FORMAT_RGBA;
    RgbaImage image{img.width, img.height, {}};
    image.pixels.resize(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, nullptr, image.pixels.data(), 0, nullptr)) {
        png_image_free(&img);
        return Error{"png: decoding '" + path + "' failed: " + img.message, EINVAL};
    }
    return image;
}

} // namespace udmaview
