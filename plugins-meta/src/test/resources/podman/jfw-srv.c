/* tiny static test program: "srv PORT" answers every TCP connection with "hello\n"; "sleep" otherwise */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 2) { for (;;) pause(); }
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a; memset(&a, 0, sizeof a);
  a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1]));
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return 1;
  for (;;) { int c = accept(s, 0, 0); if (c >= 0) { write(c, "hello\n", 6); close(c); } }
}
