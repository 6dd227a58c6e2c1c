// SPDX-License-Identifier: MIT
/*
 * kmod_bad_input: table-driven test of the raw /dev/udmabuf UAPI.
 *
 * Every row asserts one exact result (an errno, or success) and prints a TAP
 * line; the exit status is 1 if any row failed. Runs as root inside the VM
 * test bed against kmod/udmabuf.ko, and against an in-kernel udmabuf too.
 *
 * usage: kmod_bad_input [STRESS_SECONDS]   (default 10: the 8-thread row)
 *
 * build: cc -std=c11 -O2 -Wall -Wextra -Werror -pthread \
 *           -o kmod_bad_input tests/vm/kmod_bad_input.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/magic.h>

#include "tap.h"
#include "udmabuf_uapi.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif

#define OK_FD INT_MIN /* "want" value meaning: must succeed with a dma-buf fd */

static int dev = -1;
static long page;
static unsigned long list_limit = 1024;
static unsigned long size_limit_mb = 64;

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "?";
}

static void skip(const char *desc, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++test_no, desc, why);
	fflush(stdout);
}

__attribute__((format(printf, 1, 2)))
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long read_param(const char *name, unsigned long dflt)
{
	char path[128];
	unsigned long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/udmabuf/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* memfd of @size bytes with @seals added (0: no seals at all) */
static int make_memfd(uint64_t size, unsigned int seals)
{
	int fd = memfd_create("kmod_bad_input", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0) {
		perror("memfd_create");
		exit(2);
	}
	if (ftruncate(fd, (off_t)size) < 0) {
		perror("ftruncate");
		exit(2);
	}
	if (seals && fcntl(fd, F_ADD_SEALS, seals) < 0) {
		perror("F_ADD_SEALS");
		exit(2);
	}
	return fd;
}

/* returns a dma-buf fd, or -errno */
static int create(int memfd, uint32_t flags, uint64_t offset, uint64_t size)
{
	struct udmabuf_create c = {
		.memfd = (uint32_t)memfd, .flags = flags,
		.offset = offset, .size = size,
	};
	int r = ioctl(dev, UDMABUF_CREATE, &c);

	return r < 0 ? -errno : r;
}

static struct udmabuf_create_list *list_alloc(uint32_t n)
{
	struct udmabuf_create_list *l;

	l = calloc(1, sizeof(*l) + (size_t)n * sizeof(l->list[0]));
	if (!l) {
		perror("calloc");
		exit(2);
	}
	return l;
}

static int create_list(struct udmabuf_create_list *l)
{
	int r = ioctl(dev, UDMABUF_CREATE_LIST, l);

	return r < 0 ? -errno : r;
}

/* one row: @ret from create()/create_list(), @want an errno or OK_FD */
static void expect(const char *desc, int ret, int want)
{
	if (want == OK_FD) {
		if (ret >= 0)
			tap(true, "%s", desc);
		else
			tap(false, "%s (got errno %d %s, want success)", desc,
			    -ret, errname(-ret));
	} else if (ret >= 0) {
		tap(false, "%s (got success, want errno %d %s)", desc, want,
		    errname(want));
	} else if (-ret == want) {
		tap(true, "%s (errno %d %s)", desc, want, errname(want));
	} else {
		tap(false, "%s (got errno %d %s, want %d %s)", desc, -ret,
		    errname(-ret), want, errname(want));
	}
	if (ret >= 0)
		close(ret);
}

static long shmem_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Shmem: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* number of dma-bufs listed in debugfs, -1 if not readable */
static int dmabuf_count(void)
{
	char line[512];
	int n = -1;
	FILE *f = fopen("/sys/kernel/debug/dma_buf/bufinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Total %d objects", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int open_fd_count(void)
{
	int n = 0;
	struct stat st;

	for (int fd = 0; fd < 4096; fd++)
		if (fstat(fd, &st) == 0)
			n++;
	return n;
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 131 + seed + (i >> 12));
}

static size_t first_diff(const uint8_t *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (uint8_t)(i * 131 + seed + (i >> 12)))
			return i;
	return SIZE_MAX;
}

static int dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &s);
}

static const char *find_tmpfs(void)
{
	static const char *const dirs[] = { "/dev/shm", "/run", "/tmp" };
	struct statfs sf;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (statfs(dirs[i], &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
		    access(dirs[i], W_OK) == 0)
			return dirs[i];
	return NULL;
}

/* ---------------------------------------------------------------------- */

static void rows_bad_fds(void)
{
	int memfd = make_memfd(page, F_SEAL_SHRINK);
	int closed = make_memfd(page, F_SEAL_SHRINK);
	const char *dir;
	int p[2];
	int fd;

	expect("bad fd -1 gives EBADFD", create(-1, 0, 0, page), EBADFD);
	close(closed);
	expect("closed fd gives EBADFD", create(closed, 0, 0, page), EBADFD);

	dir = find_tmpfs();
	if (dir) {
		char path[256];

		snprintf(path, sizeof(path), "%s/kmod_bad_input.XXXXXX", dir);
		fd = mkstemp(path);
		if (fd < 0 || ftruncate(fd, page) < 0) {
			perror(path);
			exit(2);
		}
		unlink(path);
		expect("regular tmpfs file (shmem, F_SEAL_SEAL only) gives EINVAL",
		       create(fd, 0, 0, page), EINVAL);
		close(fd);
	} else {
		skip("regular tmpfs file gives EINVAL", "no writable tmpfs");
	}

	if (pipe(p) < 0) {
		perror("pipe");
		exit(2);
	}
	expect("pipe gives EBADFD", create(p[0], 0, 0, page), EBADFD);
	close(p[0]);
	close(p[1]);

	fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		expect("/dev/zero gives EBADFD", create(fd, 0, 0, page), EBADFD);
		close(fd);
	} else {
		skip("/dev/zero gives EBADFD", "cannot open /dev/zero");
	}
	close(memfd);
}

static void rows_seals(void)
{
	int fd;

	fd = make_memfd(page, 0);
	expect("memfd without seals gives EINVAL", create(fd, 0, 0, page),
	       EINVAL);
	close(fd);
	fd = make_memfd(page, F_SEAL_GROW | F_SEAL_SEAL);
	expect("memfd sealed GROW|SEAL but not SHRINK gives EINVAL",
	       create(fd, 0, 0, page), EINVAL);
	close(fd);
	fd = make_memfd(page, F_SEAL_SHRINK | F_SEAL_WRITE);
	expect("memfd with F_SEAL_WRITE gives EINVAL", create(fd, 0, 0, page),
	       EINVAL);
	close(fd);
	fd = make_memfd(page, F_SEAL_SHRINK | F_SEAL_FUTURE_WRITE);
	expect("memfd with F_SEAL_FUTURE_WRITE gives EINVAL",
	       create(fd, 0, 0, page), EINVAL);
	close(fd);
}

static void rows_ranges(void)
{
	uint64_t big = (uint64_t)size_limit_mb << 20;
	int fd = make_memfd(4 * page, F_SEAL_SHRINK);
	int bigfd;

	expect("misaligned offset gives EINVAL",
	       create(fd, 0, page / 2, page), EINVAL);
	expect("misaligned size gives EINVAL", create(fd, 0, 0, page / 2),
	       EINVAL);
	expect("size 0 gives EINVAL", create(fd, 0, 0, 0), EINVAL);
	expect("offset+size past EOF gives EINVAL",
	       create(fd, 0, 3 * page, 2 * page), EINVAL);
	expect("offset at EOF gives EINVAL", create(fd, 0, 4 * page, page),
	       EINVAL);
	expect("offset+size overflowing u64 gives EINVAL",
	       create(fd, 0, UINT64_MAX - page + 1, 2 * page), EINVAL);
	expect("size near 2^64 gives EINVAL",
	       create(fd, 0, 0, UINT64_MAX - page + 1), EINVAL);
	expect("unknown flag 0x2 gives EINVAL", create(fd, 0x2, 0, page),
	       EINVAL);
	expect("unknown flag 0x80000000 gives EINVAL",
	       create(fd, 0x80000000u, 0, page), EINVAL);
	expect("UDMABUF_FLAGS_CLOEXEC is accepted",
	       create(fd, UDMABUF_FLAGS_CLOEXEC, 0, page), OK_FD);
	expect("one page works", create(fd, 0, 0, page), OK_FD);
	expect("last page of the file works", create(fd, 0, 3 * page, page),
	       OK_FD);
	close(fd);

	/* sparse memfd: pages are only allocated for the positive row */
	bigfd = make_memfd(big + 2 * page, F_SEAL_SHRINK);
	expect("size_limit_mb + 1 page gives EINVAL (as mainline)",
	       create(bigfd, 0, 0, big + page), EINVAL);
	expect("exactly size_limit_mb works", create(bigfd, 0, 0, big), OK_FD);
	close(bigfd);
}

static void rows_list(void)
{
	struct udmabuf_create_list *l, head = { 0 };
	uint64_t half = ((uint64_t)size_limit_mb << 20) / 2;
	int fd = make_memfd(list_limit * page, F_SEAL_SHRINK);
	int bigfd = make_memfd(2 * half + 2 * page, F_SEAL_SHRINK);
	double t0, dt;
	int r;

	expect("CREATE_LIST count 0 gives EINVAL", create_list(&head), EINVAL);

	l = list_alloc(list_limit + 1);
	for (unsigned long i = 0; i <= list_limit; i++) {
		l->list[i].memfd = (uint32_t)fd;
		l->list[i].offset = 0;
		l->list[i].size = page;
	}
	l->count = (uint32_t)list_limit + 1;
	expect("CREATE_LIST count list_limit+1 gives EINVAL", create_list(l),
	       EINVAL);
	for (unsigned long i = 0; i < list_limit; i++)
		l->list[i].offset = i * page;
	l->count = (uint32_t)list_limit;
	if (list_limit * page > (size_limit_mb << 20)) {
		skip("CREATE_LIST with list_limit entries works",
		     "list_limit pages exceed size_limit_mb");
		r = -1;
	} else {
		r = create_list(l);
	}
	if (r == -1) {
		/* skipped */
	} else if (r >= 0 && lseek(r, 0, SEEK_END) != (off_t)(list_limit * page)) {
		tap(false, "CREATE_LIST with list_limit (%lu) entries works (wrong size)",
		    list_limit);
		close(r);
	} else {
		char d[96];

		snprintf(d, sizeof(d),
			 "CREATE_LIST with list_limit (%lu) entries works",
			 list_limit);
		expect(d, r, OK_FD);
	}
	free(l);

	/* only the header is valid memory: must fail before touching more */
	head.count = 0xffffffffu;
	t0 = now();
	r = create_list(&head);
	dt = now() - t0;
	expect("CREATE_LIST count 0xffffffff gives EINVAL", r, EINVAL);
	tap(dt < 0.05, "CREATE_LIST count 0xffffffff fails fast (%.3f ms)",
	    dt * 1e3);

	l = list_alloc(2);
	l->count = 2;
	l->list[0].memfd = (uint32_t)fd;
	l->list[0].size = UINT64_MAX - page + 1;
	l->list[1].memfd = (uint32_t)fd;
	l->list[1].size = 2 * (uint64_t)page; /* byte sum wraps to 1 page */
	expect("CREATE_LIST sizes whose sum wraps u64 give EINVAL",
	       create_list(l), EINVAL);
	l->list[0].size = 1ull << 63;
	l->list[1].size = 1ull << 63; /* byte sum wraps to 0 */
	expect("CREATE_LIST sizes summing to 2^64 give EINVAL", create_list(l),
	       EINVAL);
	l->list[0].memfd = (uint32_t)bigfd;
	l->list[1].memfd = (uint32_t)bigfd;
	l->list[0].size = half + page;
	l->list[1].size = half;
	l->list[1].offset = half + page;
	expect("CREATE_LIST summing to size_limit_mb + 1 page gives EINVAL",
	       create_list(l), EINVAL);
	l->list[0].size = half;
	l->list[1].offset = half;
	expect("CREATE_LIST summing to exactly size_limit_mb works",
	       create_list(l), OK_FD);
	l->list[1].memfd = (uint32_t)-1;
	expect("CREATE_LIST with a bad fd in item 2 gives EBADFD",
	       create_list(l), EBADFD);
	l->list[1].memfd = (uint32_t)fd;
	l->list[1].offset = 1;
	expect("CREATE_LIST with a misaligned item 2 gives EINVAL",
	       create_list(l), EINVAL);
	l->list[1].offset = 0;
	l->list[1].size = page; /* valid: only the flags are wrong */
	l->flags = 0x4;
	expect("CREATE_LIST with unknown flags gives EINVAL", create_list(l),
	       EINVAL);
	free(l);

	r = ioctl(dev, UDMABUF_CREATE, NULL);
	expect("CREATE with a NULL argument gives EFAULT", r < 0 ? -errno : r,
	       EFAULT);
	r = ioctl(dev, _IOW('u', 0x44, struct udmabuf_create), &head);
	expect("unknown ioctl gives ENOTTY", r < 0 ? -errno : r, ENOTTY);
	close(fd);
	close(bigfd);
}

static void row_hugetlb(void)
{
	const char *desc =
		"hugetlb memfd: EINVAL (out-of-tree module) or a dma-buf (mainline)";
	long huge = 2 << 20;
	int fd = memfd_create("kmod_bad_input_huge",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB);
	int r;

	if (fd < 0) {
		skip(desc, "no hugetlbfs");
		return;
	}
	if (ftruncate(fd, huge) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		skip(desc, "cannot size or seal a hugetlb memfd");
		close(fd);
		return;
	}
	r = create(fd, 0, 0, huge);
	tap(r >= 0 || r == -EINVAL, "%s (got %s)", desc,
	    r >= 0 ? "a dma-buf" : errname(-r));
	if (r >= 0)
		close(r);
	close(fd);
}

static void rows_data(void)
{
	const size_t len = 16 * page;
	int memfd = make_memfd(len, F_SEAL_SHRINK);
	uint8_t *m, *d;
	size_t bad;
	int buf, r;

	buf = create(memfd, UDMABUF_FLAGS_CLOEXEC, 0, len);
	if (buf < 0) {
		tap(false, "data rows need a dma-buf (errno %d)", -buf);
		close(memfd);
		return;
	}
	tap(fcntl(buf, F_GETFD) == FD_CLOEXEC, "CLOEXEC flag sets FD_CLOEXEC");
	tap(lseek(buf, 0, SEEK_END) == (off_t)len,
	    "dma-buf size is the requested size");
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	d = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	if (m == MAP_FAILED || d == MAP_FAILED) {
		tap(false, "mmap memfd and dma-buf (%s)", strerror(errno));
		exit(1);
	}
	tap(mmap(NULL, len, PROT_READ, MAP_PRIVATE, buf, 0) == MAP_FAILED &&
	    errno == EINVAL, "private mmap of the dma-buf gives EINVAL");

	fill(m, len, 1);
	dmabuf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	bad = first_diff(d, len, 1);
	dmabuf_sync(buf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	tap(bad == SIZE_MAX, "memfd write -> dma-buf mmap read (SYNC) matches%s",
	    bad == SIZE_MAX ? "" : " (mismatch)");

	tap(dmabuf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE) == 0,
	    "DMA_BUF_IOCTL_SYNC START|WRITE");
	fill(d, len, 7);
	tap(dmabuf_sync(buf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE) == 0,
	    "DMA_BUF_IOCTL_SYNC END|WRITE");
	bad = first_diff(m, len, 7);
	tap(bad == SIZE_MAX, "dma-buf mmap write -> memfd mmap read matches");
	{
		uint8_t *tmp = malloc(len);

		bad = SIZE_MAX - 1;
		if (tmp && pread(memfd, tmp, len, 0) == (ssize_t)len)
			bad = first_diff(tmp, len, 7);
		free(tmp);
		tap(bad == SIZE_MAX, "dma-buf mmap write -> memfd pread matches");
	}

	/* seals: the memfd cannot shrink; a dma-buf over it stays valid */
	errno = 0;
	tap(ftruncate(memfd, len - page) < 0 && errno == EPERM,
	    "shrinking the memfd is blocked by F_SEAL_SHRINK (EPERM)");
	tap(fallocate(memfd, 0, 0, len + page) == 0 &&
	    lseek(buf, 0, SEEK_END) == (off_t)len,
	    "growing the memfd is allowed and does not change the dma-buf");
	tap(fcntl(memfd, F_ADD_SEALS, F_SEAL_GROW) == 0 &&
	    ftruncate(memfd, len + 4 * page) < 0 && errno == EPERM,
	    "growing is blocked once F_SEAL_GROW is added (EPERM)");
	tap(fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE) < 0 && errno == EBUSY,
	    "F_SEAL_WRITE cannot be added while the memfd is mmapped (EBUSY)");

	/*
	 * The seals do not stop hole punching: the memfd drops its page, the
	 * dma-buf keeps the pinned one (its mapping must not be in the way:
	 * with 6.1's page-inserting fault handler this was "Bad page cache").
	 */
	{
		bool zero = true;

		r = fallocate(memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      0, page);
		for (long i = 0; i < page; i++)
			zero = zero && m[i] == 0;
		bad = first_diff(d, len, 7);
		tap(r == 0 && zero && bad == SIZE_MAX,
		    "punching a hole: the memfd reads zeros, the dma-buf keeps its data (%s)",
		    r ? strerror(errno) : "ok");
	}

	/* closing the memfd while the dma-buf lives: data stays readable */
	munmap(m, len);
	close(memfd);
	munmap(d, len);
	d = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	bad = d == MAP_FAILED ? 0 : first_diff(d, len, 7);
	tap(bad == SIZE_MAX,
	    "data readable through the dma-buf after the memfd was closed");
	if (d != MAP_FAILED) {
		tap(mmap(NULL, 2 * len, PROT_READ, MAP_SHARED, buf, 0) ==
		    MAP_FAILED, "mmap larger than the dma-buf fails");
		munmap(d, len);
	}
	d = mmap(NULL, page, PROT_READ, MAP_SHARED, buf, 15 * page);
	tap(d != MAP_FAILED && d[0] == (uint8_t)(15 * page * 131 + 7 + 15),
	    "mmap at a page offset of the dma-buf sees the right page");
	if (d != MAP_FAILED)
		munmap(d, page);
	close(buf);
}

/*
 * A client keeps the dma-buf mmapped (pages faulted in) while the process
 * that owns the memfd exits. With 6.1's page-inserting fault handler this
 * printed "BUG: Bad page cache"; the VM harness checks dmesg for it.
 */
static void row_owner_exits(void)
{
	const size_t len = 64 * page;
	int res[2], go[2];
	pid_t owner;
	char c = 'x';
	int status;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(res) < 0 || pipe(go) < 0) {
		perror("pipe");
		exit(2);
	}
	owner = fork();
	if (owner == 0) {
		int memfd = make_memfd(len, F_SEAL_SHRINK);
		uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				  MAP_SHARED, memfd, 0);
		int buf;
		pid_t client;

		if (m == MAP_FAILED)
			_exit(3);
		fill(m, len, 3);
		buf = create(memfd, UDMABUF_FLAGS_CLOEXEC, 0, len);
		if (buf < 0)
			_exit(4);
		client = fork();
		if (client == 0) {
			uint8_t *d = mmap(NULL, len, PROT_READ | PROT_WRITE,
					  MAP_SHARED, buf, 0);
			volatile uint8_t sum = 0;
			bool ok;

			/* keep nothing of the memfd: only the dma-buf map */
			close(buf);
			munmap(m, len);
			close(memfd);
			close(go[1]);
			if (d == MAP_FAILED)
				_exit(5);
			for (size_t i = 0; i < len; i += page)
				sum += d[i]; /* fault every page in */
			(void)sum;
			/* wait until the owner is gone */
			if (read(go[0], &c, 1) != 0)
				_exit(6);
			ok = first_diff(d, len, 3) == SIZE_MAX;
			fill(d, len, 9);
			ok = ok && first_diff(d, len, 9) == SIZE_MAX;
			c = ok ? 'y' : 'n';
			if (write(res[1], &c, 1) != 1)
				_exit(7);
			munmap(d, len);
			_exit(0);
		}
		/* owner: exit with memfd, maps and dma-buf fd open */
		_exit(client > 0 ? 0 : 8);
	}
	close(res[1]);
	waitpid(owner, &status, 0);
	/* the client holds the last write end of go: only after its owner is
	 * reaped do we close ours, so EOF means "owner gone" */
	close(go[1]);
	close(go[0]);
	if (read(res[0], &c, 1) != 1)
		c = '?';
	close(res[0]);
	/* we are a child subreaper: the orphaned client is ours to reap */
	while (waitpid(-1, NULL, 0) > 0)
		;
	tap(WIFEXITED(status) && WEXITSTATUS(status) == 0 && c == 'y',
	    "client keeps the dma-buf mmapped after the memfd owner exited (status %d, result %c)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1, c);
}

/* ---------------------------------------------------------------------- */

struct stress {
	pthread_t thread;
	int memfd;
	double until;
	unsigned long ops;
	unsigned long errors;
	int first_errno;
};

static void *stress_thread(void *arg)
{
	struct stress *s = arg;
	struct udmabuf_create_list *l = list_alloc(3);
	uint32_t items = list_limit < 3 ? (uint32_t)list_limit : 3;
	unsigned int n = 0;

	while (now() < s->until) {
		int buf;

		if (n++ & 1) {
			buf = create(s->memfd, UDMABUF_FLAGS_CLOEXEC, page,
				     4 * page);
		} else {
			l->flags = UDMABUF_FLAGS_CLOEXEC;
			l->count = items;
			for (uint32_t i = 0; i < items; i++) {
				l->list[i].memfd = (uint32_t)s->memfd;
				l->list[i].offset = (uint64_t)(2 - i) * page;
				l->list[i].size = page;
			}
			buf = create_list(l);
		}
		if (buf < 0) {
			if (!s->errors++)
				s->first_errno = -buf;
			continue;
		}
		if (n % 16 == 0) {
			volatile uint8_t *d = mmap(NULL, page, PROT_READ,
						   MAP_SHARED, buf, 0);

			if (d == MAP_FAILED) {
				s->errors++;
			} else {
				(void)d[0];
				munmap((void *)d, page);
			}
		}
		close(buf);
		s->ops++;
	}
	free(l);
	return NULL;
}

static void row_threads(double seconds)
{
	struct stress s[8];
	unsigned long ops = 0, errors = 0;
	int first = 0;
	int memfd = make_memfd(8 * page, F_SEAL_SHRINK);
	int before = dmabuf_count();
	double t0 = now();

	for (int i = 0; i < 8; i++) {
		s[i] = (struct stress){ .memfd = memfd, .until = t0 + seconds };
		if (pthread_create(&s[i].thread, NULL, stress_thread, &s[i])) {
			perror("pthread_create");
			exit(2);
		}
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(s[i].thread, NULL);
		ops += s[i].ops;
		errors += s[i].errors;
		if (!first)
			first = s[i].first_errno;
	}
	close(memfd);
	tap(errors == 0 && ops > 0,
	    "8 threads created/closed %lu dma-bufs in %.1f s, %lu errors (first errno %d)",
	    ops, now() - t0, errors, first);
	if (before >= 0)
		tap(dmabuf_count() == before,
		    "no dma-buf left after the threads (debugfs: %d before, %d after)",
		    before, dmabuf_count());
}

static void row_emfile(void)
{
	/* 4 MiB, or size_limit_mb if that is smaller */
	const size_t len = size_limit_mb < 4 ? size_limit_mb << 20 : 4 << 20;
	struct rlimit old, rl;
	long shmem0 = shmem_kb();
	int before = dmabuf_count(), fds0 = open_fd_count();
	int memfd, n = 0, r = 0, *bufs;
	uint8_t *m;

	memfd = make_memfd(len, F_SEAL_SHRINK);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	fill(m, len, 5); /* allocate all the pages */
	munmap(m, len);

	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = (rlim_t)fds0 + 40;
	if (rl.rlim_cur > old.rlim_cur)
		rl.rlim_cur = old.rlim_cur;
	setrlimit(RLIMIT_NOFILE, &rl);
	bufs = calloc(rl.rlim_cur, sizeof(*bufs));
	while (bufs && n < (int)rl.rlim_cur) {
		r = create(memfd, UDMABUF_FLAGS_CLOEXEC, 0, len);
		if (r < 0)
			break;
		bufs[n++] = r;
	}
	expect("fd exhaustion (RLIMIT_NOFILE lowered) gives EMFILE", r,
	       EMFILE);
	/* a few more attempts at the limit must not leak either */
	for (int i = 0; i < 100; i++)
		r = create(memfd, 0, 0, len);
	tap(r == -EMFILE, "100 more attempts at the limit all give EMFILE");
	while (n > 0)
		close(bufs[--n]);
	free(bufs);
	setrlimit(RLIMIT_NOFILE, &old);
	r = create(memfd, 0, 0, len);
	expect("creating works again after closing the dma-bufs", r, OK_FD);
	close(memfd);

	tap(open_fd_count() == fds0, "no fd leaked (%d open before and after)",
	    fds0);
	if (before >= 0)
		tap(dmabuf_count() == before,
		    "no dma-buf left after fd exhaustion (debugfs: %d before, %d after)",
		    before, dmabuf_count());
	if (shmem0 >= 0) {
		long shmem1 = shmem_kb();

		/* all len bytes would stay pinned if a page reference leaked */
		tap(shmem1 - shmem0 < (long)(len >> 11),
		    "memfd pages freed after fd exhaustion (Shmem %ld kB -> %ld kB)",
		    shmem0, shmem1);
	}
}

int main(int argc, char **argv)
{
	double seconds = 10;

	if (argc > 1) {
		seconds = strtod(argv[1], NULL);
		if (seconds <= 0) {
			fprintf(stderr, "usage: %s [STRESS_SECONDS]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		tap(false, "open /dev/udmabuf: %s", strerror(errno));
		printf("1..1\n");
		return 1;
	}
	list_limit = read_param("list_limit", 1024);
	size_limit_mb = read_param("size_limit_mb", 64);
	diag("list_limit %lu, size_limit_mb %lu, page %ld, dma-bufs in debugfs %d",
	     list_limit, size_limit_mb, page, dmabuf_count());

	rows_bad_fds();
	rows_seals();
	rows_ranges();
	rows_list();
	row_hugetlb();
	rows_data();
	row_owner_exits();
	row_threads(seconds);
	row_emfile();

	close(dev);
	printf("1..%d\n", test_no);
	diag("%d of %d failed", failures, test_no);
	return failures ? 1 : 0;
}
