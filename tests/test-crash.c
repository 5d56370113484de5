/* test-crash.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <gremium-error.h>
#include <gremium-record-entry.h>

#include "gremium-test-utils.h"

/* Crash safety with the real binary: gremium-server runs as a subprocess on
 * its own data folder while several clients submit statements at once. The
 * server is killed with SIGKILL in the middle of that, several times and at
 * different moments (during steady activity and while the clients are
 * still catching up after a restart), and restarted on the same data.
 *
 * Whatever the server acknowledged must be in the record afterwards, at the
 * same index with the same bytes; the record has no gap; the exported record
 * verifies with gremium-verify; and no client ever sees the record fork.
 */

#define N_PARTICIPANTS 5
#define IN_FLIGHT 2
#define FINAL_ACKS 150

typedef struct _Crash Crash;

typedef struct
{
  Crash          *crash;
  char           *member_id;
  GremiumClient  *client;
  GremiumMeeting *view;
  guint           in_flight;
  guint           sent;
  guint           acked;
  guint           failed;
} Participant;

struct _Crash
{
  const char     *server_path;
  const char     *verify_path;
  char           *dir;
  char           *meeting_id;
  GHashTable     *codes;            /* member id → code */
  GSubprocess    *server;
  GDataInputStream *server_out;
  char           *url;
  guint           port;
  Participant     participants[N_PARTICIPANTS];
  GHashTable     *seen;             /* index → entry text, as the clients applied it */
  GHashTable     *acked;            /* index → entry text, acknowledged by the server */
  guint           n_acked;
  guint           alarms;
  guint           driver_id;
  gboolean        running;
};

static char *
run_tool (const char * const *argv,
          int                 expected_status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (process) ||
      g_subprocess_get_exit_status (process) != expected_status)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_error ("%s failed:\n%s\n%s", command, out, err);
    }

  return g_steal_pointer (&out);
}

static JsonObject *
run_cli_json (Crash       *c,
              const char  *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) c->server_path);
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, c->dir);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--json");
  g_ptr_array_add (argv, NULL);

  out = run_tool ((const char * const *) argv->pdata, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

typedef struct
{
  char     *line;
  gboolean  done;
} LineRead;

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
line_done (gpointer data)
{
  return ((LineRead *) data)->done;
}

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

/* Starts the server on the data folder (on the port of its first run, so
 * that the clients find it again) and waits for its "listening on" line,
 * while the clients go on with their reconnecting.
 */
static gboolean
try_start_server (Crash *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", c->port);
  const char *argv[] = { c->server_path, "--data", c->dir, "serve", "--port", port, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  /* Should the test itself die, the server goes with it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  c->server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  c->server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->server));

  for (;;)
    {
      LineRead read = { NULL, FALSE };
      const char *start;
      const char *end;

      g_data_input_stream_read_line_async (c->server_out, G_PRIORITY_DEFAULT, NULL, line_read_cb,
                                           &read);
      if (!gremium_test_wait_until (line_done, &read, 10000))
        g_error ("The server did not start");

      if (read.line == NULL)
        {
          /* It exited, e.g. because the port is still taken. */
          g_subprocess_wait (c->server, NULL, NULL);
          g_clear_object (&c->server_out);
          g_clear_object (&c->server);
          return FALSE;
        }

      start = strstr (read.line, "listening on ");
      if (start != NULL)
        {
          g_autoptr(GUri) uri = NULL;

          start += strlen ("listening on ");
          end = strstr (start, " (key");
          g_assert_nonnull (end);
          g_free (c->url);
          c->url = g_strndup (start, end - start);
          uri = g_uri_parse (c->url, G_URI_FLAGS_NONE, &error);
          g_assert_no_error (error);
          if (c->port != 0)
            g_assert_cmpuint (g_uri_get_port (uri), ==, c->port);
          c->port = g_uri_get_port (uri);
          g_free (read.line);
          return TRUE;
        }

      g_free (read.line);
    }
}

static void
start_server (Crash *c)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      if (try_start_server (c))
        return;
      gremium_test_iterate (100);
    }

  g_error ("The server cannot listen on port %u again", c->port);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
kill_server (Crash *c)
{
  gboolean gone = FALSE;

  g_test_message ("SIGKILL after %u acknowledged statements", c->n_acked);

  g_subprocess_send_signal (c->server, SIGKILL);
  g_subprocess_wait_async (c->server, NULL, wait_cb, &gone);
  if (!gremium_test_wait_until (is_true, &gone, 10000))
    g_error ("The server did not die");
  g_assert_true (g_subprocess_get_if_signaled (c->server));
  g_assert_cmpint (g_subprocess_get_term_sig (c->server), ==, SIGKILL);

  g_clear_object (&c->server_out);
  g_clear_object (&c->server);
}

static void
record_alarm_cb (GremiumClient *client,
                 const char    *meeting_id,
                 const char    *message,
                 Crash         *c)
{
  g_test_message ("Record alarm from %s: %s", gremium_client_get_member_id (client), message);
  c->alarms++;
}

/* Every client must apply the same bytes at the same index. */
static void
entry_applied_cb (GremiumMeeting     *view,
                  GremiumRecordEntry *entry,
                  Crash              *c)
{
  gpointer key = GSIZE_TO_POINTER (gremium_record_entry_get_index (entry) + 1);
  const char *known = g_hash_table_lookup (c->seen, key);

  if (known == NULL)
    g_hash_table_insert (c->seen, key, g_strdup (gremium_record_entry_get_text (entry)));
  else
    g_assert_cmpstr (known, ==, gremium_record_entry_get_text (entry));
}

static void drive (Crash *c);

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Participant *p = user_data;
  Crash *c = p->crash;
  g_autoptr(GError) error = NULL;
  guint64 index;

  p->in_flight--;

  if (!gremium_client_submit_finish (GREMIUM_CLIENT (object), result, &index, &error))
    {
      /* Statements in flight when the server dies are not acknowledged;
       * they may or may not be in the record.
       */
      if (!g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST) &&
          !g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT))
        g_error ("%s: unexpected error %s", p->member_id, error->message);
      p->failed++;
      return;
    }

  {
    gpointer key = GSIZE_TO_POINTER (index + 1);
    const char *text = g_hash_table_lookup (c->seen, key);

    /* The client checked the receipt against the entry it holds. */
    g_assert_nonnull (text);
    if (g_hash_table_contains (c->acked, key))
      g_error ("Index %" G_GUINT64_FORMAT " was acknowledged twice", index);
    g_hash_table_insert (c->acked, key, g_strdup (text));
  }

  p->acked++;
  c->n_acked++;
}

static void
drive (Crash *c)
{
  if (!c->running)
    return;

  for (guint i = 0; i < N_PARTICIPANTS; i++)
    {
      Participant *p = &c->participants[i];

      while (p->in_flight < IN_FLIGHT &&
             gremium_client_get_state (p->client) == GREMIUM_CLIENT_STATE_CONNECTED)
        {
          g_autofree char *text = g_strdup_printf ("%s sagt %u", p->member_id, ++p->sent);
          g_autoptr(JsonObject) data = gremium_test_data ("text", text, NULL);

          p->in_flight++;
          gremium_client_submit_async (p->client, c->meeting_id, GREMIUM_KIND_CHAT_MESSAGE, data,
                                       NULL,
                                       submit_cb, p);
        }
    }
}

static gboolean
drive_cb (gpointer user_data)
{
  drive (user_data);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  Crash *crash;
  guint  acks;
} AckWait;

static gboolean
acks_reached (gpointer data)
{
  AckWait *wait = data;

  return wait->crash->n_acked >= wait->acks;
}

static void
wait_acks (Crash *c,
           guint  acks)
{
  AckWait wait = { c, acks };

  if (!gremium_test_wait_until (acks_reached, &wait, 20000))
    g_error ("Only %u of %u statements were acknowledged", c->n_acked, acks);
}

static gboolean
all_settled (gpointer data)
{
  Crash *c = data;
  guint64 n = gremium_meeting_get_n_entries (c->participants[0].view);

  for (guint i = 0; i < N_PARTICIPANTS; i++)
    {
      Participant *p = &c->participants[i];

      if (p->in_flight > 0 ||
          gremium_client_get_state (p->client) != GREMIUM_CLIENT_STATE_CONNECTED ||
          gremium_meeting_get_n_entries (p->view) != n)
        return FALSE;

      /* After a restart the server records everyone's lost connection and
       * each client takes its seat again on its own, outside the test's
       * count of statements in flight: settled means every seat is taken
       * again in every view.
       */
      for (guint j = 0; j < N_PARTICIPANTS; j++)
        {
          GremiumMember *member = gremium_meeting_lookup_member (p->view,
                                                                 c->participants[j].member_id);

          if (member == NULL || gremium_member_get_presence (member) == GREMIUM_PRESENCE_ABSENT)
            return FALSE;
        }
    }

  return TRUE;
}

static void
participant_enrol (Crash       *c,
                   Participant *p)
{
  g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  p->crash = c;
  p->client = gremium_client_new (c->url, identity, p->member_id);
  g_signal_connect (p->client, "record-alarm", G_CALLBACK (record_alarm_cb), c);
  gremium_client_enrol_async (p->client, g_hash_table_lookup (c->codes, p->member_id), NULL,
                              gremium_test_result_cb, &result);
  gremium_client_enrol_finish (p->client, gremium_test_wait_result (&result), &error);
  g_assert_no_error (error);

  p->view = gremium_test_client_join (p->client, c->meeting_id, &error);
  g_assert_no_error (error);
  g_signal_connect (p->view, "entry-applied", G_CALLBACK (entry_applied_cb), c);
}

static void
setup (Crash         *c,
       gconstpointer  data)
{
  g_autoptr(JsonObject) init = NULL;
  g_autoptr(JsonObject) meeting = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const members[] = { "chair", "m01", "m02", "m03", "m04" };
  static const char * const roles[] = { "chair", "member", "member", "member", "member" };

  c->server_path = g_getenv ("GREMIUM_SERVER");
  c->verify_path = g_getenv ("GREMIUM_VERIFY");
  c->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->seen = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  c->acked = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if (c->server_path == NULL || c->verify_path == NULL)
    return;

  c->dir = g_dir_make_tmp ("gremium-crash-XXXXXX", &error);
  g_assert_no_error (error);

  /* The operator's steps, through the command line. */
  init = run_cli_json (c, "init", "--name", "localhost", NULL);
  g_assert_true (json_object_has_member (init, "fingerprint"));

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %s", members[i]);
      g_autoptr(JsonObject) added = run_cli_json (c, "member", "add", members[i], "--name", name,
                                                  "--role", roles[i], NULL);

      g_assert_cmpstr (json_object_get_string_member (added, "member"), ==, members[i]);
      g_hash_table_insert (c->codes, g_strdup (members[i]),
                           g_strdup (json_object_get_string_member (added, "code")));
    }

  meeting = run_cli_json (c, "meeting", "create", "--title", "Sitzung unter Last", "--item", "Eins",
                          "--item-nonpublic", "Zwei", NULL);
  c->meeting_id = g_strdup (json_object_get_string_member (meeting, "meeting"));

  start_server (c);

  for (guint i = 0; i < N_PARTICIPANTS; i++)
    {
      Participant *p = &c->participants[i];

      p->member_id = g_strdup (members[i]);
      participant_enrol (c, p);
      gremium_test_client_submit (p->client, c->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL,
                                  &error);
      g_assert_no_error (error);
      if (i > 0)
        {
          gremium_test_submit (c->participants[0].client, c->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                               gremium_test_data ("member", p->member_id, NULL), &error);
          g_assert_no_error (error);
        }
    }
}

static gboolean
has_one_ref (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static void
teardown (Crash         *c,
          gconstpointer  data)
{
  g_clear_handle_id (&c->driver_id, g_source_remove);

  for (guint i = 0; i < N_PARTICIPANTS; i++)
    {
      Participant *p = &c->participants[i];

      if (p->client != NULL)
        {
          gremium_client_disconnect (p->client);
          /* A reconnect attempt still under way holds the client until it
           * fails or is refused.
           */
          if (!gremium_test_wait_until (has_one_ref, p->client, 5000))
            g_error ("%s's client is still in use", p->member_id);
          g_assert_finalize_object (p->client);
        }
      g_free (p->member_id);
    }

  if (c->server != NULL)
    kill_server (c);

  if (c->dir != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", c->dir);

      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
    }

  g_clear_pointer (&c->codes, g_hash_table_unref);
  g_clear_pointer (&c->seen, g_hash_table_unref);
  g_clear_pointer (&c->acked, g_hash_table_unref);
  g_free (c->dir);
  g_free (c->meeting_id);
  g_free (c->url);
}

static void
test_sigkill_during_activity (Crash         *c,
                              gconstpointer  data)
{
  static const guint kill_after[] = { 20, 55, 90 };
  g_autofree char *export_path = NULL;
  g_autofree char *export_text = NULL;
  g_autofree char *verdict = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) header = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint64 size;

  if (c->server_path == NULL || c->verify_path == NULL)
    {
      g_test_skip ("GREMIUM_SERVER and GREMIUM_VERIFY name the binaries under test");
      return;
    }

  c->running = TRUE;
  c->driver_id = g_timeout_add (5, drive_cb, c);

  /* Killed during steady activity, at three moments. */
  for (guint i = 0; i < G_N_ELEMENTS (kill_after); i++)
    {
      wait_acks (c, kill_after[i]);
      kill_server (c);
      gremium_test_iterate (50 * (i + 1));
      start_server (c);
    }

  /* Killed again while the clients are still reconnecting and catching up. */
  wait_acks (c, c->n_acked + 5);
  kill_server (c);
  start_server (c);
  gremium_test_iterate (300);
  kill_server (c);
  start_server (c);

  wait_acks (c, FINAL_ACKS);
  c->running = FALSE;
  g_clear_handle_id (&c->driver_id, g_source_remove);

  if (!gremium_test_wait_until (all_settled, c, 20000))
    g_error ("The clients did not settle on one record");
  g_assert_cmpuint (c->alarms, ==, 0);

  for (guint i = 0; i < N_PARTICIPANTS; i++)
    g_test_message ("%s: %u sent, %u acknowledged, %u failed", c->participants[i].member_id,
                    c->participants[i].sent, c->participants[i].acked, c->participants[i].failed);

  /* One last crash; the record is read from what the server left on disk. */
  kill_server (c);

  export_path = g_build_filename (c->dir, "record.jsonl", NULL);
  {
    const char *argv[] = { c->server_path, "--data", c->dir, "export", "--meeting", c->meeting_id,
                           "--out", export_path, NULL };
    g_autofree char *out = run_tool (argv, 0);
  }
  {
    const char *argv[] = { c->verify_path, export_path, NULL };

    verdict = run_tool (argv, 0);
    g_assert_nonnull (strstr (verdict, "VERIFIED"));
    g_assert_null (strstr (verdict, "NOT VERIFIED"));
  }

  g_file_get_contents (export_path, &export_text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (export_text, "\n", -1);

  /* Header, one line per entry, checkpoint, and the final newline. */
  header = json_from_string (lines[0], &error);
  g_assert_no_error (error);
  size = json_object_get_int_member (json_node_get_object (header), "size");
  g_assert_cmpuint (g_strv_length (lines), ==, size + 3);
  g_assert_true (g_str_has_prefix (lines[size + 1], "{\"checkpoint\":"));

  /* No gap: entry i is at index i. */
  for (guint64 i = 0; i < size; i++)
    {
      const char *line = lines[i + 1];
      g_autoptr(GremiumRecordEntry) entry = NULL;

      entry = gremium_record_entry_new_from_bytes (line, strlen (line), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (gremium_record_entry_get_index (entry), ==, i);
    }

  /* Every acknowledged statement is there, at its index, byte for byte. */
  g_assert_cmpuint (g_hash_table_size (c->acked), ==, c->n_acked);
  g_hash_table_iter_init (&iter, c->acked);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 index = GPOINTER_TO_SIZE (key) - 1;

      g_assert_cmpuint (index, <, size);
      g_assert_cmpstr (lines[index + 1], ==, value);
    }

  /* And what the clients hold is exactly the record. */
  for (guint i = 0; i < N_PARTICIPANTS; i++)
    g_assert_cmpuint (gremium_meeting_get_n_entries (c->participants[i].view), ==, size);
  g_hash_table_iter_init (&iter, c->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 index = GPOINTER_TO_SIZE (key) - 1;

      g_assert_cmpuint (index, <, size);
      g_assert_cmpstr (lines[index + 1], ==, value);
    }

  g_test_message ("%" G_GUINT64_FORMAT " entries, %u acknowledged statements survived 6 kills",
                  size, c->n_acked);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (gremium_crypto_init (NULL));

  g_test_add ("/Gremium/Crash/sigkill-during-activity", Crash, NULL, setup,
              test_sigkill_during_activity,
              teardown);

  return g_test_run ();
}
