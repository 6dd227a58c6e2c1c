/* SPDX-License-Identifier: MIT */
/* The udmabuf UAPI for the VM test programs: the system's <linux/udmabuf.h> when it has one,
 * else the same layout and numbers as the kernel's include/uapi/linux/udmabuf.h.
 */
#ifndef UDMAVIEW_TESTS_UDMABUF_UAPI_H
#define UDMAVIEW_TESTS_UDMABUF_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#if defined(__has_include)
#if __has_include(<linux/udmabuf.h>)
#include <linux/udmabuf.h>
#endif
#endif

#ifndef UDMABUF_CREATE
#define UDMABUF_FLAGS_CLOEXEC 0x01
struct udmabuf_create {
	__u32 memfd;
	__u32 flags;
	__u64 offset;
	__u64 size;
};
struct udmabuf_create_item {
	__u32 memfd;
	__u32 __pad;
	__u64 offset;
	__u64 size;
};
struct udmabuf_create_list {
	__u32 flags;
	__u32 count;
	struct udmabuf_create_item list[];
};
#define UDMABUF_CREATE _IOW('u', 0x42, struct udmabuf_create)
#define UDMABUF_CREATE_LIST _IOW('u', 0x43, struct udmabuf_create_list)
#endif

#endif
