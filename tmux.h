/*
 * An independent tmux client: shared declarations.
 */

#ifndef TMUX_H
#define TMUX_H

#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>
#include <stdarg.h>
#include <stdint.h>
#include <termios.h>

#include "imsg.h"
#include "proto.h"

#ifndef __unused
#define __unused __attribute__ ((unused))
#endif
#define printflike(a, b) __attribute__ ((format (printf, a, b)))

/* The release whose client we imitate. */
#define TMUX_VERSION "3.3a"

/* Server program used when PATH has none; overridden by the build. */
#ifndef TMUX_SERVER_DEFAULT
#define TMUX_SERVER_DEFAULT "/usr/bin/tmux"
#endif
#define TMUX_SERVER_ENV "TMUX_SERVER_PROGRAM"

/* Output buffered for our descriptors before we stop reading the server. */
#define FILE_HIGH_WATER (1024 * 1024)
#define FILE_LOW_WATER (256 * 1024)

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

/* A server dialect: everything that differs between releases. */
struct dialect {
	const char		*name;
	enum imsg_layout	 layout;
	int			 identify;	/* ID_* */
	uint64_t		 flagmask;	/* CLIENT_* bits for LONGFLAGS */
	uint64_t		 flagmask32;	/* ... for IDENTIFY_FLAGS */
	uint64_t		 flag256;	/* what -2 sets in the flags */
	const char *const	*features;	/* feature table or NULL */
	int			 guess;		/* chosen before knowing */
	int			 can_start;	/* has -D */
	int			 config_list;	/* -f takes a : list (3.2) */
};

/* Feature names known to any server, as given to -T. */
#define FEATURE_MAX 32

enum client_state {
	CLIENT_WAIT,
	CLIENT_ATTACHED
};

enum exit_reason {
	EXIT_NONE,
	EXIT_DETACHED,
	EXIT_DETACHED_HUP,
	EXIT_LOST_TTY,
	EXIT_TERMINATED,
	EXIT_LOST_SERVER,
	EXIT_EXITED,
	EXIT_SERVER_EXITED,
	EXIT_MESSAGE_PROVIDED
};

/* A file the server reads or writes through us (or an old stdio fd). */
struct stream {
	struct client		*c;
	int			 id;
	int			 fd;
	int			 reading;
	int			 closing;	/* close once drained */
	int			 failed;	/* write error: drop data */
	struct evbuffer		*buf;
	struct event		 ev;
	int			 ev_set;
	TAILQ_ENTRY(stream)	 entry;
};
TAILQ_HEAD(streams, stream);

/* Everything the client knows, in one place. */
struct client {
	struct event_base	*base;
	const char		*socket_path;
	int			 socket_fd;
	struct imsgbuf		*ibuf;
	struct event		 ev_socket;
	short			 ev_events;
	int			 read_paused;
	int			 received;	/* any byte from the server yet */

	const struct dialect	*dialect;
	int			 stdio_size;	/* old stdio struct size */

	uint64_t		 flags;
	uint64_t		 features;	/* bits of feature_names */
	int			 argc;
	char			**argv;
	int			 cmd_flags;	/* CMD_* of argv */
	const char		*shell_command;	/* -c */
	const char		**config_files;	/* -f, in order */
	u_int			 nconfig;
	int			 verbose;
	int			 label_given;	/* -L */
	const char		*label;

	enum client_state	 state;
	int			 exiting;	/* MSG_EXIT seen, drain */
	int			 exited;	/* leave the loop */
	enum exit_reason	 reason;
	int			 exit_type;
	char			*exit_session;
	char			*exit_message;
	int			 retval;
	int			 suspended;
	char			*exec_command;
	char			*exec_shell;

	char			**caps;		/* terminfo */
	u_int			 ncaps;

	struct termios		 saved_tio;
	int			 tio_saved;	/* stdin was a terminal */
	int			 cc_raw;	/* -CC changed the terminal */

	struct streams		 streams;
	size_t			 buffered;	/* across write streams */
	int			 std_used[3];	/* fd 0-2 given to a stream */
	int			 std_closed[3];	/* fd 0-2 were not open */
};

extern const char	*progname;

/* client.c */
int		 client_main(struct client *);
void		 client_stop(struct client *);
void		 client_resume(struct client *);
void		 client_send(struct client *, int, const void *, size_t);
void		 client_send2(struct client *, int, const void *, size_t,
		     const void *, size_t);
void		 client_update_socket(struct client *);
void		 client_lost(struct client *);
void		 client_bad(struct client *, struct imsg *);
void printflike(2, 3) client_fail(struct client *, const char *, ...);
__attribute__((noreturn)) void client_exec(const char *, const char *, int);

/* file.c */
void		 file_dispatch(struct client *, struct imsg *);
int		 file_drained(struct client *);
void		 file_socket_drained(struct client *);
void		 file_attached(struct client *);

/* dialect.c */
const struct dialect *dialect_guess(void);
const struct dialect *dialect_after_drop(void);
const struct dialect *dialect_from_version(const char *);
const struct dialect *dialect_probe(struct client *, char **, char **);
int		 dialect_choose(struct client *);
int		 dialect_stdio_size(struct client *);
int		 feature_parse(const char *, uint64_t *);
int		 dialect_features(const struct dialect *, uint64_t);

/* cmd.c */
#define CMD_STARTSERVER 0x1	/* may start a server */
#define CMD_CWD 0x2		/* uses the client's working directory */
int		 cmd_flags(int, char **);

/* start.c */
int		 server_connect(struct client *, int);
void		 start_foreground(struct client *, char **);

/* program.c */
struct program {
	char	*path;
	char	*version;	/* "3.3a" */
};
void		 program_answer_self(void);
int		 program_find(struct program *, int, char **);
void		 program_free(struct program *);
char		*program_server_version(pid_t);

/* tmux.c */
char		*socket_dir(char **);

/* terminfo.c */
int		 terminfo_read(const char *, char ***, u_int *, char **);
void		 terminfo_free(char **, u_int);

/* signal.c */
void		 signal_init(struct event_base *, void (*)(int, void *), void *);
void		 signal_restore(void);

/* log.c */
void		 log_open(int, const char *);
void printflike(1, 2) log_debug(const char *, ...);
__attribute__((noreturn)) void printflike(1, 2) fatal(const char *, ...);
__attribute__((noreturn)) void printflike(1, 2) fatalx(const char *, ...);

/* xmalloc.c */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
int printflike(2, 3) xasprintf(char **, const char *, ...);

#endif /* TMUX_H */
