/* SPDX-License-Identifier: MIT */
/* TAP output for the VM test programs: "ok N - ..." / "not ok N - ...", then "1..N". */
#ifndef UDMAVIEW_TESTS_TAP_H
#define UDMAVIEW_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int test_no;
static int failures;

__attribute__((format(printf, 2, 3)))
static bool tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
	return ok;
}

#endif
