/*
 * Copyright (c) 2026 The tmux client authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF MIND, USE, DATA OR PROFITS, WHETHER
 * IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING
 * OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The event loop's method. The client's descriptors may be terminals,
 * pipes, sockets, regular files or /dev/null; poll(2) serves them all,
 * where epoll refuses regular files and /dev/null and kqueue never reports
 * the end of a regular file. On macOS poll and kqueue fail on terminals,
 * so select(2) there (and in the portable build, to test it).
 */

#include <stddef.h>

#include <event.h>

#include "compat.h"

struct event_base *
compat_event_base(void)
{
	static const char *const avoid[] = {
		"epoll", "kqueue", "devpoll", "evport",
#if defined(__APPLE__) || defined(PORTABLE)
		"poll",
#endif
		NULL
	};
	struct event_config	*cfg;
	struct event_base	*base;
	size_t			 i;

	if ((cfg = event_config_new()) == NULL)
		return (NULL);
	for (i = 0; avoid[i] != NULL; i++)
		event_config_avoid_method(cfg, avoid[i]);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return (base);
}
