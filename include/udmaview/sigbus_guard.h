// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace udmaview {

// Keeps the viewer alive when a file it has mapped is shrunk by its owner. Reading a page of
// a shared mapping past the end of its file raises SIGBUS; a file someone else owns (a region
// in QEMU's RAM memfd, a QEMU ScanoutMap memfd without F_SEAL_SHRINK) can be truncated at any
// time. Mapping::map guards every mapping of a regular file that is not sealed against
// shrinking; a process-wide SIGBUS handler that finds the faulting address inside a guarded
// range replaces the whole range with zero pages (as libwayland-server does for wl_shm pools),
// records the file and wakes notify_fd(). Outputs need no change: they read zeros instead of
// dying, and the presenter ends the source whose buffer is backed by that file. A SIGBUS
// outside every guarded range goes to the previous handler (normally: death, as before).
class SigbusGuard {
public:
    // True when fd is a regular file without F_SEAL_SHRINK (a file that may shrink).
    static bool may_shrink(int fd);
    // Guards [base, base + size) mapped from fd with prot. False when the table of guarded
    // ranges is full (the mapping is then unguarded; a line on stderr says so once).
    static bool guard(void* base, size_t size, int prot, int fd);
    // Forgets every guarded range inside [base, base + size); call before munmap.
    static void unguard(void* base, size_t size);

    // Readable after a guarded fault; never closed (one eventfd per process).
    static int notify_fd();
    // Guarded faults so far: compare with an earlier value to learn of a new one cheaply.
    static uint64_t faults();
    // Drains notify_fd().
    static void acknowledge();
    // The name of fd's file (its /proc/self/fd link at guard time) when a guarded mapping of
    // that file faulted after the first `since` faults; nullopt otherwise. Only recent faults
    // count: the inode number of a file closed long ago may be reused by a new one.
    static std::optional<std::string> faulted_file(int fd, uint64_t since = 0);
};

} // namespace udmaview
