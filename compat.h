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
 * What the C library or the kernel may or may not offer; compat.c has a
 * portable way for each. Built with PORTABLE defined, the portable ways
 * are used even where the better ones exist, so that they are tested.
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>
#include <sys/stat.h>

/* The process at the other end of a connected socket, or 0. */
pid_t	compat_peer_pid(int);

/* Bytes we sent that the other end has not read yet, or -1 if unknown. */
long	compat_unread(int);

/* Our own executable file; argv[0] is the fallback. */
int	compat_self_stat(const char *, struct stat *);

/* A path that runs the binary of a process, or -1 if there is none. */
int	compat_pid_exe(pid_t, char *, size_t);

/* Close every descriptor from this one up. */
void	compat_closefrom(int);

#endif /* COMPAT_H */
