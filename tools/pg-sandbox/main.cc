// trackops-pg-sandbox: runs a command next to a throwaway PostgreSQL 15.
//
//   trackops-pg-sandbox [--set name=value]... -- COMMAND [ARGS...]
//
// Starts a fresh server (tests/harness/pg_server.h), runs COMMAND with the
// server's address in the environment, stops the server, removes its files
// and exits with COMMAND's exit code. Environment given to COMMAND:
//   PGHOST, PGPORT, PGUSER, PGDATABASE  the server's socket (trusted) for psql
//   PGPASSWORD                          the superuser's password
//   TRACKOPS_PG_HOST, TRACKOPS_PG_PORT  its TCP address (password needed)

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness/pg_server.h"

namespace {

pid_t g_child = -1;

void Forward(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

}  // namespace

int main(int argc, char** argv) {
  trackops::testing::PgServerOptions options;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "--set" && i + 1 < argc) {
      std::string kv = argv[++i];
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        fprintf(stderr, "trackops-pg-sandbox: --set needs name=value, not '%s'\n", kv.c_str());
        return 2;
      }
      options.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
      continue;
    }
    fprintf(stderr,
            "Usage: trackops-pg-sandbox [--set name=value]... -- COMMAND [ARGS...]\n");
    return 2;
  }
  if (i >= argc) {
    fprintf(stderr, "trackops-pg-sandbox: no command given\n");
    return 2;
  }
  auto server = trackops::testing::PgServer::Start(options);
  if (!server.ok()) {
    fprintf(stderr, "trackops-pg-sandbox: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const auto& s = **server;
  setenv("PGHOST", s.socket_dir().c_str(), 1);
  setenv("PGPORT", std::to_string(s.port()).c_str(), 1);
  setenv("PGUSER", s.kUser, 1);
  setenv("PGDATABASE", s.kDatabase, 1);
  setenv("PGPASSWORD", s.kPassword, 1);
  setenv("TRACKOPS_PG_HOST", s.host().c_str(), 1);
  setenv("TRACKOPS_PG_PORT", std::to_string(s.port()).c_str(), 1);

  signal(SIGINT, Forward);
  signal(SIGTERM, Forward);
  g_child = fork();
  if (g_child == 0) {
    execvp(argv[i], argv + i);
    perror("trackops-pg-sandbox: exec");
    _exit(127);
  }
  int status = 0;
  while (waitpid(g_child, &status, 0) < 0) {
    if (errno != EINTR) break;
  }
  g_child = -1;
  server->reset();  // Stops the server and removes its files.
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
