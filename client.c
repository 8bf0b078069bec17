/*
 * The client proper: identify, send the command, then follow the server
 * until it lets us go. Frames before MSG_READY go to the wait-state
 * handler, after it to the attached-state handler.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

extern char	**environ;

static void	client_socket_cb(int, short, void *);
static void	client_dispatch_wait(struct client *, struct imsg *);
static void	client_dispatch_attached(struct client *, struct imsg *);

static void
setblocking(int fd, int state)
{
	int	mode;

	if ((mode = fcntl(fd, F_GETFL)) == -1)
		return;
	if (state)
		mode &= ~O_NONBLOCK;
	else
		mode |= O_NONBLOCK;
	fcntl(fd, F_SETFL, mode);
}

void
client_stop(struct client *c)
{
	c->exited = 1;
	event_base_loopbreak(c->base);
}

void
client_send(struct client *c, int type, const void *data, size_t len)
{
	client_send2(c, type, data, len, NULL, 0);
}

void
client_send2(struct client *c, int type, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	if (imsg_compose2(c->ibuf, type, p1, l1, p2, l2) != 0)
		fatal("imsg_compose");
	client_update_socket(c);
}

/* Ask libevent for exactly the socket events we need now. */
void
client_update_socket(struct client *c)
{
	short	events = 0;

	if (c->socket_fd == -1)
		return;
	if (!c->read_paused)
		events |= EV_READ;
	if (c->ibuf->w.queued != 0)
		events |= EV_WRITE;
	if (events == c->ev_events)
		return;
	if (c->ev_events != 0)
		event_del(&c->ev_socket);
	c->ev_events = events;
	if (events != 0) {
		event_assign(&c->ev_socket, c->base, c->socket_fd,
		    events|EV_PERSIST, client_socket_cb, c);
		event_add(&c->ev_socket, NULL);
	}
}

/* 7.1 of CLIENT.md: $PWD if it is the same directory, else getcwd. */
static const char *
client_cwd(void)
{
	static char	 cwd[PATH_MAX];
	char		 r1[PATH_MAX], r2[PATH_MAX];
	const char	*pwd, *home;
	struct passwd	*pw;

	if (getcwd(cwd, sizeof cwd) != NULL) {
		pwd = getenv("PWD");
		if (pwd != NULL && *pwd != '\0' &&
		    realpath(pwd, r1) != NULL && realpath(cwd, r2) != NULL &&
		    strcmp(r1, r2) == 0)
			return (pwd);
		return (cwd);
	}
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return (home);
	if ((pw = getpwuid(getuid())) != NULL)
		return (pw->pw_dir);
	return ("/");
}

static void
client_send_string(struct client *c, int type, const char *s)
{
	size_t	len = strlen(s) + 1;

	/* tmux silently drops a string that cannot fit. */
	if (len <= MAX_PAYLOAD)
		client_send(c, type, s, len);
}

static void
client_send_fd(struct client *c, int type, int fd)
{
	if (fd != -1 && (fd = dup(fd)) == -1)
		fatal("dup failed");
	if (imsg_compose(c->ibuf, type, fd, NULL, 0) != 0)
		fatal("imsg_compose");
}

/* The identify sequence, with what this server's dialect takes. */
static void
client_identify(struct client *c)
{
	const struct dialect	*d = c->dialect;
	const char		*term, *tty, *cwd;
	char			**ss;
	uint64_t		 flags = c->flags;
	int			 id = d->identify, flags32, feat, fd;
	pid_t			 pid;
	u_int			 i;

	if ((term = getenv("TERM")) == NULL)
		term = "";
	if ((tty = ttyname(STDIN_FILENO)) == NULL)
		tty = "";
	cwd = client_cwd();
	/* Before 3.2, -2 is a flag bit; from 3.2 it is a feature. */
	if (dialect_features(d, c->features) & 1)
		flags |= d->flag256;

	if (id & ID_PROBE)
		c->ibuf->probe = 1;
	flags32 = (int)(flags & d->flagmask32);
	client_send(c, MSG_IDENTIFY_FLAGS, &flags32, sizeof flags32);
	if (id & ID_LONGFLAGS) {
		flags &= d->flagmask;
		client_send(c, MSG_IDENTIFY_LONGFLAGS, &flags, sizeof flags);
	}
	client_send_string(c, MSG_IDENTIFY_TERM, term);
	if (id & ID_FEATURES) {
		feat = dialect_features(d, c->features);
		client_send(c, MSG_IDENTIFY_FEATURES, &feat, sizeof feat);
	}
	client_send_string(c, MSG_IDENTIFY_TTYNAME, tty);
	if (id & ID_OLDCWD_FD) {
		if ((fd = open(cwd, O_RDONLY)) == -1 &&
		    (fd = open("/", O_RDONLY)) == -1)
			fatal("open failed");
		client_send_fd(c, MSG_IDENTIFY_OLDCWD, fd);
		close(fd);
	} else if (id & ID_OLDCWD)
		client_send_fd(c, MSG_IDENTIFY_OLDCWD, -1);
	if (id & ID_CWD)
		client_send_string(c, MSG_IDENTIFY_CWD, cwd);
	if (id & ID_TERMINFO) {
		for (i = 0; i < c->ncaps; i++)
			client_send_string(c, MSG_IDENTIFY_TERMINFO,
			    c->caps[i]);
	}
	client_send_fd(c, MSG_IDENTIFY_STDIN, (id & ID_STDIN_FD) &&
	    !c->std_closed[STDIN_FILENO] ? STDIN_FILENO : -1);
	if (id & ID_STDOUT) {
		client_send_fd(c, MSG_IDENTIFY_STDOUT, (id & ID_STDOUT_FD) &&
		    !c->std_closed[STDOUT_FILENO] ? STDOUT_FILENO : -1);
	}
	if (id & ID_CLIENTPID) {
		pid = getpid();
		client_send(c, MSG_IDENTIFY_CLIENTPID, &pid, sizeof pid);
	}
	for (ss = environ; *ss != NULL; ss++) {
		/* tmux's client has removed this while starting libevent. */
		if (strncmp(*ss, "EVENT_NOEPOLL=", 14) != 0)
			client_send_string(c, MSG_IDENTIFY_ENVIRON, *ss);
	}
	client_send(c, MSG_IDENTIFY_DONE, NULL, 0);
}

/* MSG_COMMAND (or MSG_SHELL for -c), with tmux's size limits. */
static int
client_send_command(struct client *c)
{
	char	*buf, *p;
	size_t	 size = 0, len;
	int	 i, argc = c->argc;

	if (c->shell_command != NULL) {
		client_send(c, MSG_SHELL, NULL, 0);
		return (0);
	}
	for (i = 0; i < argc; i++)
		size += strlen(c->argv[i]) + 1;
	if (size == 0) {
		client_send(c, MSG_COMMAND, &argc, sizeof argc);
		return (0);
	}
	if (size > MAX_IMSGSIZE - sizeof argc) {
		fprintf(stderr, "command too long\n");
		return (-1);
	}
	if (size > MAX_PAYLOAD - sizeof argc) {
		fprintf(stderr, "failed to send command\n");
		return (-1);
	}
	p = buf = xmalloc(size);
	for (i = 0; i < argc; i++) {
		len = strlen(c->argv[i]) + 1;
		memcpy(p, c->argv[i], len);
		p += len;
	}
	client_send2(c, MSG_COMMAND, &argc, sizeof argc, buf, size);
	free(buf);
	return (0);
}

/* Begin the conversation on a freshly connected socket. */
static int
client_start(struct client *c, int fd)
{
	c->socket_fd = fd;
	imsg_init(c->ibuf, fd, c->dialect->layout);
	c->ev_events = 0;
	c->received = 0;
	client_identify(c);
	if (client_send_command(c) != 0)
		return (-1);
	client_update_socket(c);
	return (0);
}

/*
 * The connection went away. If it was our first guess at the dialect and
 * the server said nothing, it rejected the layout probe: speak the other
 * layout on a new connection.
 */
void
client_lost(struct client *c)
{
	int	fd;

	if (c->ev_events != 0)
		event_del(&c->ev_socket);
	c->ev_events = 0;
	imsg_clear(c->ibuf);
	close(c->socket_fd);
	c->socket_fd = -1;

	if (c->dialect->guess && !c->received && !c->exiting) {
		c->dialect = dialect_after_drop();
		log_debug("layout probe refused, now %s", c->dialect->name);
		if ((fd = server_connect(c, 0)) != -1) {
			if (client_start(c, fd) != 0) {
				c->retval = 1;
				client_stop(c);
			}
			return;
		}
	}
	if (!c->exiting) {
		c->reason = EXIT_LOST_SERVER;
		c->retval = 1;
		client_stop(c);
	} else if (file_drained(c))
		client_stop(c);
}

/*
 * What each message from a server must look like: a fixed part (which may
 * be absent altogether where empty is allowed), then nothing, anything,
 * or NUL-terminated strings. Checked once here so that the handlers can
 * trust what they get; tmux's client exits silently on a bad one, we say
 * what was wrong.
 */
#define P_ANY 0		/* anything may follow the fixed part */
#define P_EXACT 1	/* nothing may */
#define P_STRING 2	/* one string, required */
#define P_STRINGS 3	/* two strings, required */
#define P_PATH 4	/* one string, or nothing */
static const struct {
	u_int	type;
	size_t	fixed;
	int	rest;
	int	may_be_empty;
} client_payloads[] = {
	{ MSG_VERSION, 0, P_EXACT, 0 },
	{ MSG_READY, 0, P_EXACT, 0 },
	{ MSG_EXITED, 0, P_EXACT, 0 },
	{ MSG_SUSPEND, 0, P_EXACT, 0 },
	{ MSG_EXIT, sizeof(int), P_ANY, 1 },
	{ MSG_SHUTDOWN, sizeof(int), P_ANY, 1 },
	{ MSG_FLAGS, sizeof(uint64_t), P_EXACT, 0 },
	{ MSG_SHELL, 0, P_STRING, 0 },
	{ MSG_DETACH, 0, P_STRING, 0 },
	{ MSG_DETACHKILL, 0, P_STRING, 0 },
	{ MSG_LOCK, 0, P_STRING, 0 },
	{ MSG_EXEC, 0, P_STRINGS, 0 },
	{ MSG_READ_OPEN, sizeof(struct msg_read_open), P_PATH, 0 },
	{ MSG_WRITE_OPEN, sizeof(struct msg_write_open), P_PATH, 0 },
	{ MSG_WRITE, sizeof(struct msg_write_data), P_ANY, 0 },
	{ MSG_WRITE_CLOSE, sizeof(struct msg_write_close), P_EXACT, 0 },
	{ MSG_READ_CANCEL, sizeof(struct msg_read_cancel), P_EXACT, 0 },
	{ MSG_OLDSTDOUT, OLDSTDIO_HEADER, P_ANY, 0 },
	{ MSG_OLDSTDERR, OLDSTDIO_HEADER, P_ANY, 0 },
};

static int
client_payload_valid(struct imsg *imsg)
{
	const char	*rest;
	size_t		 left, n;
	u_int		 i;

	for (i = 0; i < sizeof client_payloads / sizeof *client_payloads;
	    i++) {
		if (client_payloads[i].type == imsg->type)
			break;
	}
	if (i == sizeof client_payloads / sizeof *client_payloads)
		return (1);
	if (imsg->len == 0 && client_payloads[i].may_be_empty)
		return (1);
	if (imsg->len < client_payloads[i].fixed)
		return (0);
	rest = (const char *)imsg->data + client_payloads[i].fixed;
	left = imsg->len - client_payloads[i].fixed;
	switch (client_payloads[i].rest) {
	case P_EXACT:
		return (left == 0);
	case P_PATH:
		if (left == 0)
			return (1);
		/* FALLTHROUGH */
	case P_STRING:
		return (left != 0 && rest[left - 1] == '\0');
	case P_STRINGS:
		if (left == 0 || rest[left - 1] != '\0')
			return (0);
		n = strlen(rest) + 1;
		return (n < left);
	}
	return (1);
}

/* Give up, saying why where tmux would print its exit reason. */
void
client_fail(struct client *c, const char *fmt, ...)
{
	va_list	ap;

	free(c->exit_message);
	va_start(ap, fmt);
	if (vasprintf(&c->exit_message, fmt, ap) == -1)
		fatalx("vasprintf failed");
	va_end(ap);
	c->reason = EXIT_MESSAGE_PROVIDED;
	c->retval = 1;
	client_stop(c);
}

/* The server broke the protocol. */
void
client_bad(struct client *c, struct imsg *imsg)
{
	client_fail(c, "server sent a malformed message (type %u, %zu bytes)",
	    imsg->type, imsg->len);
}

static void
client_dispatch(struct client *c, struct imsg *imsg)
{
	if ((imsg->peerid & 0xff) != PROTOCOL_VERSION &&
	    imsg->type != MSG_VERSION) {
		/* tmux answers a wrong version and gives up on the server. */
		client_send(c, MSG_VERSION, NULL, 0);
		imsg_flush(c->ibuf);
		client_lost(c);
		return;
	}
	log_debug("%s message %u, %zu bytes", c->state == CLIENT_ATTACHED ?
	    "attached" : "waiting", imsg->type, imsg->len);
	if (!client_payload_valid(imsg)) {
		client_bad(c, imsg);
		return;
	}
	if (c->state == CLIENT_ATTACHED)
		client_dispatch_attached(c, imsg);
	else
		client_dispatch_wait(c, imsg);
}

/* Handle the whole messages read so far, unless something stops us. */
static void
client_parse(struct client *c)
{
	struct imsg	imsg;
	int		r;

	while (!c->exited && c->socket_fd != -1 && !c->read_paused) {
		if ((r = imsg_get(c->ibuf, &imsg)) == 0)
			break;
		if (r == -1) {
			client_lost(c);
			return;
		}
		client_dispatch(c, &imsg);
	}
}

static void
client_socket_cb(__unused int fd, short events, void *arg)
{
	struct client	*c = arg;
	ssize_t		 n;

	if (events & EV_WRITE) {
		if (imsg_write(c->ibuf) == -1) {
			client_lost(c);
			return;
		}
		file_socket_drained(c);
		client_update_socket(c);
	}
	if (!(events & EV_READ) || c->read_paused)
		return;
	n = imsg_read(c->ibuf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_lost(c);
		return;
	}
	c->received = 1;
	client_parse(c);
}

/* Our output has drained: take the messages we held back, read again. */
void
client_resume(struct client *c)
{
	if (!c->read_paused)
		return;
	c->read_paused = 0;
	client_parse(c);
	client_update_socket(c);
}

/* MSG_EXIT: an optional status, then an optional message (3.2+). */
static void
client_exit_payload(struct client *c, struct imsg *imsg)
{
	int	retval;

	if (imsg->len >= sizeof retval) {
		memcpy(&retval, imsg->data, sizeof retval);
		c->retval = retval;
	}
	if (imsg->len > sizeof retval) {
		free(c->exit_message);
		c->exit_message = xmalloc(imsg->len - sizeof retval);
		memcpy(c->exit_message, (char *)imsg->data + sizeof retval,
		    imsg->len - sizeof retval);
		c->exit_message[imsg->len - sizeof retval - 1] = '\0';
		c->reason = EXIT_MESSAGE_PROVIDED;
	}
}

static void
client_flags_update(struct client *c, struct imsg *imsg)
{
	memcpy(&c->flags, imsg->data, sizeof c->flags);
	log_debug("new flags are %#llx", (unsigned long long)c->flags);
}

static void
client_dispatch_wait(struct client *c, struct imsg *imsg)
{
	switch (imsg->type) {
	case MSG_EXIT:
	case MSG_SHUTDOWN:
		client_exit_payload(c, imsg);
		c->exiting = 1;
		if (file_drained(c))
			client_stop(c);
		break;
	case MSG_READY:
		c->state = CLIENT_ATTACHED;
		file_attached(c);
		client_send(c, MSG_RESIZE, NULL, 0);
		break;
	case MSG_VERSION:
		fprintf(stderr, "protocol version mismatch (client %d, "
		    "server %u)\n", PROTOCOL_VERSION, imsg->peerid & 0xff);
		c->retval = 1;
		client_stop(c);
		break;
	case MSG_FLAGS:
		client_flags_update(c, imsg);
		break;
	case MSG_SHELL:
		client_exec(imsg->data, c->shell_command,
		    c->flags & CLIENT_LOGIN);
		break;
	case MSG_DETACH:
	case MSG_DETACHKILL:
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXITED:
		client_stop(c);
		break;
	default:
		file_dispatch(c, imsg);
		break;
	}
}

static void
client_dispatch_attached(struct client *c, struct imsg *imsg)
{
	struct sigaction	 sa;
	const char		*data;

	switch (imsg->type) {
	case MSG_FLAGS:
		client_flags_update(c, imsg);
		break;
	case MSG_DETACH:
	case MSG_DETACHKILL:
		free(c->exit_session);
		c->exit_session = xstrdup(imsg->data);
		c->exit_type = imsg->type;
		if (imsg->type == MSG_DETACHKILL)
			c->reason = EXIT_DETACHED_HUP;
		else
			c->reason = EXIT_DETACHED;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXEC:
		data = imsg->data;
		free(c->exec_command);
		free(c->exec_shell);
		c->exec_command = xstrdup(data);
		c->exec_shell = xstrdup(data + strlen(data) + 1);
		c->exit_type = imsg->type;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXIT:
		client_exit_payload(c, imsg);
		if (c->reason == EXIT_NONE)
			c->reason = EXIT_EXITED;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXITED:
		client_stop(c);
		break;
	case MSG_SHUTDOWN:
		client_send(c, MSG_EXITING, NULL, 0);
		c->reason = EXIT_SERVER_EXITED;
		c->retval = 1;
		break;
	case MSG_SUSPEND:
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTSTP, &sa, NULL);
		c->suspended = 1;
		kill(getpid(), SIGTSTP);
		break;
	case MSG_LOCK:
		data = imsg->data;
		if (system(data) == -1)
			log_debug("lock command failed");
		client_send(c, MSG_UNLOCK, NULL, 0);
		break;
	}
}

static void
client_signal(int sig, void *arg)
{
	struct client		*c = arg;
	struct sigaction	 sa;
	int			 status;

	if (sig == SIGCHLD) {
		while (waitpid(-1, &status, WNOHANG) > 0)
			/* nothing */;
		return;
	}
	if (c->state != CLIENT_ATTACHED) {
		if (sig == SIGTERM || sig == SIGHUP)
			client_stop(c);
		return;
	}
	if (c->socket_fd == -1)
		return;
	switch (sig) {
	case SIGHUP:
		c->reason = EXIT_LOST_TTY;
		c->retval = 1;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case SIGTERM:
		if (!c->suspended)
			c->reason = EXIT_TERMINATED;
		c->retval = 1;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case SIGWINCH:
		client_send(c, MSG_RESIZE, NULL, 0);
		break;
	case SIGCONT:
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sa.sa_handler = SIG_IGN;
		sigaction(SIGTSTP, &sa, NULL);
		client_send(c, MSG_WAKEUP, NULL, 0);
		c->suspended = 0;
		break;
	}
}

/* Replace ourselves with SHELL -c COMMAND, as tmux does for -c and -E. */
void
client_exec(const char *shell, const char *command, int login)
{
	const char	*name, *p;
	char		*argv0;

	p = strrchr(shell, '/');
	name = (p != NULL && p[1] != '\0') ? p + 1 : shell;
	xasprintf(&argv0, "%s%s", login ? "-" : "", name);
	setenv("SHELL", shell, 1);

	signal_restore();
	setblocking(STDIN_FILENO, 1);
	setblocking(STDOUT_FILENO, 1);
	setblocking(STDERR_FILENO, 1);
	closefrom(STDERR_FILENO + 1);

	execl(shell, argv0, "-c", command, (char *)NULL);
	fatal("execl failed");
}

static const char *
client_exit_message(struct client *c)
{
	static char	buf[256];

	switch (c->reason) {
	case EXIT_NONE:
		break;
	case EXIT_DETACHED:
	case EXIT_DETACHED_HUP:
		if (c->exit_session == NULL)
			return (c->reason == EXIT_DETACHED ? "detached" :
			    "detached and SIGHUP");
		if ((size_t)snprintf(buf, sizeof buf, "%s (from session %s)",
		    c->reason == EXIT_DETACHED ? "detached" :
		    "detached and SIGHUP", c->exit_session) >= sizeof buf)
			fatalx("detach message too long");
		return (buf);
	case EXIT_LOST_TTY:
		return ("lost tty");
	case EXIT_TERMINATED:
		return ("terminated");
	case EXIT_LOST_SERVER:
		return ("server exited unexpectedly");
	case EXIT_EXITED:
		return ("exited");
	case EXIT_SERVER_EXITED:
		return ("server exited");
	case EXIT_MESSAGE_PROVIDED:
		return (c->exit_message);
	}
	return ("unknown reason");
}

/* -CC: tmux's raw settings on the terminal, saved to restore at exit. */
static int
client_control_raw(struct client *c)
{
	struct termios	tio;

	if (tcgetattr(STDIN_FILENO, &c->saved_tio) != 0) {
		fprintf(stderr, "tcgetattr failed: %s\n", strerror(errno));
		return (-1);
	}
	memset(&tio, 0, sizeof tio);
	cfmakeraw(&tio);
	tio.c_iflag = ICRNL|IXANY;
	tio.c_oflag = OPOST|ONLCR;
	tio.c_lflag = 0;
	tio.c_cflag = CREAD|CS8|HUPCL;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, cfgetispeed(&c->saved_tio));
	cfsetospeed(&tio, cfgetospeed(&c->saved_tio));
	tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	c->cc_raw = 1;
	return (0);
}

/* Control clients print %exit, maybe wait for an empty line, end -CC. */
static void
client_control_exit(struct client *c)
{
	char	*line = NULL;
	size_t	 size = 0;

	if (c->reason != EXIT_NONE)
		printf("%%exit %s\n", client_exit_message(c));
	else
		printf("%%exit\n");
	fflush(stdout);
	if (c->flags & CLIENT_CONTROL_WAITEXIT) {
		setvbuf(stdin, NULL, _IOLBF, 0);
		while (getline(&line, &size, stdin) > 1)
			/* discard */;
		free(line);
	}
	if (c->flags & CLIENT_CONTROLCONTROL) {
		printf("\033\\");
		fflush(stdout);
		tcsetattr(STDOUT_FILENO, TCSAFLUSH, &c->saved_tio);
	}
}

static void
client_connect_error(struct client *c)
{
	if (errno == ECONNREFUSED)
		fprintf(stderr, "no server running on %s\n", c->socket_path);
	else {
		fprintf(stderr, "error connecting to %s (%s)\n",
		    c->socket_path, strerror(errno));
	}
}

int
client_main(struct client *c)
{
	struct event_config	*cfg;
	const char		*term;
	char			*cause;
	pid_t			 ppid;
	int			 fd, tty;

	/* poll, not epoll: epoll refuses regular files and /dev/null. */
	if ((cfg = event_config_new()) == NULL)
		fatalx("event_config_new failed");
	event_config_avoid_method(cfg, "epoll");
	if ((c->base = event_base_new_with_config(cfg)) == NULL)
		fatalx("event_base_new failed");
	event_config_free(cfg);

	log_open(c->verbose, "client");
	log_debug("client started (%ld): socket %s", (long)getpid(),
	    c->socket_path);
	signal_init(c->base, client_signal, c);
	TAILQ_INIT(&c->streams);
	c->socket_fd = -1;

	fd = server_connect(c, (c->flags & CLIENT_STARTSERVER) &&
	    !(c->flags & CLIENT_NOSTARTSERVER));
	if (fd == -1) {
		client_connect_error(c);
		return (1);
	}
	if (c->dialect == NULL && dialect_choose(c) != 0)
		return (c->retval);
	log_debug("flags are %#llx, dialect %s", (unsigned long long)c->flags,
	    c->dialect->name);

	term = getenv("TERM");
	tty = isatty(STDIN_FILENO);
	if (tty && term != NULL && *term != '\0' &&
	    (c->dialect->identify & ID_TERMINFO) &&
	    terminfo_read(term, &c->caps, &c->ncaps, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	if (tty && tcgetattr(STDIN_FILENO, &c->saved_tio) == 0)
		c->tio_saved = 1;
	if ((c->flags & CLIENT_CONTROLCONTROL) && client_control_raw(c) != 0)
		return (1);

	c->ibuf = xmalloc(sizeof *c->ibuf);
	if (client_start(c, fd) != 0)
		return (1);
	imsg_flush(c->ibuf);
	client_update_socket(c);

	while (!c->exited)
		event_base_loop(c->base, EVLOOP_ONCE);

	/*
	 * A server that dies leaves the terminal as it set it; put back the
	 * settings we found. After a clean exit this changes nothing.
	 */
	if (c->state == CLIENT_ATTACHED && c->tio_saved && !c->cc_raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &c->saved_tio);

	if (c->exit_type == MSG_EXEC) {
		if (c->cc_raw)
			tcsetattr(STDOUT_FILENO, TCSAFLUSH, &c->saved_tio);
		client_exec(c->exec_shell, c->exec_command,
		    c->flags & CLIENT_LOGIN);
	}

	setblocking(STDIN_FILENO, 1);
	setblocking(STDOUT_FILENO, 1);
	setblocking(STDERR_FILENO, 1);

	if (c->state == CLIENT_ATTACHED) {
		if (c->reason != EXIT_NONE)
			printf("[%s]\n", client_exit_message(c));
		ppid = getppid();
		if (c->exit_type == MSG_DETACHKILL && ppid > 1)
			kill(ppid, SIGHUP);
	} else if (c->flags & CLIENT_CONTROL)
		client_control_exit(c);
	else if (c->reason != EXIT_NONE)
		fprintf(stderr, "%s\n", client_exit_message(c));
	return (c->retval);
}
