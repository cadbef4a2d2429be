// SPDX-License-Identifier: LGPL-2.1-or-later
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

void dax_log(struct daxctl_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	ctx->log_fn(ctx, priority, file, line, fn, format, args);
	va_end(args);
}

/*
 * DAXCTL_LOG takes a syslog level number or a level name; anything else
 * silences the library, as callers of the reference rely on.
 */
int dax_log_priority_from_string(const char *s)
{
	static const struct {
		const char *prefix;
		int priority;
	} names[] = {
		{ "err", LOG_ERR },
		{ "notice", LOG_NOTICE },
		{ "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
	};
	int prio;
	size_t i;

	if (parse_int(s, &prio) == 0)
		return prio;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(s, names[i].prefix, strlen(names[i].prefix)) == 0)
			return names[i].priority;
	return 0;
}

DAXCTL_EXPORT void daxctl_set_log_fn(struct daxctl_ctx *ctx,
		void (*log_fn)(struct daxctl_ctx *ctx, int priority,
			       const char *file, int line, const char *fn,
			       const char *format, va_list args))
{
	if (!ctx || !log_fn)
		return;
	ctx->log_fn = log_fn;
	dax_info(ctx, "custom logging function %p registered\n",
		 (void *)log_fn);
}

DAXCTL_EXPORT int daxctl_get_log_priority(struct daxctl_ctx *ctx)
{
	return ctx ? ctx->log_priority : 0;
}

DAXCTL_EXPORT void daxctl_set_log_priority(struct daxctl_ctx *ctx,
					   int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}
