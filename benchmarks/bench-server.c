/* bench-server.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How many participants one gremium-server holds, how fast a chair's action
 * reaches everyone in a meeting, and what a connection costs in server memory
 * (DESIGN §11; issue 2: p99 under 20 ms for 100 participants on loopback,
 * under 100 KiB per idle connection).
 *
 *   bench-server [--participants N] [--meetings M] [--rounds R] [--server PATH]
 *
 * The server is the real binary, run as a subprocess on a fresh data folder
 * that this program sets up with the server's own commands. Meeting k is
 * created after its members were added and enrolled, so its roster holds the
 * members of meetings 0…k with their keys (`meeting create` takes every
 * current member). Meeting 0, the measured one, has exactly its own
 * participants; the others stay idle while it is measured.
 *
 * Meeting 0's participants are real GremiumClient objects in this process,
 * on one main loop: each verifies every entry and signed checkpoint as the
 * app does, so their CPU time is part of the first latency figure. The
 * second figure replaces them with probes that only note the arrival of the
 * frame: the server's own part. See start_bare() for both kinds of bare
 * connection.
 */

#include "config.h"

#include <gremium-auth.h>
#include <gremium-client.h>
#include <gremium-crypto.h>
#include <gremium-identity.h>
#include <gremium-meeting.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TARGET_P99_MS             20.0
#define TARGET_KIB_PER_CONNECTION 100.0

/* The server refills a connection's message bucket at 50 per second; the
 * chair stays below that so no round is ever rate-limited.
 */
#define ROUND_INTERVAL_MS 25

/* Concurrent enrolments, joins and command-line spawns while setting up:
 * enough to keep both cores busy. (Logging in is all at once on purpose.)
 */
#define CONNECT_CONCURRENCY 16
#define SPAWN_CONCURRENCY   6

#define STEP_TIMEOUT_MS  120000
#define ROUND_TIMEOUT_MS 10000
#define SETTLE_MS        300

static int n_participants = 400;
static int n_meetings = 4;
static int n_rounds = 200;
static int n_warmup = 20;
static char *server_path = NULL;
static gboolean keep_data = FALSE;
static gboolean all_full = FALSE;

static const GOptionEntry entries[] = {
  { "participants", 'n', 0, G_OPTION_ARG_INT, &n_participants,
    "Simulated participants over all meetings (default 400)", "N" },
  { "meetings", 'm', 0, G_OPTION_ARG_INT, &n_meetings,
    "Meetings to spread them over (default 4)", "M" },
  { "rounds", 'r', 0, G_OPTION_ARG_INT, &n_rounds,
    "Measured chair actions (default 200)", "R" },
  { "warmup", 'w', 0, G_OPTION_ARG_INT, &n_warmup,
    "Unmeasured chair actions first (default 20)", "W" },
  { "server", 's', 0, G_OPTION_ARG_FILENAME, &server_path,
    "The gremium-server binary (default: $GREMIUM_SERVER, else the build tree's)", "PATH" },
  { "all-full", 'f', 0, G_OPTION_ARG_NONE, &all_full,
    "Simulate the other meetings' participants with full clients too (slow)", NULL },
  { "keep", 'k', 0, G_OPTION_ARG_NONE, &keep_data,
    "Keep the data folder and the server's log", NULL },
  { NULL }
};

typedef struct _Bench Bench;
typedef struct _Series Series;

typedef struct
{
  Bench                   *bench;
  char                    *id;
  char                    *code;
  GremiumIdentity         *identity;
  GremiumClient           *client;
  GremiumMeeting          *model;        /* owned by the client */
  guint                    meeting;      /* index into Bench.meeting_ids */
  gboolean                 leads;        /* chair or deputy of its meeting */

  /* A bare connection instead of (or, as a probe, beside) a GremiumClient;
   * see start_bare().
   */
  gboolean                 bare;
  gboolean                 probe;
  SoupWebsocketConnection *connection;
  guint                    stage;
  gint64                   probe_from;   /* the record's size when the probe joins */
} Participant;

typedef void (*StepFunc) (Participant *p);

/* Runs one asynchronous operation for each participant of a list, a few at
 * a time, and collects the first failure.
 */
typedef struct
{
  GPtrArray *todo;               /* Participant, borrowed */
  StepFunc   start;
  guint      limit;
  guint      next;
  guint      running;
  guint      finished;
  GError    *error;
} Step;

typedef struct
{
  guint64 rss;                   /* KiB */
  guint64 pss;                   /* KiB, 0 if unknown */
} Memory;

struct _Bench
{
  char             *dir;
  char             *server_key;
  GPtrArray        *participants;     /* Participant */
  GPtrArray        *leaders;          /* Participant, borrowed; one per meeting */
  GPtrArray        *meeting_ids;      /* char * */
  guint             n_measured;       /* participants of meeting 0 */

  GSubprocess      *server;
  GDataInputStream *server_stdout;
  char             *url;
  guint             port;
  guint             n_starts;

  Step              step;
  SoupSession      *bare_session;
  gint              bare_lost;        /* atomic */

  /* The probes run on their own thread and main context, so that their
   * timestamps do not wait for this thread's hundreds of other sources.
   */
  GThread          *probe_thread;
  GMainContext     *probe_context;
  GMainLoop        *probe_loop;
  SoupSession      *probe_session;    /* used on the probe thread only */
  GMutex            probe_lock;       /* for the three …_delivered fields */

  /* The round being measured. */
  Series           *series;
  gint              counting;         /* atomic */
  gint              want_delivered;   /* atomic */
  guint64           expected_index;
  guint             n_applied;
  gint64            first_applied;
  gint64            last_applied;
  gint              n_delivered;
  gint64            first_delivered;
  gint64            last_delivered;
  gint64            receipt;
  gboolean          answered;
  GError           *round_error;
};

static void bare_close (Participant *p);
static void start_bare (Participant *p);
static void bare_join (Participant *p);

static void
participant_free (Participant *p)
{
  bare_close (p);
  g_clear_object (&p->client);
  g_clear_object (&p->identity);
  g_free (p->id);
  g_free (p->code);
  g_free (p);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Waiting on the main loop, so that the clients keep working meanwhile. */

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
run_loop_for (guint ms)
{
  if (ms > 0)
    wait_until (never, NULL, ms);
}

/* The step runner. */

static void
step_fill (Bench *bench)
{
  Step *step = &bench->step;

  while (step->error == NULL && step->running < step->limit && step->next < step->todo->len)
    {
      Participant *p = g_ptr_array_index (step->todo, step->next++);

      step->running++;
      step->start (p);
    }
}

/* Takes ownership of @error. */
static void
step_done (Participant *p,
           GError      *error)
{
  Step *step = &p->bench->step;

  step->running--;
  step->finished++;

  if (error != NULL && step->error == NULL)
    {
      g_prefix_error (&error, "%s: ", p->id);
      step->error = error;
    }
  else if (error != NULL)
    {
      g_error_free (error);
    }

  step_fill (p->bench);
}

static gboolean
step_complete (gpointer data)
{
  Step *step = data;

  return step->finished == step->todo->len || (step->error != NULL && step->running == 0);
}

static gboolean
run_step (Bench       *bench,
          const char  *what,
          GPtrArray   *todo,
          StepFunc     start,
          guint        limit,
          GError     **error)
{
  Step *step = &bench->step;
  gint64 started = g_get_monotonic_time ();

  memset (step, 0, sizeof *step);
  step->todo = todo;
  step->start = start;
  step->limit = limit;

  step_fill (bench);
  if (!wait_until (step_complete, step, STEP_TIMEOUT_MS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s: timed out with %u of %u done", what, step->finished, todo->len);
      return FALSE;
    }

  if (step->error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&step->error), "%s: ", what);
      return FALSE;
    }

  printf ("  %-52s %7.2f s\n", what, ms_since (started) / 1000.0);
  fflush (stdout);
  return TRUE;
}

/* The server's command line, for setting up the data folder. */

static GPtrArray *
cli_argv (Bench              *bench,
          const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, server_path);
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, bench->dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, NULL);

  return argv;
}

static JsonObject *
cli_output (GSubprocess  *subprocess,
            const char   *out,
            const char   *err,
            GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!g_subprocess_get_if_exited (subprocess) || g_subprocess_get_exit_status (subprocess) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: %s", server_path,
                   g_subprocess_get_if_exited (subprocess) ? "failed" : "crashed",
                   err != NULL && err[0] != '\0' ? g_strstrip ((char *) err) : "(no message)");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, out != NULL ? out : "", -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "gremium-server printed no JSON object: %s", out);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
run_cli (Bench              *bench,
         const char * const *args,
         GError            **error)
{
  g_autoptr(GPtrArray) argv = cli_argv (bench, args);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  error);
  if (subprocess == NULL ||
      !g_subprocess_communicate_utf8 (subprocess, NULL, NULL, &out, &err, error))
    return NULL;

  return cli_output (subprocess, out, err, error);
}

static void
member_added_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Participant *p = user_data;
  g_autoptr(JsonObject) object_out = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GError *error = NULL;

  if (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, &err, &error) &&
      (object_out = cli_output (G_SUBPROCESS (object), out, err, &error)) != NULL)
    {
      p->code = g_strdup (json_object_get_string_member_with_default (object_out, "code", ""));
      if (p->code[0] == '\0')
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "No enrolment code");
    }

  step_done (p, error);
}

static void
start_member_add (Participant *p)
{
  g_autofree char *name = g_strdup_printf ("Mitglied %s", p->id);
  const char *role = !p->leads ? "member" : p->meeting == 0 ? "chair" : "deputy";
  const char * const args[] = { "member", "add", p->id, "--name", name, "--role", role, NULL };
  g_autoptr(GPtrArray) argv = cli_argv (p->bench, args);
  g_autoptr(GSubprocess) subprocess = NULL;
  GError *error = NULL;

  subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error);
  if (subprocess == NULL)
    {
      step_done (p, error);
      return;
    }

  g_subprocess_communicate_utf8_async (subprocess, NULL, NULL, member_added_cb, p);
}

/* The server process. */

static gboolean
line_read (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
server_start (Bench   *bench,
              GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *log_name = g_strdup_printf ("server-%u.log", ++bench->n_starts);
  g_autofree char *log_path = g_build_filename (bench->dir, log_name, NULL);
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *start;
  const char *end;

  g_assert (bench->server == NULL);

  /* The server logs every enrolment; debug output would cost it time. */
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");

  bench->server = g_subprocess_launcher_spawn (launcher, error, server_path, "--data", bench->dir,
                                               "serve", "--port", "0", NULL);
  if (bench->server == NULL)
    return FALSE;

  bench->server_stdout = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->server));
  g_data_input_stream_read_line_async (bench->server_stdout, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, &result);
  if (!wait_until (line_read, &result, 10000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "gremium-server did not start listening within 10 s (log: %s)", log_path);
      return FALSE;
    }

  line = g_data_input_stream_read_line_finish_utf8 (bench->server_stdout, result, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "gremium-server exited before listening (log: %s)", log_path);
      return FALSE;
    }

  /* "gremium-server listening on ws://127.0.0.1:41234/gremium/v1 (key …)" */
  start = strstr (line, " on ");
  if (start == NULL || (end = strchr (start + 4, ' ')) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Unexpected first line from gremium-server: %s", line);
      return FALSE;
    }

  g_free (bench->url);
  bench->url = g_strndup (start + 4, end - (start + 4));
  uri = g_uri_parse (bench->url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return FALSE;
  bench->port = g_uri_get_port (uri);

  return TRUE;
}

static gboolean
subprocess_ended (gpointer data)
{
  return *(gboolean *) data;
}

static void
subprocess_wait_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
server_stop (Bench *bench)
{
  gboolean ended = FALSE;

  if (bench->server == NULL)
    return;

  g_subprocess_send_signal (bench->server, SIGTERM);
  g_subprocess_wait_async (bench->server, NULL, subprocess_wait_cb, &ended);
  if (!wait_until (subprocess_ended, &ended, 10000))
    {
      g_printerr ("bench-server: gremium-server did not stop within 10 s; killing it\n");
      g_subprocess_force_exit (bench->server);
      wait_until (subprocess_ended, &ended, 10000);
    }

  g_clear_object (&bench->server_stdout);
  g_clear_object (&bench->server);
}

static const char *
server_pid (Bench *bench)
{
  return g_subprocess_get_identifier (bench->server);
}

static guint64
read_kib_field (const char *path,
                const char *field)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field))
      return g_ascii_strtoull (lines[i] + strlen (field), NULL, 10);

  return 0;
}

static void
read_memory (Bench  *bench,
             Memory *memory)
{
  g_autofree char *status = g_strdup_printf ("/proc/%s/status", server_pid (bench));
  g_autofree char *rollup = g_strdup_printf ("/proc/%s/smaps_rollup", server_pid (bench));

  memory->rss = read_kib_field (status, "VmRSS:");
  memory->pss = read_kib_field (rollup, "Pss:");
}

/* User plus system CPU time of a process, in seconds. */
static double
process_cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (after_name = strrchr (contents, ')')) == NULL)
    return 0;

  /* After the command name: state (field 3) … utime (14), stime (15). */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10)) /
         (double) sysconf (_SC_CLK_TCK);
}

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;

  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Counts the established TCP connections that the server process holds on
 * its port, as the kernel sees them.
 */
static guint
count_server_connections (Bench *bench)
{
  g_autofree char *fd_path = g_strdup_printf ("/proc/%s/fd", server_pid (bench));
  g_autoptr(GHashTable) inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open (fd_path, 0, NULL);
  static const char * const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
  const char *name;
  guint count = 0;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_path, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:[") && g_str_has_suffix (target, "]"))
        g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    }

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (tables[t], &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          /* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) words = g_ptr_array_new ();
          const char *port;

          for (guint f = 0; fields[f] != NULL; f++)
            if (fields[f][0] != '\0')
              g_ptr_array_add (words, fields[f]);

          if (words->len < 10)
            continue;

          port = strrchr (g_ptr_array_index (words, 1), ':');
          if (port != NULL &&
              g_ascii_strtoull (port + 1, NULL, 16) == bench->port &&
              g_str_equal (g_ptr_array_index (words, 3), "01") &&
              g_hash_table_contains (inodes, g_ptr_array_index (words, 9)))
            count++;
        }
    }

  return count;
}

static const char *
filesystem_name (const char *path)
{
  struct statfs info;

  if (statfs (path, &info) != 0)
    return "an unknown file system";

  switch ((unsigned long) info.f_type)
    {
    case 0xEF53: return "ext2/3/4";
    case 0x01021994: return "tmpfs";
    case 0x9123683E: return "btrfs";
    case 0x58465342: return "XFS";
    case 0x794C7630: return "overlayfs";
    case 0x2FC12FC1: return "ZFS";
    default: return "another file system";
    }
}

static guint
raise_fd_limit (guint needed)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 0;

  /* Every participant is a socket here and another in the server, which
   * inherits this limit.
   */
  if (limit.rlim_cur < needed)
    {
      limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : MIN (limit.rlim_max, needed);
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_printerr ("bench-server: cannot raise the file descriptor limit: %s\n",
                    g_strerror (errno));
      getrlimit (RLIMIT_NOFILE, &limit);
    }

  return (guint) MIN (limit.rlim_cur, G_MAXUINT);
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  return g_rmdir (path) == 0;
}

/* What each simulated participant does. */

static void
enrol_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError *error = NULL;

  gremium_client_enrol_finish (GREMIUM_CLIENT (object), result, &error);
  step_done (user_data, error);
}

static void
start_enrol (Participant *p)
{
  p->client = gremium_client_new (p->bench->url, p->identity, p->id);
  gremium_client_set_auto_reconnect (p->client, FALSE);
  gremium_client_enrol_async (p->client, p->code, NULL, enrol_cb, p);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError *error = NULL;

  gremium_client_connect_finish (GREMIUM_CLIENT (object), result, &error);
  step_done (user_data, error);
}

static void
start_login (Participant *p)
{
  if (p->bare)
    {
      start_bare (p);
      return;
    }

  g_clear_object (&p->client);
  p->client = gremium_client_new (p->bench->url, p->identity, p->id);
  gremium_client_set_pinned_server_key (p->client, p->bench->server_key);
  /* A dropped connection is a failure to report, not to hide. */
  gremium_client_set_auto_reconnect (p->client, FALSE);
  gremium_client_connect_async (p->client, NULL, login_cb, p);
}

static const char *
meeting_of (Participant *p)
{
  return g_ptr_array_index (p->bench->meeting_ids, p->meeting);
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;

  gremium_client_submit_finish (GREMIUM_CLIENT (object), result, NULL, &error);
  step_done (user_data, error);
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Participant *p = user_data;
  g_autoptr(GremiumMeeting) model = NULL;
  GError *error = NULL;

  model = gremium_client_join_meeting_finish (GREMIUM_CLIENT (object), result, &error);
  if (model == NULL)
    {
      step_done (p, error);
      return;
    }

  p->model = model;
  gremium_client_submit_async (p->client, meeting_of (p), GREMIUM_KIND_ATTENDANCE_JOIN, NULL,
                               NULL, submitted_cb, p);
}

static void
start_join (Participant *p)
{
  if (p->bare)
    {
      bare_join (p);
      return;
    }

  gremium_client_join_meeting_async (p->client, meeting_of (p), NULL, joined_cb, p);
}

static void
start_open (Participant *p)
{
  gremium_client_submit_async (p->client, meeting_of (p), GREMIUM_KIND_MEETING_OPEN, NULL,
                               NULL, submitted_cb, p);
}

static void
start_admit (Participant *p)
{
  Participant *leader = g_ptr_array_index (p->bench->leaders, p->meeting);
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_string_member (data, "member", p->id);
  gremium_client_submit_async (leader->client, meeting_of (p), GREMIUM_KIND_LOBBY_ADMIT, data,
                               NULL, submitted_cb, p);
}

static gboolean
all_in_step (gpointer data)
{
  Bench *bench = data;

  for (guint i = 0; i < bench->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);
      Participant *leader = g_ptr_array_index (bench->leaders, p->meeting);

      if (!p->bare &&
          gremium_meeting_get_n_entries (p->model) != gremium_meeting_get_n_entries (leader->model))
        return FALSE;
    }

  return TRUE;
}

static guint
count_connected (Bench *bench)
{
  guint count = 0;

  for (guint i = 0; i < bench->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);

      if (p->bare
          ? p->connection != NULL &&
            soup_websocket_connection_get_state (p->connection) == SOUP_WEBSOCKET_STATE_OPEN
          : p->client != NULL &&
            gremium_client_get_state (p->client) == GREMIUM_CLIENT_STATE_CONNECTED)
        count++;
    }

  return count;
}

/* How many of meeting @k's participants its chair's copy shows as present. */
static guint
count_present (Bench *bench,
               guint  k)
{
  Participant *leader = g_ptr_array_index (bench->leaders, k);
  guint count = 0;

  for (guint i = 0; i < bench->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);
      GremiumMember *member = gremium_meeting_lookup_member (leader->model, p->id);

      if (p->meeting == k && member != NULL &&
          gremium_member_get_presence (member) == GREMIUM_PRESENCE_PRESENT)
        count++;
    }

  return count;
}

/* Setting up the council: members, devices and meetings. */

static gboolean
create_council (Bench   *bench,
                GError **error)
{
  const char * const init_args[] = { "init", NULL };
  g_autoptr(JsonObject) init = NULL;

  if (!(init = run_cli (bench, init_args, error)))
    return FALSE;
  bench->server_key = g_strdup (json_object_get_string_member_with_default (init, "key", ""));

  /* Each meeting's members are enrolled before it is created, so that its
   * roster carries their keys, as for a council whose members set up their
   * devices well before the meeting.
   */
  for (guint k = 0; k < (guint) n_meetings; k++)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      g_autoptr(JsonObject) created = NULL;
      g_autofree char *what_add = NULL;
      g_autofree char *what_enrol = NULL;
      g_autofree char *title = g_strdup_printf ("%u. Sitzung des Ausschusses %u", k + 1, k + 1);
      guint roster = 0;
      const char * const meeting_args[] = {
        "meeting", "create", "--title", title, "--body", "Gemeinderat Benchstadt",
        "--place", "Rathaus", "--item", "Haushalt 2027", "--item", "Bebauungsplan Nord",
        "--item-nonpublic", "Grundstücksangelegenheit", NULL
      };

      for (guint i = 0; i < bench->participants->len; i++)
        {
          Participant *p = g_ptr_array_index (bench->participants, i);

          if (p->meeting == k)
            g_ptr_array_add (group, p);
          if (p->meeting <= k)
            roster++;
        }

      what_add = g_strdup_printf ("meeting %u: gremium-server member add × %u", k, group->len);
      what_enrol = g_strdup_printf ("meeting %u: enrol %u devices", k, group->len);

      if (!run_step (bench, what_add, group, start_member_add, SPAWN_CONCURRENCY, error) ||
          !server_start (bench, error) ||
          !run_step (bench, what_enrol, group, start_enrol, CONNECT_CONCURRENCY, error))
        return FALSE;

      for (guint i = 0; i < group->len; i++)
        {
          Participant *p = g_ptr_array_index (group, i);

          gremium_client_disconnect (p->client);
          g_clear_object (&p->client);
        }

      /* Let the closing handshakes go out before the server stops. */
      run_loop_for (100);
      server_stop (bench);

      if (!(created = run_cli (bench, meeting_args, error)))
        {
          g_prefix_error (error, "Creating meeting %u with a roster of %u members: ", k,
                          roster);
          return FALSE;
        }
      g_ptr_array_add (bench->meeting_ids,
                       g_strdup (json_object_get_string_member_with_default (created, "meeting", "")));
    }

  return TRUE;
}

/* Bare connections speak the protocol with the participant's device key but
 * check nothing they receive: what a client costs the server without the
 * cost of a full client in this process.
 *
 * They stand in for the participants of the meetings that are not measured
 * (unless --all-full): those log in, join, attend and are admitted like
 * everyone else, then stay idle. Only meeting 0's participants are full
 * GremiumClients, because a full client verifies and applies every entry of
 * its meeting and a hundred of them in one process take most of a core.
 *
 * As probes, they measure delivery: a second connection for each of meeting
 * 0's participants but its chair (the server allows a few per member) that
 * subscribes to the meeting and notes when an entry frame arrives. Once the
 * probes stand in for the full clients, the figure is the server's own —
 * check, commit, sign, fan out over loopback.
 */

enum {
  BARE_HELLO,
  BARE_LOGIN,
  BARE_IDLE,        /* logged in */
  BARE_JOIN,
  BARE_ATTEND,
  BARE_READY,       /* subscribed (and attending unless a probe) */
  BARE_FAILED,
};

static void
bare_send (Participant *p,
           JsonObject  *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);

  soup_websocket_connection_send_text (p->connection, text);
}

typedef struct
{
  Participant *p;
  GError      *error;
} Done;

static gboolean
done_cb (gpointer data)
{
  Done *done = data;

  step_done (done->p, done->error);
  g_free (done);
  return G_SOURCE_REMOVE;
}

/* Like step_done(), from the probe thread too. */
static void
bare_done (Participant *p,
           GError      *error)
{
  g_autoptr(GSource) source = NULL;
  Done *done;

  if (!p->probe)
    {
      step_done (p, error);
      return;
    }

  done = g_new (Done, 1);
  done->p = p;
  done->error = error;
  source = g_idle_source_new ();
  g_source_set_callback (source, done_cb, done, NULL);
  g_source_attach (source, g_main_context_default ());
}

static void
bare_fail (Participant *p,
           const char  *message)
{
  if (p->stage == BARE_IDLE || p->stage == BARE_READY)
    g_atomic_int_inc (&p->bench->bare_lost);
  else if (p->stage != BARE_FAILED)
    bare_done (p, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "bare connection: %s", message));

  p->stage = BARE_FAILED;
}

static void
bare_request (Participant *p,
              const char  *type,
              gint64       id,
              gint64       from)
{
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "type", type);
  json_object_set_int_member (request, "id", id);
  json_object_set_string_member (request, "meeting", g_ptr_array_index (p->bench->meeting_ids, p->meeting));

  if (g_str_equal (type, "join"))
    {
      json_object_set_int_member (request, "from", from);
    }
  else
    {
      g_autoptr(GremiumStatement) statement = NULL;

      statement = gremium_statement_build (p->identity, GREMIUM_KIND_ATTENDANCE_JOIN,
                                           g_ptr_array_index (p->bench->meeting_ids, p->meeting),
                                           p->id, g_get_real_time (), NULL);
      json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));
    }

  bare_send (p, request);
}

static void
bare_message_cb (SoupWebsocketConnection *connection,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 Participant             *p)
{
  static const char entry_prefix[] = "{\"type\":\"entry\"";
  Bench *bench = p->bench;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *kind;
  const char *data;
  gsize len;

  data = g_bytes_get_data (message, &len);

  if (p->stage == BARE_READY)
    {
      /* The server writes "type" first; this is all the work a probe does. */
      if (p->probe && g_atomic_int_get (&bench->counting) && len > strlen (entry_prefix) &&
          memcmp (data, entry_prefix, strlen (entry_prefix)) == 0)
        {
          gint64 now = g_get_monotonic_time ();
          gboolean all;

          g_mutex_lock (&bench->probe_lock);
          if (bench->n_delivered++ == 0)
            bench->first_delivered = now;
          bench->last_delivered = now;
          all = bench->n_delivered == g_atomic_int_get (&bench->want_delivered);
          g_mutex_unlock (&bench->probe_lock);

          if (all)
            g_main_context_wakeup (g_main_context_default ());
        }
      return;
    }

  if (p->stage == BARE_FAILED)
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bare_fail (p, "malformed message from the server");
      return;
    }

  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "type", "");
  if (g_str_equal (kind, "error"))
    {
      bare_fail (p, json_object_get_string_member_with_default (object, "message", "error"));
      return;
    }

  /* Entries of the meeting arrive while joining and attending. */
  if (p->stage != BARE_HELLO && !g_str_equal (kind, "result"))
    return;

  switch (p->stage)
    {
    case BARE_HELLO:
      {
        g_autoptr(JsonObject) request = json_object_new ();
        g_autoptr(GremiumStatement) proof = NULL;
        JsonObject *server;

        if (!g_str_equal (kind, "hello") ||
            (server = json_object_get_object_member (object, "server")) == NULL)
          {
            bare_fail (p, "no greeting");
            return;
          }

        proof = gremium_auth_proof_new (p->identity, GREMIUM_AUTH_PURPOSE_LOGIN,
                                        json_object_get_string_member (server, "key"),
                                        json_object_get_string_member (object, "challenge"),
                                        p->id, g_get_real_time ());
        json_object_set_string_member (request, "type", "login");
        json_object_set_int_member (request, "id", 1);
        json_object_set_member (request, "proof", gremium_statement_to_json_node (proof));
        bare_send (p, request);
        p->stage = BARE_LOGIN;
        break;
      }

    case BARE_LOGIN:
      if (p->probe)
        {
          /* Subscribe without fetching the record: the probe checks nothing. */
          bare_request (p, "join", 2, p->probe_from);
          p->stage = BARE_JOIN;
        }
      else
        {
          p->stage = BARE_IDLE;
          bare_done (p, NULL);
        }
      break;

    case BARE_JOIN:
      if (p->probe)
        {
          p->stage = BARE_READY;
          bare_done (p, NULL);
        }
      else
        {
          bare_request (p, "submit", 3, 0);
          p->stage = BARE_ATTEND;
        }
      break;

    case BARE_ATTEND:
      p->stage = BARE_READY;
      bare_done (p, NULL);
      break;

    case BARE_IDLE:
      /* Nothing is expected before the join. */
      break;

    case BARE_READY:
    case BARE_FAILED:
    default:
      g_assert_not_reached ();
    }
}

static void
bare_closed_cb (SoupWebsocketConnection *connection,
                Participant             *p)
{
  bare_fail (p, "the server closed the connection");
}

static void
bare_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Participant *p = user_data;
  GError *error = NULL;

  p->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (p->connection == NULL)
    {
      p->stage = BARE_FAILED;
      bare_done (p, error);
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (p->connection, 16 * 1024 * 1024);
  g_signal_connect (p->connection, "message", G_CALLBACK (bare_message_cb), p);
  g_signal_connect (p->connection, "closed", G_CALLBACK (bare_closed_cb), p);
}

/* Connects and logs in; a probe also subscribes to meeting 0. */
static void
start_bare (Participant *p)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, p->bench->url);
  SoupSession *session = p->probe ? p->bench->probe_session : p->bench->bare_session;

  p->stage = BARE_HELLO;
  soup_session_websocket_connect_async (session, message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL, bare_connected_cb, p);
}

/* The probe thread. */

static gpointer
probe_thread_func (gpointer data)
{
  Bench *bench = data;

  g_main_context_push_thread_default (bench->probe_context);
  bench->probe_session = soup_session_new_with_options ("max-conns", n_participants + 16,
                                                        "max-conns-per-host", n_participants + 16,
                                                        NULL);
  g_main_loop_run (bench->probe_loop);
  g_clear_object (&bench->probe_session);
  g_main_context_pop_thread_default (bench->probe_context);

  return NULL;
}

static gboolean
start_probe_cb (gpointer data)
{
  start_bare (data);
  return G_SOURCE_REMOVE;
}

static void
start_probe (Participant *p)
{
  Participant *chair = g_ptr_array_index (p->bench->leaders, 0);

  p->bare = TRUE;
  p->probe = TRUE;
  p->probe_from = gremium_meeting_get_n_entries (chair->model);
  g_main_context_invoke (p->bench->probe_context, start_probe_cb, p);
}

static gboolean
stop_probes_cb (gpointer data)
{
  Bench *bench = data;

  for (guint i = 0; i < bench->participants->len; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);

      if (p->probe)
        bare_close (p);
    }

  g_main_loop_quit (bench->probe_loop);
  return G_SOURCE_REMOVE;
}

static void
probes_start_thread (Bench *bench)
{
  bench->probe_context = g_main_context_new ();
  bench->probe_loop = g_main_loop_new (bench->probe_context, FALSE);
  bench->probe_thread = g_thread_new ("probes", probe_thread_func, bench);
}

static void
probes_stop_thread (Bench *bench)
{
  if (bench->probe_thread == NULL)
    return;

  g_main_context_invoke (bench->probe_context, stop_probes_cb, bench);
  g_thread_join (g_steal_pointer (&bench->probe_thread));
  g_clear_pointer (&bench->probe_loop, g_main_loop_unref);
  g_clear_pointer (&bench->probe_context, g_main_context_unref);
}

/* Joins (fetching the record, as a client would) and attends. */
static void
bare_join (Participant *p)
{
  bare_request (p, "join", 2, 0);
  p->stage = BARE_JOIN;
}

static void
bare_close (Participant *p)
{
  if (p->connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (p->connection, p);
  if (soup_websocket_connection_get_state (p->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (p->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&p->connection);
}

/* Measured chair actions. */

struct _Series
{
  const char *what;
  guint       want_applied;      /* full clients that must apply the entry */
  guint       want_delivered;    /* probes that must receive it */
  GArray     *last;              /* ms until the last of them */
  GArray     *first;             /* ms until the first of them */
  GArray     *receipt;           /* ms until the chair's verified receipt */
  double      server_cpu;        /* s, over all rounds */
  double      own_cpu;           /* s, over all rounds */
  double      seconds;
};

static void
series_clear (Series *series)
{
  g_clear_pointer (&series->last, g_array_unref);
  g_clear_pointer (&series->first, g_array_unref);
  g_clear_pointer (&series->receipt, g_array_unref);
}

static void
entry_applied_cb (GremiumMeeting     *model,
                  GremiumRecordEntry *entry,
                  gpointer            user_data)
{
  Bench *bench = user_data;
  gint64 now;

  if (!g_atomic_int_get (&bench->counting) ||
      gremium_record_entry_get_index (entry) != bench->expected_index)
    return;

  now = g_get_monotonic_time ();
  if (bench->n_applied++ == 0)
    bench->first_applied = now;
  bench->last_applied = now;
}

static void
round_answered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Bench *bench = user_data;

  bench->receipt = g_get_monotonic_time ();
  bench->answered = TRUE;
  gremium_client_submit_finish (GREMIUM_CLIENT (object), result, NULL, &bench->round_error);
}

static gboolean
round_complete (gpointer data)
{
  Bench *bench = data;
  Series *series = bench->series;
  guint n_delivered;

  g_mutex_lock (&bench->probe_lock);
  n_delivered = bench->n_delivered;
  g_mutex_unlock (&bench->probe_lock);

  return bench->round_error != NULL ||
         (bench->answered &&
          bench->n_applied >= series->want_applied &&
          n_delivered >= series->want_delivered);
}

/* Three actions a chair takes all the time, in turn so that each is valid:
 * giving the floor, calling an agenda item (which also clears the speakers
 * list) and a chat message.
 */
static JsonObject *
chair_action (Bench       *bench,
              guint        round,
              const char **kind)
{
  Participant *chair = g_ptr_array_index (bench->leaders, 0);
  JsonObject *data = json_object_new ();

  switch (round % 3)
    {
    case 0:
      {
        /* Participants 1… of meeting 0 follow its chair in the array. */
        guint index = 1 + (round / 3) % (bench->n_measured - 1);
        Participant *speaker = g_ptr_array_index (bench->participants, index);

        *kind = GREMIUM_KIND_SPEAKERS_GRANT;
        json_object_set_string_member (data, "member", speaker->id);
        json_object_set_int_member (data, "limit", 300);
        break;
      }

    case 1:
      {
        GremiumAgendaItem *current = gremium_meeting_get_current_item (chair->model);

        *kind = GREMIUM_KIND_AGENDA_SELECT;
        json_object_set_int_member (data, "item",
                                    current != NULL && gremium_agenda_item_get_id (current) == 1 ? 2 : 1);
        break;
      }

    default:
      {
        g_autofree char *text = g_strdup_printf ("Hinweis %u der Sitzungsleitung", round);

        *kind = GREMIUM_KIND_CHAT_MESSAGE;
        json_object_set_string_member (data, "text", text);
        break;
      }
    }

  return data;
}

static gboolean
measure_rounds (Bench    *bench,
                Series   *series,
                GError  **error)
{
  Participant *chair = g_ptr_array_index (bench->leaders, 0);
  guint total_rounds = n_warmup + n_rounds;
  double server_cpu = process_cpu_seconds (server_pid (bench));
  double own_cpu = own_cpu_seconds ();
  gint64 started = g_get_monotonic_time ();
  gint64 next_round = started;

  series->last = g_array_new (FALSE, FALSE, sizeof (double));
  series->first = g_array_new (FALSE, FALSE, sizeof (double));
  series->receipt = g_array_new (FALSE, FALSE, sizeof (double));
  bench->series = series;

  for (guint round = 0; round < total_rounds; round++)
    {
      g_autoptr(JsonObject) data = NULL;
      const char *kind = NULL;
      gint64 submitted;
      gint64 first = G_MAXINT64;
      gint64 last = 0;
      double value;

      /* Keep the chair under the server's rate limit, and let the loop run
       * meanwhile (keep-alives, the tail of the last round).
       */
      if (g_get_monotonic_time () < next_round)
        run_loop_for ((next_round - g_get_monotonic_time ()) / 1000 + 1);

      data = chair_action (bench, round, &kind);
      bench->expected_index = gremium_meeting_get_n_entries (chair->model);
      bench->n_applied = 0;
      bench->answered = FALSE;
      g_mutex_lock (&bench->probe_lock);
      bench->n_delivered = 0;
      g_mutex_unlock (&bench->probe_lock);
      g_atomic_int_set (&bench->want_delivered, series->want_delivered);
      g_atomic_int_set (&bench->counting, TRUE);

      submitted = g_get_monotonic_time ();
      next_round = submitted + ROUND_INTERVAL_MS * 1000;
      gremium_client_submit_async (chair->client, g_ptr_array_index (bench->meeting_ids, 0), kind,
                                   data, NULL, round_answered_cb, bench);

      if (!wait_until (round_complete, bench, ROUND_TIMEOUT_MS))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "%s, round %u (%s): %u of %u clients applied the entry and %u of %u "
                       "connections received it within %d s", series->what, round, kind,
                       bench->n_applied, series->want_applied, bench->n_delivered,
                       series->want_delivered, ROUND_TIMEOUT_MS / 1000);
          return FALSE;
        }

      g_atomic_int_set (&bench->counting, FALSE);
      if (bench->round_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&bench->round_error),
                                      "%s, round %u (%s): ", series->what, round, kind);
          return FALSE;
        }

      if (g_atomic_int_get (&bench->bare_lost) > 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "%s: the server closed %d bare connections", series->what,
                       g_atomic_int_get (&bench->bare_lost));
          return FALSE;
        }

      if (round < (guint) n_warmup)
        continue;

      if (series->want_applied > 0)
        {
          first = MIN (first, bench->first_applied);
          last = MAX (last, bench->last_applied);
        }
      if (series->want_delivered > 0)
        {
          g_mutex_lock (&bench->probe_lock);
          first = MIN (first, bench->first_delivered);
          last = MAX (last, bench->last_delivered);
          g_mutex_unlock (&bench->probe_lock);
        }

      value = (last - submitted) / 1000.0;
      g_array_append_val (series->last, value);
      value = (first - submitted) / 1000.0;
      g_array_append_val (series->first, value);
      value = (bench->receipt - submitted) / 1000.0;
      g_array_append_val (series->receipt, value);
    }

  series->server_cpu = process_cpu_seconds (server_pid (bench)) - server_cpu;
  series->own_cpu = own_cpu_seconds () - own_cpu;
  series->seconds = ms_since (started) / 1000.0;
  bench->series = NULL;

  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values. */
static double
percentile (GArray *sorted,
            guint   p)
{
  guint rank = (p * sorted->len + 99) / 100;

  return g_array_index (sorted, double, CLAMP (rank, 1, sorted->len) - 1);
}

static void
print_distribution (const char *what,
                    GArray     *values)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-32s p50 %6.2f ms   p90 %6.2f ms   p99 %6.2f ms   max %6.2f ms\n", what,
          percentile (values, 50), percentile (values, 90), percentile (values, 99),
          g_array_index (values, double, values->len - 1));
}

static void
print_series (Bench      *bench,
              Series     *series,
              const char *last_what,
              const char *first_what)
{
  guint total_rounds = n_warmup + n_rounds;

  print_distribution (last_what, series->last);
  print_distribution (first_what, series->first);
  print_distribution ("chair's verified receipt", series->receipt);
  printf ("  server CPU per action          %6.2f ms\n", series->server_cpu * 1000 / total_rounds);
  printf ("  this process's CPU per action  %6.2f ms\n", series->own_cpu * 1000 / total_rounds);
}

/* With @since, also the growth per connection. */
static void
print_memory (const char   *what,
              const Memory *memory,
              const Memory *since,
              guint         n)
{
  g_autofree char *label = n > 0 ? g_strdup_printf ("%u %s", n, what) : g_strdup (what);

  printf ("  %-34s %7.1f MiB", label, memory->rss / 1024.0);
  if (memory->pss > 0)
    printf (" / %7.1f MiB", memory->pss / 1024.0);

  if (since != NULL)
    {
      printf ("   %6.1f", ((double) memory->rss - since->rss) / n);
      if (memory->pss > 0 && since->pss > 0)
        printf (" / %6.1f", ((double) memory->pss - since->pss) / n);
      printf (" KiB each");
    }

  printf ("\n");
}

/* Everything but the set-up of the data folder. */
static gboolean
bench_run (Bench   *bench,
           GError **error)
{
  g_autoptr(GPtrArray) leaders = g_ptr_array_new ();
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GPtrArray) measured = g_ptr_array_new ();
  Participant *chair = g_ptr_array_index (bench->leaders, 0);
  Series applied = { "applied by full clients", 0, };
  Series delivered = { "delivered to bare connections", 0, };
  Memory at_start, logged_in, joined, at_end;
  guint held_logged_in, held_joined, held_end, held_probes;
  double server_cpu_start, server_cpu_end;
  double per_idle_rss;
  double applied_p50, applied_p99, delivered_p50, delivered_p99;
  double client_ms;
  guint64 size_before;
  gboolean latency_met, memory_met;
  guint total_rounds = n_warmup + n_rounds;
  guint n = bench->participants->len;
  gboolean ok = FALSE;

  for (guint i = 0; i < n; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);

      g_ptr_array_add (p->leads ? leaders : members, p);
      if (p->meeting == 0 && !p->leads)
        g_ptr_array_add (measured, p);
    }

  if (!server_start (bench, error))
    return FALSE;

  printf ("\nMeasuring (server pid %s, %s):\n", server_pid (bench), bench->url);
  run_loop_for (SETTLE_MS);
  read_memory (bench, &at_start);
  server_cpu_start = process_cpu_seconds (server_pid (bench));

  /* All at once, as after a restart of the server when every client
   * reconnects.
   */
  if (!run_step (bench, "log in all participants at once", bench->participants, start_login,
                 n, error))
    return FALSE;

  run_loop_for (SETTLE_MS);
  read_memory (bench, &logged_in);
  held_logged_in = count_server_connections (bench);

  if (!run_step (bench, "chairs join and attend", leaders, start_join, CONNECT_CONCURRENCY, error) ||
      !run_step (bench, "chairs open their meeting", leaders, start_open, CONNECT_CONCURRENCY, error) ||
      !run_step (bench, "members join and attend (lobby)", members, start_join,
                 CONNECT_CONCURRENCY, error) ||
      !run_step (bench, "chairs admit everyone", members, start_admit, 4 * CONNECT_CONCURRENCY,
                 error))
    return FALSE;

  if (!wait_until (all_in_step, bench, STEP_TIMEOUT_MS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "Not every participant received the whole record");
      return FALSE;
    }

  for (guint k = 0; k < bench->leaders->len; k++)
    {
      guint expected = 0;

      for (guint i = 0; i < n; i++)
        expected += ((Participant *) g_ptr_array_index (bench->participants, i))->meeting == k;

      if (count_present (bench, k) != expected)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Meeting %u has %u participants present, not %u", k,
                       count_present (bench, k), expected);
          return FALSE;
        }
    }

  run_loop_for (SETTLE_MS);
  read_memory (bench, &joined);
  held_joined = count_server_connections (bench);

  /* 1. The chair's action until every full client of meeting 0 applied it. */
  for (guint i = 0; i < bench->n_measured; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);

      g_signal_connect (p->model, "entry-applied", G_CALLBACK (entry_applied_cb), bench);
    }

  applied.want_applied = bench->n_measured;
  if (!measure_rounds (bench, &applied, error))
    goto out;

  for (guint i = 0; i < bench->n_measured; i++)
    {
      Participant *p = g_ptr_array_index (bench->participants, i);

      if (p != chair)
        g_signal_handlers_disconnect_by_func (p->model, entry_applied_cb, bench);
    }

  run_loop_for (SETTLE_MS);
  read_memory (bench, &at_end);
  held_end = count_server_connections (bench);

  if (count_connected (bench) != n || held_end != n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Connections were lost: %u of %u clients connected, the server holds %u",
                   count_connected (bench), n, held_end);
      goto out;
    }

  /* 2. The same with bare connections in place of meeting 0's full clients.
   * They subscribe before the full clients go, so the members stay present
   * (the server records a lost connection only for a member's last one).
   */
  size_before = gremium_meeting_get_n_entries (chair->model);
  probes_start_thread (bench);
  if (!run_step (bench, "probes for meeting 0's members", measured, start_probe,
                 CONNECT_CONCURRENCY, error))
    goto out;

  for (guint i = 0; i < measured->len; i++)
    {
      Participant *p = g_ptr_array_index (measured, i);

      gremium_client_disconnect (p->client);
      g_clear_object (&p->client);
      p->model = NULL;
    }

  run_loop_for (SETTLE_MS);
  held_probes = count_server_connections (bench);
  if (gremium_meeting_get_n_entries (chair->model) != size_before || held_probes != n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Replacing the full clients changed the meeting (%" G_GUINT64_FORMAT
                   " entries, was %" G_GUINT64_FORMAT ") or the connections (%u, not %u)",
                   gremium_meeting_get_n_entries (chair->model), size_before, held_probes, n);
      goto out;
    }

  delivered.want_applied = 1;
  delivered.want_delivered = measured->len;
  if (!measure_rounds (bench, &delivered, error))
    goto out;

  server_cpu_end = process_cpu_seconds (server_pid (bench));

  /* The report. */
  per_idle_rss = ((double) joined.rss - at_start.rss) / n;
  client_ms = applied.own_cpu * 1000 / total_rounds / bench->n_measured;

  printf ("\nConnections held by the server (established TCP sockets of pid %s on port %u):\n",
          server_pid (bench), bench->port);
  printf ("  %u logged in, %u joined and attending, %u after the rounds, %u with the probes "
          "(of %u participants)\n",
          held_logged_in, held_joined, held_end, held_probes, n);

  printf ("\nChair action → the %u participants of meeting 0 (speakers.grant, agenda.select and "
          "chat.message in turn;\n%d rounds after %d warm-up, one every %d ms at most):\n",
          bench->n_measured, n_rounds, n_warmup, ROUND_INTERVAL_MS);
  printf ("\n1. Until all %u full clients (GremiumClient, in this process) applied it:\n",
          bench->n_measured);
  print_series (bench, &applied, "last client applied it", "first client applied it");
  printf ("  Every client parses the entry, verifies its signature and the signed checkpoint\n"
          "  and applies it: about %.2f ms of CPU per client here, done one after another\n"
          "  because the clients and the measurement share this one process (the server has\n"
          "  the other core of %ld). On their own devices they would work in parallel.\n",
          client_ms, sysconf (_SC_NPROCESSORS_ONLN));
  printf ("\n2. Until the chair's client applied it and %u probes received the frame:\n",
          measured->len);
  print_series (bench, &delivered, "last connection received it", "first connection received it");
  printf ("  This is the server's part: check, commit with fsync (data folder on %s),\n"
          "  sign a checkpoint, send to %u connections over loopback.\n",
          filesystem_name (bench->dir), bench->n_measured);

  printf ("\nServer memory (VmRSS%s):\n", at_start.pss > 0 ? " / Pss, from smaps_rollup" : "");
  print_memory ("after start", &at_start, NULL, 0);
  print_memory ("connections logged in", &logged_in, &at_start, n);
  print_memory ("joined and attending (idle)", &joined, &at_start, n);
  print_memory ("after the first rounds", &at_end, NULL, 0);
  printf ("  (“each” is the growth since the start divided by %u; for joined connections it\n"
          "  includes the %d meetings' records, rosters and attendance.)\n", n, n_meetings);
  printf ("Server CPU: %.2f s from start to the end of the rounds\n",
          server_cpu_end - server_cpu_start);

  g_array_sort (applied.last, compare_doubles);
  g_array_sort (delivered.last, compare_doubles);
  applied_p50 = percentile (applied.last, 50);
  applied_p99 = percentile (applied.last, 99);
  delivered_p50 = percentile (delivered.last, 50);
  delivered_p99 = percentile (delivered.last, 99);
  latency_met = delivered_p99 < TARGET_P99_MS;
  memory_met = per_idle_rss < TARGET_KIB_PER_CONNECTION;

  printf ("\nconnections held: %u | chair action → %u participants: delivered p50 %.1f ms, "
          "p99 %.1f ms (target p99 < %.0f ms: %s); applied by %u in-process clients p50 %.1f ms, "
          "p99 %.1f ms | server memory per idle connection: %.0f KiB (target < %.0f KiB: %s) | "
          "server CPU: %.2f ms per action, %.1f s in total\n",
          held_joined, bench->n_measured, delivered_p50, delivered_p99, TARGET_P99_MS,
          latency_met ? "met" : "MISSED", bench->n_measured, applied_p50, applied_p99,
          per_idle_rss, TARGET_KIB_PER_CONNECTION, memory_met ? "met" : "MISSED",
          delivered.server_cpu * 1000 / total_rounds, server_cpu_end - server_cpu_start);

  if (!latency_met)
    printf ("TARGET MISSED: the server delivers to %u participants with p99 %.1f ms, not under %.0f ms\n",
            bench->n_measured, delivered_p99, TARGET_P99_MS);
  if (applied_p99 >= TARGET_P99_MS)
    printf ("Above the target: applied by all %u simulated clients p99 %.1f ms — %.1f ms of each "
            "action is their own CPU time in this one process\n",
            bench->n_measured, applied_p99, client_ms * bench->n_measured);
  if (!memory_met)
    printf ("TARGET MISSED: %.0f KiB per idle connection is not under %.0f KiB\n",
            per_idle_rss, TARGET_KIB_PER_CONNECTION);

  ok = TRUE;

out:
  series_clear (&applied);
  series_clear (&delivered);
  return ok;
}

static char *
default_server_path (void)
{
  const char *env = g_getenv ("GREMIUM_SERVER");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_strdup (GREMIUM_SERVER_PATH);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- benchmark gremium-server");
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  guint fd_limit;
  guint base;
  guint extra;
  gint64 started;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
                                "Starts gremium-server on a fresh data folder, connects simulated "
                                "participants\nand measures how fast a chair's action reaches a "
                                "meeting and the server's memory.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-server: %s\n", error->message);
      return 2;
    }

  if (n_meetings < 1 || n_participants < 2 * n_meetings || n_rounds < 1 || n_warmup < 0)
    {
      g_printerr ("bench-server: need at least one meeting, two participants per meeting "
                  "and one round\n");
      return 2;
    }

  /* Meeting k's roster holds the members of meetings 0…k. */
  if (n_participants > GREMIUM_MAX_ROSTER_SIZE)
    {
      g_printerr ("bench-server: at most %d participants (the largest roster a meeting may have)\n",
                  GREMIUM_MAX_ROSTER_SIZE);
      return 2;
    }

  if (server_path == NULL)
    server_path = default_server_path ();

  if (!g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("bench-server: no gremium-server at %s (use --server or GREMIUM_SERVER)\n",
                  server_path);
      return 2;
    }

  if (!gremium_crypto_init (&error))
    {
      g_printerr ("bench-server: %s\n", error->message);
      return 1;
    }

  /* A socket per participant, another per probe, and some to spare. */
  fd_limit = raise_fd_limit (2 * n_participants + 128);
  if (fd_limit < 2 * (guint) n_participants + 64)
    {
      g_printerr ("bench-server: the file descriptor limit (%u) is too low for %d participants; "
                  "raise it with “ulimit -n”\n", fd_limit, n_participants);
      return 1;
    }

  bench.dir = g_dir_make_tmp ("gremium-bench-XXXXXX", &error);
  if (bench.dir == NULL)
    {
      g_printerr ("bench-server: %s\n", error->message);
      return 1;
    }

  /* Participants are ordered by meeting, each meeting's chair (or deputy)
   * first; meeting 0 gets any remainder, so it is the largest.
   */
  g_mutex_init (&bench.probe_lock);
  bench.participants = g_ptr_array_new_with_free_func ((GDestroyNotify) participant_free);
  bench.leaders = g_ptr_array_new ();
  bench.meeting_ids = g_ptr_array_new_with_free_func (g_free);
  bench.bare_session = soup_session_new_with_options ("max-conns", n_participants + 16,
                                                       "max-conns-per-host", n_participants + 16,
                                                       NULL);
  base = n_participants / n_meetings;
  extra = n_participants % n_meetings;
  for (guint k = 0; k < (guint) n_meetings; k++)
    {
      guint size = base + (k == 0 ? extra : 0);

      for (guint i = 0; i < size; i++)
        {
          Participant *p = g_new0 (Participant, 1);

          p->bench = &bench;
          p->meeting = k;
          p->leads = i == 0;
          p->bare = k > 0 && !p->leads && !all_full;
          p->identity = gremium_identity_new ();
          p->id = i == 0 ? (k == 0 ? g_strdup ("chair") : g_strdup_printf ("deputy-%u", k))
                         : g_strdup_printf ("m%u-%03u", k, i);
          g_ptr_array_add (bench.participants, p);
          if (p->leads)
            g_ptr_array_add (bench.leaders, p);
        }
    }
  bench.n_measured = base + extra;

  printf ("Gremium server benchmark\n");
  printf ("  server        %s\n", server_path);
  printf ("  data folder   %s (%s)\n", bench.dir, filesystem_name (bench.dir));
  printf ("  participants  %d in %d meetings, %u in the measured meeting\n",
          n_participants, n_meetings, bench.n_measured);
  printf ("  clients       %s\n",
          all_full ? "all full GremiumClients"
                   : "full GremiumClients in meeting 0, bare connections in the others");
  printf ("  rounds        %d measured after %d warm-up\n", n_rounds, n_warmup);
  printf ("  fd limit      %u (inherited by the server)\n", fd_limit);
  printf ("\nSetting up:\n");
  fflush (stdout);

  started = g_get_monotonic_time ();
  ok = create_council (&bench, &error) && bench_run (&bench, &error);

  probes_stop_thread (&bench);
  server_stop (&bench);
  g_ptr_array_unref (bench.participants);
  g_ptr_array_unref (bench.leaders);
  g_ptr_array_unref (bench.meeting_ids);
  g_clear_object (&bench.bare_session);
  g_mutex_clear (&bench.probe_lock);

  fflush (stdout);
  if (!ok)
    {
      g_printerr ("bench-server: %s\n", error->message);
      g_printerr ("bench-server: the data folder and the server's logs are in %s\n", bench.dir);
    }
  else
    {
      printf ("(whole run: %.1f s)\n", ms_since (started) / 1000.0);
      if (keep_data)
        printf ("Data folder kept: %s\n", bench.dir);
      else
        remove_tree (bench.dir);
    }

  g_free (bench.dir);
  g_free (bench.server_key);
  g_free (bench.url);
  g_free (server_path);

  return ok ? 0 : 1;
}
