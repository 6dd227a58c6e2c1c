// SPDX-License-Identifier: MIT
// --sdl-path auto's rule: Mesa's CPU rasterizers take the software view, every other GL
// renderer the gl view; the line it prints names the choice and the reason.
#include <gtest/gtest.h>

#include "outputs/sdl/sdl_path.h"
#include "outputs/sdl/software_view.h"
#include "udmaview/format.h"

using namespace udmaview;

TEST(SdlPath, SoftwareRasterizersAreRecognisedAndHardwareIsNot) {
    for (const char* r : {"llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe", "Mesa swrast",
                          "LLVMPIPE (LLVM 19.1.7, 128 bits)"})
        EXPECT_TRUE(is_software_rasterizer(r)) << r;
    for (const char* r : {"Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
                          "AMD Radeon RX 6600 (radeonsi)", "virgl (Intel)", "NVIDIA GeForce", ""})
        EXPECT_FALSE(is_software_rasterizer(r)) << r;
}

TEST(SdlPath, TheAutoLineSaysWhichAndWhy) {
    const std::string sw = sdl_auto_line(true, "llvmpipe (LLVM 15)", "");
    EXPECT_NE(sw.find("chose software"), std::string::npos) << sw;
    EXPECT_NE(sw.find("llvmpipe (LLVM 15)"), std::string::npos) << sw;
    const std::string none = sdl_auto_line(true, "", "sdl: cannot create an OpenGL ES window");
    EXPECT_NE(none.find("chose software"), std::string::npos) << none;
    EXPECT_NE(none.find("cannot create an OpenGL ES window"), std::string::npos) << none;
    const std::string gl = sdl_auto_line(false, "AMD Radeon", "");
    EXPECT_NE(gl.find("chose gl"), std::string::npos) << gl;
    EXPECT_NE(gl.find("AMD Radeon"), std::string::npos) << gl;
}

TEST(SdlPath, WindowSurfaceFormatsMapToTheDrmFormatWithTheSameBytes) {
    EXPECT_EQ(sdl_surface_fourcc(SDL_PIXELFORMAT_RGB888), make_fourcc('X', 'R', '2', '4'));
    EXPECT_EQ(sdl_surface_fourcc(SDL_PIXELFORMAT_ARGB8888), make_fourcc('A', 'R', '2', '4'));
    EXPECT_EQ(sdl_surface_fourcc(SDL_PIXELFORMAT_RGB565), make_fourcc('R', 'G', '1', '6'));
    // SDL's RGB24 is the bytes R, G, B; DRM's BGR888 is the little-endian word B:G:R.
    EXPECT_EQ(sdl_surface_fourcc(SDL_PIXELFORMAT_RGB24), make_fourcc('B', 'G', '2', '4'));
    EXPECT_EQ(sdl_surface_fourcc(SDL_PIXELFORMAT_INDEX8), 0u);
}
