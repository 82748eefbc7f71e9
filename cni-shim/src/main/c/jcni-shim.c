/*
 * jcni-shim: the executable a CNI runtime calls for every jcni plugin type (busybox style: the type is the
 * basename of argv[0]). It hands the call to the resident `jcni daemon` over its unix socket (wire protocol v1,
 * cni-shim/README.md) and relays the answer; when no daemon answers it execs the per-call JVM launcher
 * (`../libexec/<type>` next to its own real path, else `$JCNI_HOME/libexec/<type>`), so a node without a daemon
 * still works, only slower. libc only, built static so one binary runs in any container image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/jcni/jcni.sock"
#define PROTOCOL_VERSION 1u
#define GREETING_MS 1000
/* the daemon's limits (PROTOCOL.md): a request it would refuse goes the direct path instead */
#define MAX_BODY (8u << 20)
#define MAX_TYPE 255u
#define MAX_ENV 512u
#define MAX_ENTRY (64u << 10)
#define MAX_RESPONSE (64u << 20)

extern char **environ;

static const char *type;  /* basename(argv[0]) */
static int debug;          /* JCNI_SHIM_DEBUG=1 */
static unsigned char *in;  /* stdin, once read */
static size_t in_len;
static int in_read;

struct buf {
  unsigned char *p;
  size_t len, cap;
};

static void oom(void) {
  static const char m[] = "jcni-shim: out of memory\n";
  if (write(2, m, sizeof m - 1) < 0) {
    /* nothing more to say */
  }
  _exit(1);
}

static void reserve(struct buf *b, size_t more) {
  if (more > SIZE_MAX - b->len) oom();
  if (b->len + more <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) {
    if (cap > SIZE_MAX / 2) oom();
    cap *= 2;
  }
  unsigned char *p = realloc(b->p, cap);
  if (!p) oom();
  b->p = p;
  b->cap = cap;
}

static void put(struct buf *b, const void *p, size_t n) {
  reserve(b, n);
  if (n) memcpy(b->p + b->len, p, n);
  b->len += n;
}

static void put_u8(struct buf *b, unsigned v) {
  unsigned char c = (unsigned char)v;
  put(b, &c, 1);
}

static void put_u32(struct buf *b, uint32_t v) {
  unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  put(b, c, 4);
}

static void put_blob(struct buf *b, const void *p, size_t n) {
  put_u32(b, (uint32_t)n);
  put(b, p, n);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Writes everything, retrying short writes and EINTR; 0 on success. */
static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads exactly n bytes, blocking; 0 on success, -1 on EOF or error. */
static int read_full(int fd, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static void debug_line(const char *path, const char *why) {
  if (!debug) return;
  const char *cmd = getenv("CNI_COMMAND");
  fprintf(stderr, "jcni-shim: %s %s: %s%s%s%s\n", type, cmd && *cmd ? cmd : "-", path, why ? " (" : "",
          why ? why : "", why ? ")" : "");
}

/* Reads the whole stdin once (a closed or unreadable fd 0 counts as empty). */
static void read_stdin(void) {
  if (in_read) return;
  in_read = 1;
  struct buf b = {0};
  for (;;) {
    reserve(&b, 65536);
    ssize_t r = read(0, b.p + b.len, b.cap - b.len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    b.len += (size_t)r;
  }
  in = b.p;
  in_len = b.len;
}

/* The top-level "cniVersion" string of the config in stdin, else "1.0.0" (only plain version characters). */
static const char *cni_version(void) {
  static char v[33];
  int depth = 0, key_next = 0;
  size_t i = 0;
  while (in && i < in_len) {
    unsigned char c = in[i];
    if (c == '{' || c == '[') {
      depth++;
      key_next = c == '{';
      i++;
    } else if (c == '}' || c == ']') {
      depth--;
      i++;
    } else if (c == ',') {
      key_next = 1;
      i++;
    } else if (c == '"') {
      size_t s = ++i;
      while (i < in_len && in[i] != '"') i += in[i] == '\\' ? 2 : 1;
      size_t e = i++;
      if (depth == 1 && key_next && e - s == 10 && memcmp(in + s, "cniVersion", 10) == 0) {
        while (i < in_len && (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n' || in[i] == ':')) i++;
        size_t vs = i + 1, ve = vs;
        if (i >= in_len || in[i] != '"') break;
        while (ve < in_len && ve - vs < sizeof v - 1 &&
               ((in[ve] >= '0' && in[ve] <= '9') || (in[ve] >= 'a' && in[ve] <= 'z') ||
                (in[ve] >= 'A' && in[ve] <= 'Z') || in[ve] == '.' || in[ve] == '-' || in[ve] == '+'))
          ve++;
        if (ve < in_len && in[ve] == '"' && ve > vs) {
          memcpy(v, in + vs, ve - vs);
          v[ve - vs] = 0;
          return v;
        }
        break;
      }
      key_next = 0;
    } else {
      i++;
    }
  }
  return "1.0.0";
}

/* A CNI error object on stdout (code 999), exit 1. msg must not need JSON escaping beyond '"' and '\\'. */
static void fail(const char *fmt, ...) {
  char msg[4096], esc[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t j = 0;
  for (const char *p = msg; *p && j < sizeof esc - 2; p++) {
    if (*p == '"' || *p == '\\') esc[j++] = '\\';
    esc[j++] = (unsigned char)*p < 0x20 ? ' ' : *p;
  }
  esc[j] = 0;
  read_stdin();
  printf("{\"cniVersion\":\"%s\",\"code\":999,\"msg\":\"%s\"}\n", cni_version(), esc);
  fflush(stdout);
  exit(1);
}

/* Puts the stdin bytes already consumed back as fd 0 for the direct path. */
static void restore_stdin(void) {
  int fd = (int)syscall(SYS_memfd_create, "jcni-stdin", 0u);
  if (fd < 0) fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  if (fd < 0) {
    char t[] = "/tmp/jcni-stdin-XXXXXX";
    fd = mkstemp(t);
    if (fd >= 0) unlink(t);
  }
  if (fd < 0 || write_all(fd, in, in_len) != 0 || lseek(fd, 0, SEEK_SET) != 0 || (fd != 0 && dup2(fd, 0) < 0))
    fail("jcni-shim: cannot restore stdin for the direct path: %s", strerror(errno));
  if (fd != 0) close(fd);
}

/* The direct path: exec the per-call JVM launcher for this type. Does not return. */
static void direct(char **argv, const char *why) {
  debug_line("direct", why);
  if (in_read) restore_stdin();
  char self[PATH_MAX], a[PATH_MAX + 300], b[PATH_MAX + 300];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  a[0] = 0;
  if (n > 0 && *type) {
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash) {
      *slash = 0;
      snprintf(a, sizeof a, "%s/../libexec/%s", self, type);
      if (access(a, X_OK) == 0) execv(a, argv);
    }
  }
  const char *home = getenv("JCNI_HOME");
  b[0] = 0;
  if (home && *home && *type) {
    snprintf(b, sizeof b, "%s/libexec/%s", home, type);
    if (access(b, X_OK) == 0) execv(b, argv);
  }
  fail("jcni: cannot run plugin %s: the daemon did not serve it and no launcher was found at %s or %s", type,
       *a ? a : "<dir of the shim>/../libexec/<type>", *b ? b : "$JCNI_HOME/libexec/<type> (JCNI_HOME is not set)");
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Waits up to GREETING_MS for "JCNI" + u32 version 1; 0 when it came. */
static int greeting(int fd) {
  unsigned char g[8];
  size_t got = 0;
  long end = now_ms() + GREETING_MS;
  while (got < sizeof g) {
    long left = end - now_ms();
    if (left <= 0) return -1;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    ssize_t k = read(fd, g + got, sizeof g - got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    got += (size_t)k;
  }
  return memcmp(g, "JCNI", 4) == 0 && get_u32(g + 4) == PROTOCOL_VERSION ? 0 : -1;
}

/* Sends the 4 length bytes with the namespace fds, then the body; 0 when all of it went out. */
static int send_request(int fd, const struct buf *body, int netfd, int nsfd) {
  unsigned char len[4] = {(unsigned char)(body->len >> 24), (unsigned char)(body->len >> 16),
                          (unsigned char)(body->len >> 8), (unsigned char)body->len};
  int fds[2] = {netfd, nsfd};
  size_t nfds = nsfd >= 0 ? 2 : 1;
  union {
    struct cmsghdr h;
    char space[CMSG_SPACE(sizeof fds)];
  } ctl;
  memset(&ctl, 0, sizeof ctl);
  struct iovec iov = {.iov_base = len, .iov_len = sizeof len};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.space,
                     .msg_controllen = (socklen_t)CMSG_SPACE(nfds * sizeof(int))};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = (socklen_t)CMSG_LEN(nfds * sizeof(int));
  memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
  ssize_t w;
  do w = sendmsg(fd, &m, MSG_NOSIGNAL);
  while (w < 0 && errno == EINTR);
  if (w != (ssize_t)sizeof len) return -1; /* 4 bytes on a fresh stream socket go out whole or not at all */
  const unsigned char *p = body->p;
  size_t n = body->len;
  while (n > 0) {
    w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads one response; 0 with resp and len set, -1 when the daemon went away before a complete one. */
static int read_response(int fd, unsigned char **resp, size_t *len) {
  unsigned char l[4];
  if (read_full(fd, l, 4) != 0) return -1;
  uint32_t m = get_u32(l);
  if (m > MAX_RESPONSE) return -2;
  unsigned char *p = malloc(m ? m : 1);
  if (!p) oom();
  if (read_full(fd, p, m) != 0) return -1;
  *resp = p;
  *len = m;
  return 0;
}

static int env_wanted(const char *e) {
  return strncmp(e, "CNI_", 4) == 0 || strncmp(e, "JCNI_", 5) == 0;
}

int main(int argc, char **argv) {
  (void)argc;
  /* a runtime that starts us with 0, 1 or 2 closed must not get the socket as our stdout */
  for (int std = 0; std <= 2; std++)
    if (fcntl(std, F_GETFD) < 0 && open("/dev/null", O_RDWR) != std) return 1;
  const char *a0 = argv[0] ? argv[0] : "";
  const char *slash = strrchr(a0, '/');
  type = slash ? slash + 1 : a0;
  const char *d = getenv("JCNI_SHIM_DEBUG");
  debug = d && strcmp(d, "1") == 0;
  const char *direct_env = getenv("JCNI_DIRECT");
  if (direct_env && strcmp(direct_env, "1") == 0) direct(argv, "JCNI_DIRECT=1");
  size_t type_len = strlen(type);
  if (type_len == 0 || type_len > MAX_TYPE) direct(argv, "no plugin type in argv[0]");

  const char *path = getenv("JCNI_SOCKET");
  if (!path || !*path) path = DEFAULT_SOCKET;
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) direct(argv, "socket path too long");
  memcpy(sa.sun_path, path, strlen(path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) direct(argv, "no unix socket");
  int r;
  do r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    char why[PATH_MAX + 64];
    snprintf(why, sizeof why, "connect %s: %s", path, strerror(errno));
    direct(argv, why);
  }
  if (greeting(fd) != 0) {
    close(fd);
    direct(argv, "no version-1 greeting from the daemon within 1 s");
  }

  int netfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (netfd < 0) {
    close(fd);
    direct(argv, "cannot open /proc/self/ns/net");
  }
  const char *ns = getenv("CNI_NETNS");
  int nsfd = ns && *ns ? open(ns, O_RDONLY | O_CLOEXEC) : -1;

  struct buf body = {0};
  put_u8(&body, 1);
  put_u8(&body, nsfd >= 0 ? 1 : 0);
  put_blob(&body, type, type_len);
  size_t count_at = body.len, count = 0;
  put_u32(&body, 0);
  int too_big = 0;
  for (char **e = environ; *e; e++) {
    if (!env_wanted(*e)) continue;
    size_t n = strlen(*e);
    if (n > MAX_ENTRY || ++count > MAX_ENV) too_big = 1;
    put_blob(&body, *e, n);
  }
  body.p[count_at] = (unsigned char)(count >> 24);
  body.p[count_at + 1] = (unsigned char)(count >> 16);
  body.p[count_at + 2] = (unsigned char)(count >> 8);
  body.p[count_at + 3] = (unsigned char)count;
  read_stdin();
  if (too_big || in_len > MAX_BODY || body.len + 4 + in_len > MAX_BODY) {
    close(fd);
    direct(argv, "request larger than the daemon accepts");
  }
  put_blob(&body, in, in_len);

  int sent = send_request(fd, &body, netfd, nsfd) == 0;
  close(netfd);
  if (nsfd >= 0) close(nsfd);
  free(body.p);

  unsigned char *resp = NULL;
  size_t len = 0;
  r = read_response(fd, &resp, &len);
  close(fd);
  /* a request that did not go out whole never ran: the daemon may still have answered it (a refused peer) */
  if (r == -1 && !sent) direct(argv, "the daemon closed the connection before the request was sent");
  if (r == -1) fail("jcni daemon went away");
  if (r == -2 || len < 5) fail("jcni daemon sent a malformed response");
  unsigned kind = resp[0];
  int32_t code = (int32_t)get_u32(resp + 1);
  if (kind == 2) direct(argv, "the daemon does not serve this type");
  size_t o = 5;
  uint32_t out_len = 0, err_len = 0;
  if (kind != 1 || len - o < 4 || (out_len = get_u32(resp + o), len - o - 4 < out_len) ||
      (o += 4 + out_len, len - o < 4) || (err_len = get_u32(resp + o), len - o - 4 != err_len))
    fail("jcni daemon sent a malformed response");
  debug_line("resident", NULL);
  write_all(1, resp + 5 + 4, out_len);
  write_all(2, resp + o + 4, err_len);
  /* exit statuses are 8 bits: a failure code that truncates to 0 must not read as success */
  return code != 0 && (code & 0xff) == 0 ? 1 : code & 0xff;
}
