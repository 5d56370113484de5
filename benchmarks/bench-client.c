/* bench-client.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_GREMIUM_MEDIA
# include <gst/gst.h>

# include "gremium-call.h"
# include "gremium-call-peer.h"
# include "gremium-client.h"
# include "gremium-crypto.h"
# include "gremium-media.h"
# include "gremium-media-key-agent.h"
# include "gremium-media-keyring.h"
# include "gremium-media-source.h"
# include "gremium-meeting.h"
# include "gremium-server.h"
# include "gremium-server-config.h"
# include "gremium-server-database.h"
# include "gremium-server-meeting.h"
#endif

/* bench-client: how long the desktop client takes from launch to its first
 * painted window, over several runs (the binary prints the time of its first
 * frame when GREMIUM_BENCH_FIRST_FRAME is set, then quits); then, with the
 * media library, the client's CPU and memory in a four-party call: the
 * client joins a meeting on an in-process server where three headless
 * participants (the media library, as the demo's simulated members) send it
 * test pictures and tones, and it sends its own.
 *
 * It needs a display; without one it runs itself under "xvfb-run -a".
 */

static int runs = 7;
static int seconds = 20;
static gboolean no_call;
/* Shared by every run: the GStreamer registry is built once (by the warm-up
 * run), as on a user's machine after the first start.
 */
static char *cache_dir;

static int
compare (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static const char *
client_path (void)
{
  return g_getenv ("GREMIUM_CLIENT") ? g_getenv ("GREMIUM_CLIENT") : GREMIUM_CLIENT_PATH;
}

static GSubprocessLauncher *
client_launcher (GSubprocessFlags  flags,
                 const char       *home)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  /* The uninstalled client finds its schema in the build tree. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", GREMIUM_SCHEMA_DIR, FALSE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);

  return launcher;
}

static gint64
run_once (gint64 *wall)
{
  g_autofree char *tmp = g_dir_make_tmp ("gremium-bench-client-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = client_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                             tmp);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *command = NULL;
  const char *line;
  gint64 start = g_get_monotonic_time ();

  g_subprocess_launcher_setenv (launcher, "GREMIUM_BENCH_FIRST_FRAME", "1", TRUE);

  process = g_subprocess_launcher_spawn (launcher, &error, client_path (), NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("Cannot run %s: %s", client_path (), error->message);

  *wall = g_get_monotonic_time () - start;
  line = out ? strstr (out, "first-frame-us ") : NULL;
  if (line == NULL)
    g_error ("%s printed no first-frame time", client_path ());

  command = g_strdup_printf ("rm -rf '%s'", tmp);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
    g_warning ("Cannot remove %s", tmp);

  return g_ascii_strtoll (line + strlen ("first-frame-us "), NULL, 10);
}

static void
measure_launch (void)
{
  g_autofree gint64 *first = g_new (gint64, runs);
  g_autofree gint64 *wall = g_new (gint64, runs);

  /* One run to warm the file cache, as a user's second start would be. */
  run_once (&wall[0]);
  for (int i = 0; i < runs; i++)
    first[i] = run_once (&wall[i]);

  qsort (first, runs, sizeof first[0], compare);
  qsort (wall, runs, sizeof wall[0], compare);
  g_print ("client start to first painted window: median %.1f ms (min %.1f, max %.1f) over %d runs\n",
           first[runs / 2] / 1000.0, first[0] / 1000.0, first[runs - 1] / 1000.0, runs);
  g_print ("process launch to exit after the first frame: median %.1f ms\n",
           wall[runs / 2] / 1000.0);
}

#ifdef HAVE_GREMIUM_MEDIA

#define N_HEADLESS 3
#define APP_MEMBER "a03"

static const char * const headless_ids[N_HEADLESS] = { "chair", "m01", "m02" };

typedef struct
{
  char                  *dir;
  GremiumServerConfig   *config;
  GremiumServerDatabase *db;
  GremiumIdentity       *identity;
  GremiumServer         *server;
  char                  *url;
  char                  *meeting_id;

  GremiumClient          *clients[N_HEADLESS];
  GremiumMediaKeyAgent   *agents[N_HEADLESS];
  GremiumMediaSource     *sources[N_HEADLESS];
  GremiumCall            *calls[N_HEADLESS];

  GSubprocess *app;
  gboolean     app_ended;
} Bench;

static void
submit (GremiumClient *client,
        const char    *meeting_id,
        const char    *kind,
        JsonObject    *data)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gremium_client_submit_async (client, meeting_id, kind, data, NULL, bench_result_cb, &result);
  if (!gremium_client_submit_finish (client, bench_wait_result (&result), NULL, &error))
    g_error ("Cannot submit %s: %s", kind, error->message);
}

static void
admit (Bench      *b,
       const char *member_id)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "member", member_id);
  submit (b->clients[0], b->meeting_id, GREMIUM_KIND_LOBBY_ADMIT, data);
}

static char *
add_member (Bench       *b,
            const char  *id,
            GremiumRole  role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Person %s", id);
  char *code = gremium_enrolment_code_generate ();

  if (!gremium_server_database_add_member (b->db, id, name, role, &error) ||
      !gremium_server_database_add_enrolment_code (b->db, id, code,
                                                   g_get_real_time () + G_TIME_SPAN_DAY, &error))
    g_error ("Cannot add %s: %s", id, error->message);

  return code;
}

static GremiumClient *
enrol (Bench           *b,
       const char      *id,
       const char      *code,
       GremiumIdentity *identity)
{
  g_autoptr(GremiumClient) client = gremium_client_new (b->url, identity, id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gremium_client_enrol_async (client, code, NULL, bench_result_cb, &result);
  if (!gremium_client_enrol_finish (client, bench_wait_result (&result), &error))
    g_error ("Cannot enrol %s: %s", id, error->message);

  return g_steal_pointer (&client);
}

/* The server, four members, and the three headless participants seated and
 * calling: the chair opens the meeting and admits the others.
 */
static void
setup_call (Bench      *b,
            const char *key_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *app_code = NULL;
  GremiumServerAgendaItemSpec item = { .title = "Bericht", .is_public = TRUE };

  b->dir = g_dir_make_tmp ("gremium-bench-call-XXXXXX", &error);
  g_assert_no_error (error);
  b->config = gremium_server_config_new_default ();
  g_free (b->config->data_dir);
  b->config->data_dir = g_strdup (b->dir);
  b->config->port = 0;
  db_path = gremium_server_config_dup_database_path (b->config);
  b->db = gremium_server_database_open (db_path, &error);
  g_assert_no_error (error);
  b->identity = gremium_identity_new ();
  b->server = gremium_server_new (b->config, b->db, b->identity);
  gremium_server_listen (b->server, &error);
  g_assert_no_error (error);
  b->url = gremium_server_dup_url (b->server);

  for (guint i = 0; i < N_HEADLESS; i++)
    {
      g_autofree char *code = add_member (b, headless_ids[i],
                                          i == 0 ? GREMIUM_ROLE_CHAIR : GREMIUM_ROLE_MEMBER);
      g_autoptr(GremiumIdentity) identity = gremium_identity_new ();

      b->clients[i] = enrol (b, headless_ids[i], code, identity);
    }

  /* The desktop client's device key, enrolled here and handed over as a
   * file (as the demo does), so that it signs in without a keyring.
   */
  app_code = add_member (b, APP_MEMBER, GREMIUM_ROLE_MEMBER);
  {
    g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
    g_autoptr(GremiumClient) client = NULL;

    if (!gremium_identity_save (identity, key_path, &error))
      g_error ("Cannot write the client's key: %s", error->message);
    client = enrol (b, APP_MEMBER, app_code, identity);
    gremium_client_disconnect (client);
  }

  b->meeting_id = gremium_server_meeting_create (b->db, b->identity, b->config->name,
                                                 "Benchmark", "Gemeinderat", "Loopback",
                                                 g_get_real_time (), GREMIUM_QUORUM_BASE_MEMBERS,
                                                 &item, 1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_HEADLESS; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GremiumMeeting) meeting = NULL;
      GremiumMediaKeyring *keyring;

      gremium_client_join_meeting_async (b->clients[i], b->meeting_id, NULL, bench_result_cb, &result);
      meeting = gremium_client_join_meeting_finish (b->clients[i], bench_wait_result (&result), &error);
      g_assert_no_error (error);

      /* The key agent before the seat, as the application does. */
      b->agents[i] = gremium_media_key_agent_new (b->clients[i], b->meeting_id);
      submit (b->clients[i], b->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
      if (i == 0)
        submit (b->clients[0], b->meeting_id, GREMIUM_KIND_MEETING_OPEN, NULL);
      else
        admit (b, headless_ids[i]);

      b->sources[i] = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                                    "video-source", GREMIUM_MEDIA_SOURCE_TEST,
                                    "audio-source", GREMIUM_MEDIA_SOURCE_TEST,
                                    "test-pattern", "ball",
                                    "test-frequency", 440.0 + 110 * i,
                                    NULL);
      b->calls[i] = gremium_call_new (b->clients[i], b->meeting_id, b->sources[i]);
      gremium_call_set_audio_sink (b->calls[i], "fakesink sync=false");
      keyring = gremium_media_key_agent_get_keyring (b->agents[i]);
      gremium_call_set_sender (b->calls[i], gremium_media_keyring_get_sender (keyring));
      /* Only the chair decodes, and only the desktop client: the proof
       * that the client sends. The others' streams from the client arrive
       * and are dropped undecrypted, which costs them next to nothing.
       */
      if (i == 0)
        gremium_call_set_member_receiver (b->calls[i], APP_MEMBER,
                                          gremium_media_keyring_get_member_receiver (keyring,
                                                                                     APP_MEMBER));
      if (!gremium_call_start (b->calls[i], &error))
        g_error ("Cannot start a headless call: %s", error->message);
    }
  bench_iterate (500);
}

static void
app_ended_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *b = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  b->app_ended = TRUE;
}

static void
start_app (Bench      *b,
           const char *key_path)
{
  /* GREMIUM_BENCH_CLIENT_LOG=1 shows what the client logs. */
  g_autoptr(GSubprocessLauncher) launcher = client_launcher (
    g_getenv ("GREMIUM_BENCH_CLIENT_LOG") ? G_SUBPROCESS_FLAGS_NONE
                                          : G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
    b->dir);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "GREMIUM_SECRET_STORE", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "GREMIUM_VIDEO_SOURCE", "test", TRUE);
  g_subprocess_launcher_setenv (launcher, "GREMIUM_AUDIO_SOURCE", "test", TRUE);
  /* Played in time, as a sound card would take it. */
  g_subprocess_launcher_setenv (launcher, "GREMIUM_AUDIO_SINK", "fakesink sync=true", TRUE);

  b->app = g_subprocess_launcher_spawn (launcher, &error, client_path (),
                                        "--server", b->url, "--member", APP_MEMBER,
                                        "--identity", key_path, "--meeting", b->meeting_id, NULL);
  if (b->app == NULL)
    g_error ("Cannot start %s: %s", client_path (), error->message);
  g_subprocess_wait_async (b->app, NULL, app_ended_cb, b);
}

static gboolean
app_in (Bench           *b,
        GremiumPresence  presence)
{
  GremiumMeeting *meeting = gremium_client_get_meeting (b->clients[0], b->meeting_id);
  GremiumMember *member = gremium_meeting_lookup_member (meeting, APP_MEMBER);

  return member != NULL && gremium_member_get_presence (member) == presence;
}

/* Every headless participant is connected to the client, and the chair
 * decodes the client's picture.
 */
static gboolean
call_up (Bench *b)
{
  for (guint i = 0; i < N_HEADLESS; i++)
    {
      GremiumCallPeer *peer = gremium_call_lookup_peer (b->calls[i], APP_MEMBER);
      GremiumCallPeerStats stats;

      if (peer == NULL || gremium_call_peer_get_state (peer) != GREMIUM_CALL_PEER_STATE_CONNECTED)
        return FALSE;
      if (i == 0)
        {
          gremium_call_peer_get_stats (peer, &stats);
          if (stats.video_frames < 30)
            return FALSE;
        }
    }

  return TRUE;
}

static void
wait_until (Bench       *b,
            gboolean   (*done) (Bench *b),
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (b))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      if (b->app_ended)
        g_error ("The client ended while waiting until %s", what);
      bench_iterate (100);
    }
}

static gboolean
app_in_lobby (Bench *b)
{
  return app_in (b, GREMIUM_PRESENCE_LOBBY);
}

/* User + system CPU of a process in seconds, from /proc/PID/stat. */
static double
process_cpu (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    g_error ("Cannot read %s", path);

  /* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    g_error ("Cannot parse %s", path);

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/* Resident memory of a process in KiB, from /proc/PID/status. */
static guint64
process_rss (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    g_error ("Cannot read %s", path);

  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static double
self_cpu (void)
{
  return process_cpu ("self");
}

static void
measure_call (void)
{
  Bench b = { 0 };
  g_autofree char *key_dir = g_dir_make_tmp ("gremium-bench-key-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (key_dir, "client.key", NULL);
  g_autofree char *command = NULL;
  const char *pid;
  double cpu0, cpu1, own0, own1;
  gint64 t0, t1, admitted;
  guint64 rss_sum = 0, rss_max = 0, rss_start;
  guint n_rss = 0;

  setup_call (&b, key_path);
  start_app (&b, key_path);
  pid = g_subprocess_get_identifier (b.app);

  wait_until (&b, app_in_lobby, "the client waited in the lobby");
  admit (&b, APP_MEMBER);
  admitted = g_get_monotonic_time ();
  wait_until (&b, call_up, "the call of four was up");
  g_print ("four-party call up %.1f s after admission; settling 3 s\n",
           (g_get_monotonic_time () - admitted) / (double) G_USEC_PER_SEC);
  bench_iterate (3000);

  rss_start = process_rss (pid);
  cpu0 = process_cpu (pid);
  own0 = self_cpu ();
  t0 = g_get_monotonic_time ();
  for (int s = 0; s < seconds; s++)
    {
      guint64 rss;

      bench_iterate (1000);
      rss = process_rss (pid);
      rss_sum += rss;
      rss_max = MAX (rss_max, rss);
      n_rss++;
    }
  cpu1 = process_cpu (pid);
  own1 = self_cpu ();
  t1 = g_get_monotonic_time ();

  if (!call_up (&b))
    g_error ("The call broke down while measuring");

  g_print ("client in a four-party call (640x360 at 30 fps VP8 + Opus from each of three, its own "
           "test picture sent to them), %d s:\n", seconds);
  g_print ("  CPU: %.1f %% of one core (user + system)\n",
           100.0 * (cpu1 - cpu0) / ((t1 - t0) / (double) G_USEC_PER_SEC));
  g_print ("  memory (RSS): mean %.1f MiB, peak %.1f MiB (%.1f MiB when the window began)\n",
           rss_sum / (double) n_rss / 1024.0, rss_max / 1024.0, rss_start / 1024.0);
  g_print ("  (the three headless participants and the server in the benchmark process: %.1f %% of "
           "one core; %u cores here)\n",
           100.0 * (own1 - own0) / ((t1 - t0) / (double) G_USEC_PER_SEC), g_get_num_processors ());

  g_subprocess_send_signal (b.app, SIGTERM);
  g_subprocess_wait (b.app, NULL, NULL);
  g_clear_object (&b.app);

  for (guint i = 0; i < N_HEADLESS; i++)
    {
      gremium_call_stop (b.calls[i]);
      g_clear_object (&b.calls[i]);
      g_clear_object (&b.sources[i]);
      g_clear_object (&b.agents[i]);
      gremium_client_disconnect (b.clients[i]);
      g_clear_object (&b.clients[i]);
    }
  gremium_server_shutdown (b.server);
  bench_iterate (100);
  g_clear_object (&b.server);
  g_clear_object (&b.db);
  g_clear_object (&b.identity);
  g_clear_pointer (&b.config, gremium_server_config_free);
  g_free (b.url);
  g_free (b.meeting_id);
  g_unlink (key_path);
  g_rmdir (key_dir);
  command = g_strdup_printf ("rm -rf '%s'", b.dir);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
    g_warning ("Cannot remove %s", b.dir);
  g_free (b.dir);
}

static void
discard_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
}
#endif /* HAVE_GREMIUM_MEDIA */

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Launch the client this often (7)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Measure the call this long (20)", "N" },
    { "no-call", 0, 0, G_OPTION_ARG_NONE, &no_call, "Measure only the launch time", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (
    "— launch time, and CPU and memory in a four-party call");
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_autofree char *xvfb = g_find_program_in_path ("xvfb-run");
      g_autofree char *self = g_canonicalize_filename (argv[0], NULL);
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      if (xvfb == NULL)
        {
          g_print ("bench-client: no display and no xvfb-run; skipped\n");
          return 0;
        }
      g_ptr_array_add (args, xvfb);
      g_ptr_array_add (args, (char *) "-a");
      g_ptr_array_add (args, (char *) "-s");
      g_ptr_array_add (args, (char *) "-screen 0 1600x1000x24");
      g_ptr_array_add (args, self);
      for (int i = 1; i < argc; i++)
        g_ptr_array_add (args, argv[i]);
      g_ptr_array_add (args, NULL);
      execv (xvfb, (char **) args->pdata);
      g_error ("Cannot run xvfb-run");
    }

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || seconds < 1)
    {
      g_printerr ("bench-client: %s\n", error ? error->message : "--runs and --seconds must be at least 1");
      return 2;
    }

  cache_dir = g_dir_make_tmp ("gremium-bench-cache-XXXXXX", &error);
  if (cache_dir == NULL)
    g_error ("%s", error->message);

  measure_launch ();

#ifdef HAVE_GREMIUM_MEDIA
  if (!no_call)
    {
      if (!gremium_crypto_init (&error) || !gremium_media_init (&error))
        g_error ("Cannot initialise: %s", error->message);
      /* The in-process server's log of enrolments is not a figure. */
      g_log_set_handler ("gremium-server", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, discard_log,
                         NULL);
      measure_call ();
    }
#else
  g_print ("CPU and memory in a four-party call: built without the media library\n");
#endif

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", cache_dir);

    if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
      g_warning ("Cannot remove %s", cache_dir);
  }

  return 0;
}
