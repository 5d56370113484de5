/* test-verify.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include <gremium-checkpoint.h>
#include <gremium-record-file.h>
#include <gremium-server-meeting.h>
#include <gremium-teller-key.h>

#include "gremium-test-council.h"
#include "gremium-test-forge.h"

/* gremium-verify, the real binary, on a record exported from a meeting run
 * on the real server in this process, with one vote of every kind: open
 * (with a member's vote recorded), named (closed by the chair), one closed
 * by the server at its time limit, secret, a cancelled secret vote, an
 * election with a runoff that ends in a tie decided by lot, and an
 * undecryptable secret vote that the chair cancels.
 *
 * The record must verify; every change to it — a flipped byte anywhere, an
 * entry dropped, duplicated or moved, a line appended, another server key,
 * and entries that a dishonest server adds and signs over — must fail and
 * name the first line that does not hold.
 */

#define N_MEMBERS 8

typedef struct
{
  GremiumTestCouncil *c;
  char               *dir;
  char               *path;
  char               *text;
  GStrv               lines;          /* without the final empty one */
  guint               n_lines;
  char               *server_name;
  char               *server_key;
} World;

static World *world;

static const char * const yes_no_abstain[] = { "Ja", "Nein", "Enthaltung", NULL };
static const char * const tellers[] = { "chair", "m01", "m02", NULL };

static char *
member_id (guint i)
{
  return g_strdup_printf ("m%02u", i);
}

static void
cast_range (GremiumTestCouncil *c,
            const char         *vote_id,
            guint               first,
            guint               last,
            gint                choice)
{
  for (guint i = first; i <= last; i++)
    {
      g_autofree char *id = member_id (i);

      g_free (gremium_test_council_cast (c, id, vote_id, choice));
    }
}

static void
open_vote (GremiumTestCouncil *c,
           const char         *vote_id,
           const char         *type,
           const char         *majority,
           const char * const *options,
           const char * const *vote_tellers,
           guint               limit,
           const char         *runoff_of)
{
  JsonObject *data = gremium_test_council_open_data (c, vote_id, type, majority, options,
                                                     vote_tellers, limit);

  if (runoff_of != NULL)
    json_object_set_string_member (data, "runoff_of", runoff_of);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN, data);
  gremium_test_council_wait_state (c, vote_id, GREMIUM_VOTE_STATE_OPEN);
}

/* The meeting: the chair, m01 … m08, the minute-taker and a guest; the
 * deputy is absent. 10 voting members, 9 present.
 */
static void
run_meeting (GremiumTestCouncil *c)
{
  static const char * const candidates[] = { "Anna Becker", "Bernd Vogel", "Carla Sommer", NULL };
  static const char * const runoff[] = { "Anna Becker", "Bernd Vogel", NULL };
  static const char * const other_tellers[] = { "chair", "m03", "m04", NULL };

  /* Item 1, with m08 excluded (§ 38). */
  gremium_test_council_submit (c, "m08", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m08", "reason",
                                                  "Bauherr", NULL));

  open_vote (c, "v1", "open", "simple", yes_no_abstain, NULL, 0, NULL);
  cast_range (c, "v1", 1, 4, 0);
  cast_range (c, "v1", 5, 6, 1);
  cast_range (c, "v1", 7, 7, 2);
  gremium_test_council_submit (c, "m03", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL));
  g_free (gremium_test_council_cast (c, "chair", "v1", 1));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_publish (c, "v1");

  open_vote (c, "n1", "named", "absolute", yes_no_abstain, NULL, 0, NULL);
  cast_range (c, "n1", 1, 5, 0);
  cast_range (c, "n1", 6, 6, 1);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "n1", NULL));
  gremium_test_council_wait_state (c, "n1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_publish (c, "n1");

  /* On a slow machine the time limit may end the vote before all three
   * voted; the record holds either way.
   */
  open_vote (c, "t1", "open", "two-thirds", yes_no_abstain, NULL, 2, NULL);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *id = member_id (i);
      g_autoptr(JsonObject) ballot = gremium_test_data ("vote", "t1", "choice", "#0", NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      GremiumClient *client = gremium_test_council_client (c, id);

      gremium_client_submit_async (client, c->meeting_id, GREMIUM_KIND_VOTE_BALLOT, ballot, NULL,
                                   gremium_test_result_cb, &result);
      if (!gremium_client_submit_finish (client, gremium_test_wait_result (&result), NULL, &error))
        g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
    }
  gremium_test_council_wait_state (c, "t1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_publish (c, "t1");

  open_vote (c, "s1", "secret", "two-thirds", yes_no_abstain, tellers, 0, NULL);
  cast_range (c, "s1", 1, 5, 0);
  cast_range (c, "s1", 6, 6, 1);
  cast_range (c, "s1", 7, 7, 2);
  g_free (gremium_test_council_cast (c, "chair", "s1", 1));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_publish (c, "s1");

  open_vote (c, "x1", "secret", "simple", yes_no_abstain, tellers, 0, NULL);
  cast_range (c, "x1", 1, 2, 0);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "x1", "reason",
                                                  "Die Frage war missverständlich", NULL));
  gremium_test_council_wait_state (c, "x1", GREMIUM_VOTE_STATE_CANCELLED);

  /* Item 2: an election with a runoff that ends in a tie. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_AGENDA_SELECT,
                               gremium_test_data ("item", "#2", NULL));
  open_vote (c, "w1", "election", "election", candidates, tellers, 0, NULL);
  cast_range (c, "w1", 1, 4, 0);
  cast_range (c, "w1", 5, 7, 1);
  cast_range (c, "w1", 8, 8, 2);
  g_free (gremium_test_council_cast (c, "chair", "w1", -1));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_publish (c, "w1");

  open_vote (c, "w2", "election", "election", runoff, tellers, 0, "w1");
  cast_range (c, "w2", 1, 4, 0);
  cast_range (c, "w2", 5, 8, 1);
  g_free (gremium_test_council_cast (c, "chair", "w2", -1));
  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  g_assert_true (gremium_vote_get_decided_by_lot (gremium_test_council_vote (c, "guest", "w2")));
  gremium_test_council_publish (c, "w2");

  /* Item 3: a teller goes missing; the vote cannot be decrypted. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_AGENDA_SELECT,
                               gremium_test_data ("item", "#3", NULL));
  open_vote (c, "z1", "secret", "simple", yes_no_abstain, other_tellers, 0, NULL);
  gremium_test_council_drop_agent (c, "m04");
  cast_range (c, "z1", 1, 8, 0);
  g_free (gremium_test_council_cast (c, "chair", "z1", 1));
  gremium_test_council_wait_state (c, "z1", GREMIUM_VOTE_STATE_CLOSED);
  gremium_test_iterate (100);
  gremium_test_council_sync (c);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "z1", "reason", "Stimmzähler ausgefallen",
                                                  NULL));
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_MEETING_CLOSE, NULL);
  gremium_test_council_sync (c);
}

static World *
world_get (void)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) header = NULL;
  GremiumServerMeeting *meeting;
  guint n;

  if (world != NULL)
    return world;

  world = g_new0 (World, 1);
  world->c = gremium_test_council_new (N_MEMBERS, N_MEMBERS);
  run_meeting (world->c);

  meeting = gremium_test_council_server_meeting (world->c);
  stream = g_memory_output_stream_new_resizable ();
  g_assert_true (gremium_server_meeting_export (meeting, stream, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  world->text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));

  world->dir = g_dir_make_tmp ("gremium-verify-XXXXXX", &error);
  g_assert_no_error (error);
  world->path = g_build_filename (world->dir, "record.jsonl", NULL);
  g_file_set_contents (world->path, world->text, -1, &error);
  g_assert_no_error (error);

  world->lines = g_strsplit (world->text, "\n", -1);
  n = g_strv_length (world->lines);
  g_assert_cmpstr (world->lines[n - 1], ==, "");
  g_free (world->lines[n - 1]);
  world->lines[n - 1] = NULL;
  world->n_lines = n - 1;

  header = json_from_string (world->lines[0], &error);
  g_assert_no_error (error);
  world->server_name = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (header), "server"), "name"));
  world->server_key = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (header), "server"), "key"));

  g_test_message ("The record has %u lines (%zu bytes)", world->n_lines, strlen (world->text));
  return world;
}

static void
world_free (void)
{
  if (world == NULL)
    return;

  if (world->path != NULL)
    g_unlink (world->path);
  if (world->dir != NULL)
    g_rmdir (world->dir);
  gremium_test_council_free (world->c);
  g_free (world->dir);
  g_free (world->path);
  g_free (world->text);
  g_strfreev (world->lines);
  g_free (world->server_name);
  g_free (world->server_key);
  g_clear_pointer (&world, g_free);
}

/* ---- Running gremium-verify -------------------------------------------- */

typedef struct
{
  char     *label;
  char     *path;
  GStrv     args;
  gboolean  german;
  /* what is expected */
  gint      status;
  guint     line;             /* 0: none named */
  gboolean  line_or_later;    /* the named line may be @line or a later one */
  char     *reason;           /* nullable: a part of the message */
  /* what happened */
  gboolean  done;
  gint      exit_status;
  char     *out;
} Run;

static void
run_free (Run *run)
{
  if (run->path != NULL && run->path != world->path)
    {
      g_unlink (run->path);
      g_free (run->path);
    }
  g_free (run->label);
  g_strfreev (run->args);
  g_free (run->reason);
  g_free (run->out);
  g_free (run);
}

static Run *
run_new (const char *label,
         const char *contents,
         gsize       len,
         gint        status,
         guint       line)
{
  Run *run = g_new0 (Run, 1);
  static guint counter;
  g_autoptr(GError) error = NULL;

  run->label = g_strdup (label);
  run->status = status;
  run->line = line;
  if (contents == NULL)
    {
      run->path = world->path;
    }
  else
    {
      g_autofree char *name = g_strdup_printf ("tampered-%u.jsonl", counter++);

      run->path = g_build_filename (world->dir, name, NULL);
      g_file_set_contents (run->path, contents, len, &error);
      g_assert_no_error (error);
    }

  return run;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);
  if (err != NULL && err[0] != '\0')
    g_test_message ("%s: stderr: %s", run->label, err);
  run->done = TRUE;
  g_object_unref (process);
}

static void
run_start (Run *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (run->german)
    {
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", "de", TRUE);
      g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    }

  g_ptr_array_add (argv, (char *) g_getenv ("GREMIUM_VERIFY"));
  for (guint i = 0; run->args != NULL && run->args[i] != NULL; i++)
    g_ptr_array_add (argv, run->args[i]);
  g_ptr_array_add (argv, run->path);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
}

static gboolean
all_done (gpointer data)
{
  GPtrArray *runs = data;

  for (guint i = 0; i < runs->len; i++)
    if (!((Run *) g_ptr_array_index (runs, i))->done)
      return FALSE;

  return TRUE;
}

/* The line the verdict names: "NOT VERIFIED: Line 12: …". */
static guint
named_line (const char *out)
{
  const char *at = strstr (out, "Line ");

  if (at == NULL)
    return 0;

  return (guint) g_ascii_strtoull (at + 5, NULL, 10);
}

/* Runs gremium-verify on every case, a few at a time, and checks each. */
static void
run_all (GPtrArray *runs)
{
  const guint parallel = 4;
  guint started = 0;

  while (started < runs->len || !all_done (runs))
    {
      guint running = 0;

      for (guint i = 0; i < started; i++)
        running += !((Run *) g_ptr_array_index (runs, i))->done;

      while (running < parallel && started < runs->len)
        {
          run_start (g_ptr_array_index (runs, started++));
          running++;
        }

      g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; i < runs->len; i++)
    {
      Run *run = g_ptr_array_index (runs, i);
      guint line = named_line (run->out);

      if (run->exit_status != run->status)
        g_error ("%s: gremium-verify exited with %d, expected %d:\n%s", run->label,
                 run->exit_status,
                 run->status, run->out);

      if (run->status == 0)
        continue;

      if (run->line_or_later ? line < run->line : line != run->line)
        g_error ("%s: gremium-verify named line %u, expected %s%u:\n%s", run->label, line,
                 run->line_or_later ? "at least " : "", run->line, run->out);

      if (line != run->line)
        g_test_message ("%s: noticed at line %u: %s", run->label, line, run->out);

      if (run->reason != NULL && strstr (run->out, run->reason) == NULL)
        g_error ("%s: the report does not say “%s”:\n%s", run->label, run->reason, run->out);
    }
}

/* ---- The untouched record ---------------------------------------------- */

static void
test_valid (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  GListModel *votes = gremium_meeting_get_votes (gremium_test_council_view (w->c, "guest"));
  Run *run;

  run = run_new ("valid", NULL, 0, 0, 0);
  g_ptr_array_add (runs, run);
  run_all (runs);
  g_test_message ("%s", run->out);

  g_assert_true (g_str_has_suffix (run->out, "VERIFIED\n"));
  g_assert_null (strstr (run->out, "NOT VERIFIED"));
  g_assert_nonnull (strstr (run->out, "Meeting closed: yes"));

  /* The report shows every vote's result as the clients computed it. */
  g_assert_cmpuint (g_list_model_get_n_items (votes), ==, 8);
  for (guint i = 0; i < g_list_model_get_n_items (votes); i++)
    {
      g_autoptr(GremiumVote) vote = g_list_model_get_item (votes, i);
      g_autofree char *heading = g_strdup_printf ("Vote %s (item %u)", gremium_vote_get_id (vote),
                                                  gremium_vote_get_item (vote));
      g_autofree char *result = gremium_vote_format_result (vote, "en");

      g_assert_nonnull (strstr (run->out, heading));
      if (gremium_vote_get_state (vote) == GREMIUM_VOTE_STATE_PUBLISHED)
        g_assert_nonnull (strstr (run->out, result));
      else
        g_assert_cmpint (gremium_vote_get_state (vote), ==, GREMIUM_VOTE_STATE_CANCELLED);
    }

  /* What was decrypted and what was not. */
  g_assert_nonnull (strstr (run->out,
                            "Vote s1 (item 1): Soll der Bebauungsplan Nr. 7 beschlossen werden?\n"
                                      "  8 encrypted ballots, every proof checked; "
                                      "tally decrypted with verified shares\n"));
  g_assert_nonnull (strstr (run->out,
                            "Vote x1 (item 1): Soll der Bebauungsplan Nr. 7 beschlossen werden?\n"
                                      "  2 encrypted ballots, every proof checked; "
                                      "the tally was not decrypted\n"
                                      "  cancelled by the chair\n"));
  g_assert_nonnull (strstr (run->out,
                            "Vote z1 (item 3): Soll der Bebauungsplan Nr. 7 beschlossen werden?\n"
                                      "  9 encrypted ballots, every proof checked; "
                                      "the tally was not decrypted\n"
                                      "  cancelled by the chair\n"));

  g_assert_nonnull (strstr (run->out, "(decided by lot)"));
  g_assert_nonnull (strstr (run->out, "Result: runoff between Anna Becker and Bernd Vogel"));
}

static void
test_german (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autofree char *broken = g_strdup (w->text);
  Run *good, *bad;

  good = run_new ("german", NULL, 0, 0, 0);
  good->german = TRUE;
  g_ptr_array_add (runs, good);

  broken[strlen (w->lines[0]) + 10] ^= 1;
  bad = run_new ("german, broken", broken, strlen (broken), 1, 2);
  bad->german = TRUE;
  g_ptr_array_add (runs, bad);
  run_all (runs);

  g_test_message ("%s", good->out);
  g_assert_true (g_str_has_suffix (good->out, "BESTÄTIGT\n"));
  g_assert_nonnull (strstr (good->out, "Sitzung: Testsitzung"));
  g_assert_nonnull (strstr (good->out, "Einträge: "));
  g_assert_nonnull (strstr (good->out, "Sitzung geschlossen: ja"));
  g_assert_nonnull (strstr (good->out, "Stimmabgabe: geheim | Mitglieder: 10"));
  g_assert_nonnull (strstr (good->out, "Ergebnis: Stichwahl zwischen Anna Becker und Bernd Vogel"));
  g_assert_nonnull (strstr (good->out, "(durch Los entschieden)"));
  g_assert_null (strstr (good->out, "Meeting:"));

  g_test_message ("%s", bad->out);
  g_assert_true (g_str_has_prefix (bad->out, "NICHT BESTÄTIGT: "));
}

static void
test_server_key (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autoptr(GremiumIdentity) other = gremium_identity_new ();
  g_autofree char *other_key = gremium_identity_dup_public_key_base64 (other);
  Run *run;

  run = run_new ("the right server key", NULL, 0, 0, 0);
  run->args = g_strdupv ((char *[]) { (char *) "--server-key", w->server_key, NULL });
  g_ptr_array_add (runs, run);

  run = run_new ("another server key", NULL, 0, 1, 1);
  run->args = g_strdupv ((char *[]) { (char *) "--server-key", other_key, NULL });
  run->reason = g_strdup ("another server key");
  g_ptr_array_add (runs, run);

  run_all (runs);
}

/* ---- Changing the file -------------------------------------------------- */

/* The byte offset at which line @index (0-based) starts. */
static gsize
line_offset (World *w,
             guint  index)
{
  gsize offset = 0;

  for (guint i = 0; i < index; i++)
    offset += strlen (w->lines[i]) + 1;

  return offset;
}

/* Where in an entry line a flipped byte can be noticed only later: the
 * entry's time is the server's, signed by nothing but the checkpoint, and a
 * changed time can still fit the entry itself (docs/record.md §4).
 */
static gboolean
in_entry_time (const char *line,
               gsize       position)
{
  const char *time = strstr (line, "\"time\":\"");

  gsize start;

  if (time == NULL)
    return FALSE;

  start = (gsize) (time - line) + 8;
  return position >= start && position < start + 24;
}

static gboolean
in_header_value (const char *line,
                 const char *member,
                 gsize       position)
{
  g_autofree char *key = g_strdup_printf ("\"%s\":", member);
  const char *at = strstr (line, key);
  const char *end;

  if (at == NULL)
    return FALSE;

  at += strlen (key);
  end = at + 1;
  while (*end != '\0' && *end != ',' && *end != '}' && *end != '"')
    end++;

  return position >= (gsize) (at - line) && position <= (gsize) (end - line);
}

static void
add_flip (GPtrArray  *runs,
          World      *w,
          guint       index,
          gsize       position,
          guint8      mask)
{
  const char *line = w->lines[index];
  g_autofree char *copy = g_strdup (w->text);
  g_autofree char *label = NULL;
  Run *run;

  /* Position strlen (line) is the line break: two lines become one. */
  g_assert_cmpuint (position, <=, strlen (line));
  copy[line_offset (w, index) + position] ^= mask;
  label = g_strdup_printf ("line %u, byte %zu ^ 0x%02x", index + 1, position, mask);
  run = run_new (label, copy, strlen (w->text), 1, index + 1);

  if (index == 0 && in_header_value (line, "key", position))
    {
      /* Another server key in the header shows as the first entry the
       * server signed — entry 0 — failing its signature.
       */
      run->line_or_later = TRUE;
    }
  else if (index > 0 && index < w->n_lines - 1 && in_entry_time (line, position))
    {
      run->line_or_later = TRUE;
    }

  g_ptr_array_add (runs, run);
}

/* Flips bytes across every line: its first and last byte, some evenly
 * spread, and some inside the base64 payload and signature of an entry or
 * inside the signed note of the checkpoint.
 */
static void
test_flip_bytes (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x6772656d);
  static const guint8 masks[] = { 0x01, 0x02, 0x20, 0x80 };

  for (guint index = 0; index < w->n_lines; index++)
    {
      const char *line = w->lines[index];
      gsize len = strlen (line);
      const char *payload = strstr (line, "\"payload\":\"");
      const char *sig = strstr (line, "\"sig\":\"");
      const char *note = strstr (line, "\"checkpoint\":\"");

      /* Every line: one byte anywhere, and one inside the entry's base64
       * payload or its signature, in turn.
       */
      add_flip (runs, w, index, g_rand_int_range (rand, 0, len),
                masks[g_rand_int_range (rand, 0, G_N_ELEMENTS (masks))]);
      if (payload != NULL && index % 2 == 0)
        {
          gsize start = payload - line + 11;
          const char *end = strchr (line + start, '"');

          add_flip (runs, w, index, g_rand_int_range (rand, start, end - line), 0x01);
        }
      else if (sig != NULL)
        {
          add_flip (runs, w, index, sig - line + 7 + g_rand_int_range (rand, 0, 86), 0x04);
        }

      /* Every tenth line: its first and last byte, and its line break. */
      if (index % 10 == 0)
        {
          add_flip (runs, w, index, 0, masks[g_rand_int_range (rand, 0, G_N_ELEMENTS (masks))]);
          add_flip (runs, w, index, len - 1,
                    masks[g_rand_int_range (rand, 0, G_N_ELEMENTS (masks))]);
          if (index + 1 < w->n_lines)
            add_flip (runs, w, index, len, 0x01);
        }

      /* The checkpoint's signed note, throughout. */
      if (note != NULL)
        {
          for (gsize p = note - line + 14; p < len - 2; p += 5)
            add_flip (runs, w, index, p, 0x01);
        }

      /* Every second byte of the header, where the server key, the size
       * and the meeting are.
       */
      if (index == 0)
        {
          for (gsize p = 1; p < len - 1; p += 2)
            add_flip (runs, w, index, p, 0x01);
        }
    }

  /* The line break at the end of the file. */
  {
    g_autofree char *copy = g_strdup (w->text);
    Run *run;

    copy[strlen (copy) - 1] = ' ';
    run = run_new ("the last line break", copy, strlen (copy), 1, 0);
    run->line_or_later = TRUE;
    g_ptr_array_add (runs, run);
  }

  g_test_message ("%u changed copies of the record", runs->len);
  run_all (runs);
}

static char *
join_lines (const char * const *lines,
            guint               n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_string_append (s, lines[i]);
      g_string_append_c (s, '\n');
    }

  return g_string_free (s, FALSE);
}

static void
add_lines (GPtrArray          *runs,
           const char         *label,
           const char * const *lines,
           guint               n,
           guint               expected_line,
           const char         *reason)
{
  g_autofree char *text = join_lines (lines, n);
  Run *run = run_new (label, text, strlen (text), 1, expected_line);

  run->reason = g_strdup (reason);
  g_ptr_array_add (runs, run);
}

/* Entries dropped, duplicated, swapped and lines appended. The first line
 * that no longer fits is named: the one after a gap, the duplicate, the
 * earlier of two swapped entries.
 */
static void
test_reorder (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autofree const char **lines = g_new0 (const char *, w->n_lines + 2);
  guint n_entries = w->n_lines - 2;

  for (guint k = 0; k < n_entries; k++)
    {
      guint n = 0;
      g_autofree char *label = NULL;

      /* Drop entry k (line k + 2): every other one, and the last. */
      n = 0;
      for (guint i = 0; i < w->n_lines; i++)
        if (i != k + 1)
          lines[n++] = w->lines[i];
      label = g_strdup_printf ("entry %u dropped", k);
      if (k % 2 == 0 || k + 1 == n_entries)
        add_lines (runs, label, lines, n, k + 2, k + 1 < n_entries ? "arrived where entry" : NULL);
      g_clear_pointer (&label, g_free);

      /* Duplicate entry k. */
      n = 0;
      for (guint i = 0; i < w->n_lines; i++)
        {
          lines[n++] = w->lines[i];
          if (i == k + 1)
            lines[n++] = w->lines[i];
        }
      label = g_strdup_printf ("entry %u duplicated", k);
      if (k % 3 == 1 || k + 1 == n_entries)
        add_lines (runs, label, lines, n, k + 3, k + 1 < n_entries ? "arrived where entry" : NULL);
      g_clear_pointer (&label, g_free);

      /* Swap entries k and k + 1. */
      if (k + 1 < n_entries && k % 4 == 0)
        {
          n = 0;
          for (guint i = 0; i < w->n_lines; i++)
            lines[n++] = w->lines[i == k + 1 ? k + 2 : i == k + 2 ? k + 1 : i];
          label = g_strdup_printf ("entries %u and %u swapped", k, k + 1);
          add_lines (runs, label, lines, n, k + 2, "arrived where entry");
          g_clear_pointer (&label, g_free);
        }
    }

  /* A line appended after the checkpoint, or the checkpoint gone. */
  for (guint i = 0; i < w->n_lines; i++)
    lines[i] = w->lines[i];
  lines[w->n_lines] = "{}";
  add_lines (runs, "a line appended", lines, w->n_lines + 1, w->n_lines + 1,
             "after the checkpoint");
  lines[w->n_lines] = w->lines[w->n_lines - 1];
  add_lines (runs, "the checkpoint twice", lines, w->n_lines + 1, w->n_lines + 1,
             "after the checkpoint");
  add_lines (runs, "the checkpoint missing", lines, w->n_lines - 1, w->n_lines, "checkpoint");

  /* The header's size changed, one less and one more: the header is named. */
  for (gint delta = -1; delta <= 1; delta += 2)
    {
      g_autoptr(JsonNode) header = json_from_string (w->lines[0], NULL);
      JsonObject *object = json_node_get_object (header);
      g_autofree char *text = NULL;
      g_autofree char *label = g_strdup_printf ("the header's size %+d", delta);

      json_object_set_int_member (object, "size",
                                  json_object_get_int_member (object, "size") + delta);
      text = json_to_string (header, FALSE);
      for (guint i = 0; i < w->n_lines; i++)
        lines[i] = i == 0 ? text : w->lines[i];
      add_lines (runs, label, lines, w->n_lines, 1, "the header announces");
    }

  /* An entry of another vote moved to the end, before the checkpoint. */
  {
    guint n = 0;

    for (guint i = 0; i < w->n_lines - 1; i++)
      if (i != 5)
        lines[n++] = w->lines[i];
    lines[n++] = w->lines[5];
    lines[n++] = w->lines[w->n_lines - 1];
    add_lines (runs, "entry 4 moved to the end", lines, n, 6, "arrived where entry");
  }

  g_test_message ("%u changed copies of the record", runs->len);
  run_all (runs);
}

/* ---- A dishonest server ------------------------------------------------- */

/* The record's first @n entries, then @forged as entry n, with a header and
 * a checkpoint signed by the real server key: what a dishonest server
 * could publish. Only the meeting's rules stand in the way.
 */
static char *
forge_record (World            *w,
              guint             n,
              GremiumStatement *forged,
              gint64            time)
{
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();
  g_autoptr(GremiumRecordEntry) entry = NULL;
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(JsonObject) footer = json_object_new ();
  g_autoptr(JsonNode) footer_node = NULL;
  g_autoptr(JsonNode) header = NULL;
  g_autofree char *footer_text = NULL;
  g_autofree char *header_text = NULL;
  g_autofree char *origin = NULL;
  GString *out = g_string_new (NULL);
  guint8 root[GREMIUM_HASH_SIZE];

  header = json_from_string (w->lines[0], NULL);
  json_object_set_int_member (json_node_get_object (header), "size", n + (forged ? 1 : 0));
  header_text = json_to_string (header, FALSE);
  g_string_append_printf (out, "%s\n", header_text);

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%s\n", w->lines[i + 1]);
      gremium_merkle_tree_append (tree, (const guint8 *) w->lines[i + 1], strlen (w->lines[i + 1]));
    }

  if (forged != NULL)
    {
      entry = gremium_record_entry_new (n, time, forged);
      g_string_append_len (out, gremium_record_entry_get_text (entry),
                           gremium_record_entry_get_length (entry));
      g_string_append_c (out, '\n');
      gremium_merkle_tree_append (tree, (const guint8 *) gremium_record_entry_get_text (entry),
                                  gremium_record_entry_get_length (entry));
    }

  origin = g_strdup_printf ("%s/meeting/%s", w->server_name, w->c->meeting_id);
  gremium_merkle_tree_get_root (tree, gremium_merkle_tree_get_size (tree), root);
  checkpoint = gremium_checkpoint_new_signed (origin, gremium_merkle_tree_get_size (tree), root,
                                              w->server_name, w->c->ts->identity);
  json_object_set_string_member (footer, "checkpoint", gremium_checkpoint_get_text (checkpoint));
  footer_node = json_node_init_object (json_node_alloc (), footer);
  footer_text = json_to_string (footer_node, FALSE);
  g_string_append_printf (out, "%s\n", footer_text);

  return g_string_free (out, FALSE);
}

/* The statement of the server's entry @index. */
static GremiumStatement *
statement_at (World   *w,
              guint64  index)
{
  GremiumServerMeeting *meeting = gremium_test_council_server_meeting (w->c);

  return gremium_record_entry_get_statement (gremium_server_meeting_get_entry (meeting, index));
}

/* The index of the first entry of @kind about @vote_id (by @author). */
static guint
first_entry (World      *w,
             const char *kind,
             const char *vote_id,
             const char *author)
{
  GremiumServerMeeting *meeting = gremium_test_council_server_meeting (w->c);

  for (guint64 i = 0; i < gremium_server_meeting_get_size (meeting); i++)
    {
      GremiumStatement *statement = statement_at (w, i);
      JsonObject *data = gremium_statement_get_data (statement);

      if (g_str_equal (gremium_statement_get_kind (statement), kind) &&
          g_strcmp0 (json_object_get_string_member_with_default (data, "vote", NULL),
                     vote_id) == 0 &&
          (author == NULL || g_str_equal (gremium_statement_get_author (statement), author)))
        return i;
    }

  g_error ("No %s of %s", kind, vote_id);
}

static gint64
entry_time (World *w,
            guint  index)
{
  GremiumServerMeeting *meeting = gremium_test_council_server_meeting (w->c);

  return gremium_record_entry_get_time (gremium_server_meeting_get_entry (meeting, index));
}

static GremiumIdentity *
identity_of (World      *w,
             const char *member)
{
  return gremium_client_get_identity (gremium_test_council_client (w->c, member));
}

/* Adds the case: @author's statement, inserted as entry @at, must make the
 * record fail at its line with @reason; the record cut before it must
 * verify.
 */
static void
add_forged (GPtrArray       *runs,
            World           *w,
            const char      *label,
            guint            at,
            GremiumIdentity *signer,
            const char      *author,
            const char      *kind,
            JsonObject      *data,
            const char      *reason)
{
  g_autoptr(JsonObject) owned = data;
  gint64 time = entry_time (w, at - 1) + 1000;
  g_autoptr(GremiumStatement) statement = gremium_statement_build (signer, kind, w->c->meeting_id,
                                                                   author, time, data);
  g_autofree char *text = forge_record (w, at, statement, time);
  g_autofree char *control = forge_record (w, at, NULL, 0);
  g_autoptr(GBytes) control_bytes = g_bytes_new (control, strlen (control));
  g_autoptr(GremiumRecordFile) control_record = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  /* Without the forged entry, the same server's record holds. */
  control_record = gremium_record_file_load_bytes (control_bytes, NULL, &error);
  g_assert_no_error (error);

  run = run_new (label, text, strlen (text), 1, at + 2);
  run->reason = g_strdup (reason);
  g_ptr_array_add (runs, run);
}

static JsonObject *
ballot_data (const char *vote_id,
             GBytes     *ballot)
{
  JsonObject *data = json_object_new ();
  g_autofree char *text = gremium_test_bytes_to_base64 (ballot);

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, "ballot", text);
  return data;
}

/* Statements the honest server refuses (test-vote-attacks.c), slipped into
 * the record by a server that signs whatever it likes: the verifier
 * refuses each at its line. Recorded nowhere as valid.
 */
static void
test_dishonest_server (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  GremiumIdentity *server = w->c->ts->identity;
  guint v1_first = first_entry (w, GREMIUM_KIND_VOTE_BALLOT, "v1", NULL);
  guint v1_m01 = first_entry (w, GREMIUM_KIND_VOTE_BALLOT, "v1", "m01");
  guint v1_result = first_entry (w, GREMIUM_KIND_VOTE_RESULT, "v1", NULL);
  guint s1_first = first_entry (w, GREMIUM_KIND_VOTE_BALLOT, "s1", NULL);
  guint t1_open = first_entry (w, GREMIUM_KIND_VOTE_OPEN, "t1", NULL);
  GremiumVote *s1 = gremium_test_council_vote (w->c, "guest", "s1");
  GremiumElectionKey *s1_key = gremium_vote_get_election_key (s1);
  struct {
    const char *label;
    const char *author;
    guint       at;
    const char *choice;
    const char *reason;
  } ballots[] = {
    { "a ballot from the guest", "guest", v1_first, "#0", "not eligible" },
    { "a ballot from the minute-taker", "clerk", v1_first, "#0", "not eligible" },
    { "a ballot from the staff", "staff", v1_first, "#0", "not eligible" },
    { "a ballot from an excluded member", "m08", v1_first, "#0", "not eligible" },
    { "a second ballot", "m01", v1_m01 + 1, "#1", "voted already" },
    { "a ballot after the close", "m07", v1_result, "#0", "closed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ballots); i++)
    add_forged (runs, w, ballots[i].label, ballots[i].at, identity_of (w, ballots[i].author),
                ballots[i].author, GREMIUM_KIND_VOTE_BALLOT,
                gremium_test_data ("vote", "v1", "choice", ballots[i].choice, NULL),
                ballots[i].reason);

  add_forged (runs, w, "a ballot in the server's name", v1_first, server, GREMIUM_AUTHOR_SERVER,
              GREMIUM_KIND_VOTE_BALLOT, gremium_test_data ("vote", "v1", "choice", "#0", NULL),
              "not eligible");
  add_forged (runs, w, "a ballot signed with another member's key", v1_first,
              identity_of (w, "m01"), "m02", GREMIUM_KIND_VOTE_BALLOT,
              gremium_test_data ("vote", "v1", "choice", "#1", NULL), "not enrolled");
  add_forged (runs, w, "a member closes the vote", v1_first, identity_of (w, "m03"), "m03",
              GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "v1", NULL), "Only the chair");
  add_forged (runs, w, "the server closes before the time limit", t1_open + 1, server,
              GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_VOTE_CLOSE,
              gremium_test_data ("vote", "t1", NULL), "time limit");
  add_forged (runs, w, "the vote's definition changed", v1_first, identity_of (w, "chair"), "chair",
              GREMIUM_KIND_VOTE_OPEN,
              gremium_test_council_open_data (w->c, "v1", "open", "two-thirds", yes_no_abstain,
                                              NULL, 0),
              "already used");

  /* A ballot that encrypts 2 and -1. */
  {
    g_autoptr(GBytes) forged = gremium_test_forge_ballot (s1_key, "m07",
                                                          (const gint[]) { 2, -1, 0 }, NULL);

    add_forged (runs, w, "a ballot for 2 and -1", s1_first, identity_of (w, "m07"), "m07",
                GREMIUM_KIND_VOTE_BALLOT, ballot_data ("s1", forged), "does not verify");
  }

  /* A replayed ballot: m01's, under m02's name. */
  {
    GremiumStatement *ballot = gremium_test_council_find_statement (w->c, GREMIUM_KIND_VOTE_BALLOT,
                                                                    "s1", "m01", NULL);
    guint after = first_entry (w, GREMIUM_KIND_VOTE_BALLOT, "s1", "m01") + 1;
    JsonObject *data = gremium_test_json_object_copy (gremium_statement_get_data (ballot));

    add_forged (runs, w, "another voter's ballot", after, identity_of (w, "m02"), "m02",
                GREMIUM_KIND_VOTE_BALLOT, data, "was made for voter");
  }

  /* A rogue teller key, a wrong decryption share, a wrong lot value. */
  {
    guint at = first_entry (w, GREMIUM_KIND_VOTE_TELLER_KEY, "s1", "m02");
    guint8 x[32];
    g_autoptr(GBytes) share = NULL;
    g_autofree char *share_text = NULL;
    GremiumStatement *statement = statement_at (w, at);
    JsonObject *data = gremium_test_json_object_copy (gremium_statement_get_data (statement));

    crypto_core_ristretto255_scalar_random (x);
    share = gremium_test_forge_teller_share (w->c->meeting_id, "s1", "m02", x, NULL, FALSE);
    share_text = gremium_test_bytes_to_base64 (share);
    json_object_set_string_member (data, "share", share_text);
    add_forged (runs, w, "a teller key without proof of knowledge", at, identity_of (w, "m02"),
                "m02", GREMIUM_KIND_VOTE_TELLER_KEY, data, "proof of knowledge");
  }
  {
    guint at = first_entry (w, GREMIUM_KIND_VOTE_DECRYPTION, "s1", NULL);
    GremiumStatement *statement = statement_at (w, at);
    const char *teller = gremium_statement_get_author (statement);
    g_autoptr(GBytes) share = NULL;
    g_autoptr(GBytes) swapped = NULL;
    g_autofree char *d1 = NULL;
    g_autofree char *swapped_text = NULL;
    JsonObject *data = gremium_test_json_object_copy (gremium_statement_get_data (statement));
    const char *share_text = json_object_get_string_member (data, "share");
    gsize len;
    guint8 *decoded = gremium_base64_decode (share_text, &len, NULL);

    share = g_bytes_new_take (decoded, len);
    d1 = gremium_test_json_get_string (share, "shares/1/d");
    swapped = gremium_test_json_set_string (share, "shares/0/d", d1);
    swapped_text = gremium_test_bytes_to_base64 (swapped);
    json_object_set_string_member (data, "share", swapped_text);
    add_forged (runs, w, "a wrong decryption share", at, identity_of (w, teller), teller,
                GREMIUM_KIND_VOTE_DECRYPTION, data, "does not verify");
  }
  {
    guint at = first_entry (w, GREMIUM_KIND_VOTE_LOT, "w2", NULL);
    GremiumStatement *statement = statement_at (w, at);
    const char *teller = gremium_statement_get_author (statement);
    guint8 value[32] = { 0 };
    g_autofree char *text = gremium_base64_encode (value, sizeof value);

    add_forged (runs, w, "a lot value that was not committed", at, identity_of (w, teller), teller,
                GREMIUM_KIND_VOTE_LOT, gremium_test_data ("vote", "w2", "value", text, NULL),
                "commitment");
  }

  /* A result that says something else than the ballots. */
  {
    GremiumStatement *statement = statement_at (w, v1_result);
    JsonObject *data = gremium_test_json_object_copy (gremium_statement_get_data (statement));

    json_object_set_string_member (data, "outcome", "rejected");
    add_forged (runs, w, "a wrong result", v1_result, identity_of (w, "chair"), "chair",
                GREMIUM_KIND_VOTE_RESULT, data, "differs");
  }
  {
    guint at = first_entry (w, GREMIUM_KIND_VOTE_RESULT, "w2", NULL);
    GremiumStatement *statement = statement_at (w, at);
    JsonObject *data = gremium_test_json_object_copy (gremium_statement_get_data (statement));

    json_object_set_int_member (data, "elected", json_object_get_int_member (data, "elected") ^ 1);
    add_forged (runs, w, "the lot turned around", at, identity_of (w, "chair"), "chair",
                GREMIUM_KIND_VOTE_RESULT, data, "differs");
  }

  /* An entry replayed as it is, under a new index. */
  {
    GremiumStatement *ballot = statement_at (w, v1_m01);
    g_autofree char *text = forge_record (w, v1_m01 + 1, ballot, entry_time (w, v1_m01) + 1000);
    Run *run = run_new ("a ballot entry replayed", text, strlen (text), 1, v1_m01 + 3);

    run->reason = g_strdup ("already recorded");
    g_ptr_array_add (runs, run);
  }

  g_test_message ("%u forged records", runs->len);
  run_all (runs);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("GREMIUM_VERIFY") == NULL)
    {
      g_printerr ("GREMIUM_VERIFY must name the gremium-verify binary under test\n");
      return 77;
    }

  g_test_add_func ("/Gremium/Verify/valid", test_valid);
  g_test_add_func ("/Gremium/Verify/german", test_german);
  g_test_add_func ("/Gremium/Verify/server-key", test_server_key);
  g_test_add_func ("/Gremium/Verify/flip-bytes", test_flip_bytes);
  g_test_add_func ("/Gremium/Verify/drop-duplicate-reorder", test_reorder);
  g_test_add_func ("/Gremium/Verify/dishonest-server", test_dishonest_server);

  status = g_test_run ();
  world_free ();

  return status;
}
