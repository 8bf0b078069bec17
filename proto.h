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
 * Wire protocol shared by every tmux server from 1.9 to 3.7c: message
 * numbers, payload layouts and client flag bits; and protocol 7, that of
 * tmux 1.7 and 1.8. Which of these a given server understands is decided
 * in dialect.c, nowhere else.
 */

#ifndef PROTO_H
#define PROTO_H

#include <sys/types.h>
#include <sys/param.h>

#include <stdint.h>

/* Never changed from 1.9 on, so it tells no dialect from another. */
#define PROTOCOL_VERSION 8
#define PROTOCOL_VERSION_OLD 7	/* 1.7 and 1.8 */

/* Frame limits, header included. */
#define IMSG_HEADER_SIZE 16
#define MAX_IMSGSIZE 16384
#define MAX_PAYLOAD (MAX_IMSGSIZE - IMSG_HEADER_SIZE)

/* Largest data chunk in one MSG_READ or MSG_WRITE. */
#define FILE_CHUNK (MAX_PAYLOAD - 4)

enum msgtype {
	MSG_VERSION = 12,

	MSG_IDENTIFY_FLAGS = 100,
	MSG_IDENTIFY_TERM,
	MSG_IDENTIFY_TTYNAME,
	MSG_IDENTIFY_OLDCWD,		/* 1.9-2.1: directory fd */
	MSG_IDENTIFY_STDIN,
	MSG_IDENTIFY_ENVIRON,
	MSG_IDENTIFY_DONE,
	MSG_IDENTIFY_CLIENTPID,		/* 2.1+ */
	MSG_IDENTIFY_CWD,		/* 2.2+: string */
	MSG_IDENTIFY_FEATURES,		/* 3.2+ */
	MSG_IDENTIFY_STDOUT,		/* 3.2+ */
	MSG_IDENTIFY_LONGFLAGS,		/* 3.2+ */
	MSG_IDENTIFY_TERMINFO,		/* 3.2+ */
	MSG_IDENTIFY_STRUCT = 199,	/* protocol 7's only identify */

	MSG_COMMAND = 200,
	MSG_DETACH,
	MSG_DETACHKILL,
	MSG_EXIT,
	MSG_EXITED,
	MSG_EXITING,
	MSG_LOCK,
	MSG_READY,
	MSG_RESIZE,
	MSG_SHELL,
	MSG_SHUTDOWN,
	MSG_OLDSTDERR,			/* 1.9-3.0a */
	MSG_OLDSTDIN,			/* 1.9-3.0a */
	MSG_OLDSTDOUT,			/* 1.9-3.0a */
	MSG_SUSPEND,
	MSG_UNLOCK,
	MSG_WAKEUP,
	MSG_EXEC,			/* 2.4+ */
	MSG_FLAGS,			/* 3.2+ */

	MSG_READ_OPEN = 300,		/* 3.1+ */
	MSG_READ,
	MSG_READ_DONE,
	MSG_WRITE_OPEN,
	MSG_WRITE,
	MSG_WRITE_READY,
	MSG_WRITE_CLOSE,
	MSG_READ_CANCEL			/* 3.4+ */
};

/*
 * File protocol payloads (3.1+). All fields are native ints; an optional
 * NUL-terminated path follows the open messages and data follows the
 * stream number of MSG_READ and MSG_WRITE.
 */
struct msg_read_open {
	int	stream;
	int	fd;
};

struct msg_read_done {
	int	stream;
	int	error;
};

struct msg_read_cancel {
	int	stream;
};

struct msg_write_open {
	int	stream;
	int	fd;
	int	flags;
};

struct msg_write_data {
	int	stream;
};

struct msg_write_ready {
	int	stream;
	int	error;
};

struct msg_write_close {
	int	stream;
};

/*
 * Old stdio payload (1.9-3.0a and protocol 7): a ssize_t count then the
 * server's BUFSIZ bytes, always sent whole. The size is learnt from the
 * server.
 */
#define OLDSTDIO_HEADER ((int)sizeof(ssize_t))

/*
 * Protocol 7 (1.7 and 1.8): the old header with peerid 7, messages of its
 * own numbers and fixed-size C structures, whose size is fatal to the
 * server if wrong. dialect.c maps the numbers to those above; the
 * structures are laid out as the server's compiler lays them out on this
 * system (MAXPATHLEN; stdio records have the server's BUFSIZ, learnt).
 */
enum msgtype7 {
	MSG7_COMMAND,
	MSG7_DETACH,
	MSG7_ERROR,
	MSG7_EXIT,
	MSG7_EXITED,
	MSG7_EXITING,
	MSG7_IDENTIFY,
	MSG7_STDIN,
	MSG7_READY,
	MSG7_RESIZE,
	MSG7_SHUTDOWN,
	MSG7_SUSPEND,
	MSG7_VERSION,
	MSG7_WAKEUP,
	MSG7_ENVIRON,
	MSG7_UNLOCK,
	MSG7_LOCK,
	MSG7_SHELL,
	MSG7_STDERR,
	MSG7_STDOUT,
	MSG7_DETACHKILL
};

/* MSG7_IDENTIFY, always with a descriptor; strings NUL-terminated. */
struct msg7_identify {
	char	cwd[MAXPATHLEN];
	char	term[128];
	int	flags;		/* bits as dialect.c's flags_17 */
};

/* MSG7_COMMAND: argc strings packed in argv. */
struct msg7_command {
	pid_t	pid;		/* the server's, from $TMUX, or -1 */
	int	session;	/* from $TMUX, or -1 */
	int	argc;
	char	argv[2048];
};

/* MSG7_ENVIRON: one NAME=value; longer ones are not sent. */
struct msg7_environ {
	char	var[1024];
};

/* Client flag bits, with the meaning of 3.2 and later servers. */
#define CLIENT_LOGIN 0x2ULL
#define CLIENT_NOSTARTSERVER 0x1000ULL
#define CLIENT_CONTROL 0x2000ULL
#define CLIENT_CONTROLCONTROL 0x4000ULL
#define CLIENT_UTF8 0x10000ULL
#define CLIENT_256COLOURS 0x20000ULL	/* 1.9-3.1c only */
#define CLIENT_DEFAULTSOCKET 0x8000000ULL
#define CLIENT_STARTSERVER 0x10000000ULL
#define CLIENT_NOFORK 0x40000000ULL
#define CLIENT_CONTROL_WAITEXIT 0x200000000ULL

#endif /* PROTO_H */
