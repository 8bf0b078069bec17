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
 * An independent tmux client: shared declarations.
 *
 * The layers, each owning its state: the transport (peer.c) carries
 * frames to and from a server's socket; the conversation (client.c)
 * identifies, sends the command and follows the server; the streams
 * (file.c) read and write the files the server names. Around them:
 * finding the dialect (probe.c, dialect.c), starting a server (start.c,
 * program.c, proc.c). One event loop drives them all.
 */

#ifndef TMUX_H
#define TMUX_H

#include <sys/types.h>

#include <event.h>
#include <stdarg.h>
#include <stdint.h>
#include <termios.h>

#include "compat.h"
#include "imsg.h"
#include "proto.h"

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof (a)[0])
#endif

/*
 * Built for tests/fuzz-client.c, which runs the client in its own process:
 * what would fork it, signal it or its parent, or open a file that a
 * server names goes to the fuzz target instead. What it runs never execs:
 * the conversation's exec is client_main's, after the loop.
 */
#ifdef FUZZING
#define fork fuzz_fork
#define kill fuzz_kill
#define open fuzz_open
pid_t	fuzz_fork(void);
int	fuzz_kill(pid_t, int);
int	fuzz_open(const char *, int, ...);
#endif

/* Server program used when PATH has none: make SERVER_PROGRAM=path. */
#ifndef TMUX_SERVER_DEFAULT
#define TMUX_SERVER_DEFAULT "/usr/bin/tmux"
#endif
#define TMUX_SERVER_ENV "TMUX_SERVER_PROGRAM"

/* Output buffered for our descriptors before we stop reading the server. */
#define FILE_HIGH_WATER (1024 * 1024)
#define FILE_LOW_WATER (256 * 1024)

/* What the command line asked for: tmux.c fills it in, nobody changes it. */
struct options {
	const char	 *socket_path;
	const char	 *label;	/* -L, or NULL */
	uint64_t	  flags;	/* CLIENT_* */
	const char	**features;	/* -T lists and -2's "256", in order */
	u_int		  nfeatures;
	int		  argc;
	char		**argv;
	int		  cmd_flags;	/* CMD_* of argv */
	const char	 *shell_command; /* -c */
	const char	**config_files;	/* -f, in order */
	u_int		  nconfig;
	int		  verbose;
	int		  print_version; /* -V */
	char		**main_argv;	/* for -D, run in our place */
	int		  std_closed[3]; /* fd 0-2 were not open */
};

/* What the identify sequence includes; each dialect picks a set. */
#define ID_LONGFLAGS 0x2	/* MSG_IDENTIFY_LONGFLAGS, 64 bits */
#define ID_FEATURES 0x4		/* MSG_IDENTIFY_FEATURES */
#define ID_OLDCWD 0x8		/* type 103, no descriptor */
#define ID_OLDCWD_FD 0x10	/* type 103 with a directory descriptor */
#define ID_CWD 0x20		/* type 108, a string */
#define ID_TERMINFO 0x40	/* MSG_IDENTIFY_TERMINFO when a terminal */
#define ID_STDIN_FD 0x80	/* MSG_IDENTIFY_STDIN carries fd 0 */
#define ID_STDOUT 0x100		/* MSG_IDENTIFY_STDOUT */
#define ID_STDOUT_FD 0x200	/* ... carrying fd 1 */
#define ID_CLIENTPID 0x400
#define ID_PROBE 0x800		/* mark the first header (layout probe) */
#define ID_FENCE 0x1000		/* hold the first descriptor until the
				   server has read what precedes it */
#define ID_STRUCTS 0x2000	/* protocol 7: one structure with stdin,
				   command and environment as structures */

/* A server dialect: everything that differs between releases. */
struct msgmap;
struct dialect {
	const char		*name;
	u_int			 protocol;	/* peerid, both ways */
	enum imsg_layout	 layout;
	int			 identify;	/* ID_* */
	const struct msgmap	*map;		/* numbers not ours, or NULL */
	uint64_t		 flagmask;	/* CLIENT_* bits, LONGFLAGS */
	uint64_t		 flagmask32;	/* ... for IDENTIFY_FLAGS */
	const uint64_t		*flagbits;	/* ... each bit, if not those */
	u_int			 nflagbits;
	uint64_t		 flag256;	/* what -2 sets in the flags */
	const char *const	*features;	/* feature table or NULL */
	u_int			 nfeatures;	/* ... its first N, if not 0 */
	int			 guess;		/* chosen before knowing */
	int			 can_start;	/* has -D */
	int			 config_list;	/* -f takes a : list (3.2) */
	int			 nest_check;	/* the client refuses nesting */
};

/* What a probe conversation saw (probe.c); dialect.c reads it. */
struct probe_reply {
	int	 connect_error;	/* errno: there was no connection */
	int	 dropped;	/* closed before any reply */
	int	 deaf;		/* never read what we sent */
	int	 version_msg;	/* MSG_VERSION */
	u_int	 peer_version;
	int	 oldstdio;	/* MSG_OLDSTDOUT/MSG_OLDSTDERR */
	int	 fileproto;	/* MSG_WRITE_OPEN */
	int	 asked_stdin;	/* MSG_OLDSTDIN, which a probe never gives */
	int	 exited;
	int	 status;
	int	 stdio_size;
	char	*exit_message;
	char	*malformed;	/* why it was, if it sent one */
	char	 out[1024];	/* stdout */
	size_t	 outlen;
	char	 err[256];	/* stderr */
	size_t	 errlen;
	pid_t	 pid;
	int	 same_user;	/* the server runs as we do */
};

/* What a probe concluded; a NULL dialect comes with a cause. */
struct probe_result {
	const struct dialect	*dialect;
	int			 stdio_size;
	char			*version;	/* if asked for; maybe "" */
	char			*cause;		/* one line, on failure */
	int			 status;	/* exit status, on failure */
	int			 refused;	/* cause is the server's */
	int			 gone;		/* no server listens now */
};

/* client.c */
struct client;
int		 client_main(const struct options *);
struct client	*client_new(struct event_base *, const struct options *);
int		 client_run(struct client *);
void		 client_free(struct client *);

/* A wait that doubles each time, from 1 ms up to a last (proc.c). */
struct backoff {
	struct event	 ev;
	int		 ms;
	int		 last;
};
/* The longest wait between attempts to connect or to lock, in ms. */
#define BACKOFF_CONNECT_MS 50

/* peer.c */
struct peer;
#define PEER_CLOSED 0		/* end of file, an error or a bad frame */
#define PEER_DEAF 1		/* never read what we sent */
#define PEER_MALFORMED 2	/* sent a malformed message */
#define PEER_MALFORMED_TEXT \
	"server sent a malformed message (type %u, %zu bytes)"
typedef void	 peer_dispatch_cb(struct imsg *, void *);
typedef void	 peer_lost_cb(int, void *);
typedef void	 peer_drained_cb(void *);
typedef void	 peer_dial_cb(int, int, void *);
struct dial {				/* a connection being made */
	const char	*path;
	struct backoff	 retry;
	int		 wait;		/* while the backlog is full */
	peer_dial_cb	*cb;
	void		*arg;
};
int		 peer_connect(const char *, int *);
void		 peer_dial(struct dial *, struct event_base *, const char *,
		     int, peer_dial_cb *, void *);
void		 peer_dial_cancel(struct dial *);
struct peer	*peer_new(struct event_base *, int, const struct dialect *,
		     peer_dispatch_cb *, peer_lost_cb *, void *);
void		 peer_set_drained(struct peer *, peer_drained_cb *);
void		 peer_free(struct peer *);
void		 peer_mark_probe(struct peer *);
void		 peer_fence(struct peer *);
void		 peer_send(struct peer *, int, const void *, size_t);
void		 peer_send2(struct peer *, int, const void *, size_t,
		     const void *, size_t);
void		 peer_send_fd(struct peer *, int, int, const void *, size_t);
void		 peer_try_write(struct peer *);
#define PEER_PAUSE_OUTPUT 0x1	/* our output is behind */
#define PEER_PAUSE_LOCK 0x2	/* the lock command runs */
#define PEER_PAUSE_DONE 0x4	/* no more to read */
void		 peer_pause(struct peer *, int, int);
size_t		 peer_queued(struct peer *);
int		 peer_received(struct peer *);
pid_t		 peer_pid(struct peer *);
int		 peer_same_user(struct peer *);
char		*peer_malformed(struct peer *);

/* file.c */
struct files;
typedef void	 files_drained_cb(void *);
struct files	*files_create(struct event_base *, int, const int *,
		     files_drained_cb *, void *);
void		 files_free(struct files *);
void		 files_discard(struct files *);
void		 files_set_peer(struct files *, struct peer *);
void		 files_set_stdio_size(struct files *, int);
int		 files_dispatch(struct files *, struct imsg *, char **);
int		 files_drained(struct files *);
int		 files_busy(struct files *);
const char	*files_lost(struct files *);
void		 files_socket_drained(struct files *);
void		 files_attached(struct files *);

/* probe.c */
typedef void	 probe_reply_cb(struct probe_reply *, void *);
typedef void	 probe_done_cb(struct probe_result *, void *);
#define PROBE_EXACT 0x1		/* tell 3.6 from 3.7 */
#define PROBE_VERSION 0x2	/* find the version string */
void		 probe_start(struct event_base *, const char *, int,
		     probe_done_cb *, void *);
void		 probe_result_free(struct probe_result *);
void		 probe_command(struct event_base *, const char *,
		     const struct dialect *, const char *const *,
		     probe_reply_cb *, void *);
char		*probe_cause(const char *, pid_t, const char *, ...)
		     printflike(3, 4);
char		*probe_refused(const char *, pid_t, u_int);

/* dialect.c */
const struct dialect *dialect_guess(void);
const struct dialect *dialect_after_drop(void);
const struct dialect *dialect_for_protocol(u_int);
const char	*dialect_releases(u_int);
int		 dialect_send_type(const struct dialect *, u_int, size_t, int);
int		 dialect_receive(const struct dialect *, struct imsg *);
int		 dialect_identify_flags(const struct dialect *, uint64_t);
const char	*dialect_command(const struct dialect *, int, char *const *,
		     void **, size_t *);
const struct dialect *dialect_from_version(const char *);
int		 dialect_guess_serves(const struct options *);
int		 dialect_probe_flags(const struct options *);
const char *const *dialect_probe_argv(const struct dialect *);
int		 dialect_readonly(const struct probe_reply *);
int		 dialect_nested(const struct dialect *,
		     const struct options *);
const struct dialect *dialect_classify(const struct probe_reply *,
		     const struct dialect *, char **);
int		 dialect_features(const struct dialect *,
		     const struct options *);

/* cmd.c */
#define CMD_STARTSERVER 0x1	/* may start a server */
#define CMD_CWD 0x2		/* uses the client's working directory */
#define CMD_STDIN 0x4		/* reads the client's stdin */
#define CMD_ENVIRON 0x8		/* reads the client's environment */
#define CMD_CANTNEST 0x10	/* starts or attaches a session */
int		 cmd_flags(int, char **);

/* start.c */
typedef void	 start_done_cb(int, const struct dialect *, int, const char *,
		     int, void *);
void		 start_server(struct event_base *, const struct options *,
		     start_done_cb *, void *);

/* program.c */
struct program {
	char	*path;
	char	*version;	/* "3.3a" */
};
typedef void	 program_done_cb(struct program *, const char *, void *);
void		 program_answer_self(int, char **);
void		 program_find(struct event_base *, int, program_done_cb *,
		     void *);
void		 program_free(struct program *);
typedef void	 program_version_cb(char *, void *);
void		 program_server_version(struct event_base *, pid_t,
		     program_version_cb *, void *);

/* proc.c */
typedef void	 proc_exit_cb(int, void *);
typedef void	 proc_eof_cb(void *);
typedef void	 proc_output_cb(const char *, int, void *);
struct output	*output_new(struct event_base *, int, size_t, proc_eof_cb *,
		     void *);
const char	*output_text(struct output *);
void		 output_free(struct output *);
void		 proc_watch(pid_t, proc_exit_cb *, void *);
void		 proc_unwatch(pid_t);
void		 backoff_init(struct backoff *, struct event_base *, int,
		     void (*)(int, short, void *), void *);
void		 backoff_reset(struct backoff *);
int		 backoff_later(struct backoff *);
void		 backoff_cancel(struct backoff *);
void		 proc_reap(void);
/* A job's input is on this descriptor too, for a wrapper that drops it. */
#define JOB_SPARE_FD 3
struct job	*job_run(struct event_base *, const char *,
		     const char *const *, const char *, const char *,
		     proc_output_cb *, void *);
void		 job_free(struct job *);
void		 job_kill_all(void);
pid_t		 proc_fork(void);
void		 setblocking(int, int);
void		 proc_exec_prepare(void);

/* terminfo.c */
int		 terminfo_read(const char *, char ***, u_int *, char **);
void		 terminfo_free(char **, u_int);
char		*terminfo_reset(const char *);

/* signal.c */
void		 signal_action(int, void (*)(int));
void		 signal_init(struct event_base *, void (*)(int, void *),
		     void *);
void		 signal_restore(void);

/* socket.c */
char		*socket_dir(char **);
const char	*socket_path(struct options *, const char *, char **);

/* log.c */
void		 log_open(int, const char *);
void printflike(1, 2) log_debug(const char *, ...);
__dead void printflike(1, 2) fatal(const char *, ...);
__dead void printflike(1, 2) fatalx(const char *, ...);

/* xmalloc.c */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
int printflike(2, 0) xvasprintf(char **, const char *, va_list);
int printflike(2, 3) xasprintf(char **, const char *, ...);

#endif /* TMUX_H */
