/* gremium-demo.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-demo"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#ifdef G_OS_UNIX
# include <signal.h>
#endif

#include <gremium-client.h>
#include <gremium-error.h>
#include <gremium-media-key-agent.h>
#include <gremium-meeting.h>
#include <gremium-teller-agent.h>
#include <gremium-vote.h>
#ifdef HAVE_GREMIUM_MEDIA
# include <gremium-call.h>
# include <gremium-media.h>
# include <gremium-media-keyring.h>
# include <gremium-media-source.h>
#endif

/* gremium-demo: a council meeting on this machine, from the outside in.
 *
 * It runs the real gremium-server binary with a demo council (a chair, a
 * minute-taker, eight members and a guest) and drives one real client per
 * person over WebSocket connections through a scripted meeting: enrolment,
 * lobby, quorum, agenda with a public and a non-public item, speakers list
 * with a point of order, Befangenheit, chat, a dropped connection that
 * recovers by itself, and the close. Every entry of the record is printed as
 * the chair's client verifies it. At the end the record is exported and
 * checked with gremium-verify.
 */

typedef struct
{
  const char  *id;
  const char  *name;
  const char  *role;
} Person;

static const Person council[] = {
  { "mayer", "Dr. Eva Mayer", "chair" },
  { "schulz", "Jonas Schulz", "minute-taker" },
  { "becker", "Anna Becker", "member" },
  { "yilmaz", "Deniz Yılmaz", "member" },
  { "hoffmann", "Peter Hoffmann", "member" },
  { "wagner", "Maria Wagner", "member" },
  { "krause", "Thomas Krause", "member" },
  { "nowak", "Katarzyna Nowak", "member" },
  { "fischer", "Lena Fischer", "member" },
  { "weber", "Klaus Weber", "member" },
  { "richter", "Ute Richter", "guest" },
};

typedef struct
{
  const Person         *person;
  char                 *code;
  GremiumClient        *client;
  GremiumTellerAgent   *teller;
  GremiumMediaKeyAgent *media_keys;
#ifdef HAVE_GREMIUM_MEDIA
  GremiumMediaSource   *source;
  GremiumCall          *call;
#endif
} Participant;

/* With the desktop client the simulated councillors hold media keys like
 * every client, and some of them are in the call: each sends a test picture
 * of its own and a tone, with the microphone open only while it has the
 * floor, end-to-end encrypted with its own keys. They do not decode what
 * they receive: nobody watches them.
 */
static gboolean media_on;

/* Who has a camera and microphone in the call: the speakers of the demo and
 * one more. A mesh of every councillor would be more than two cores carry
 * beside the desktop client; the others follow without a device.
 */
static const char * const media_members[] = { "becker", "hoffmann", "krause", "yilmaz", NULL };

static char *opt_out = NULL;
static char *opt_server = NULL;
static char *opt_verify = NULL;
static int opt_pace = -1;
static gboolean opt_headless = FALSE;
static char *opt_gremium = NULL;

static GOptionEntry entries[] = {
  { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out, "Write the meeting's exported record into DIR", "DIR" },
  { "headless", 0, 0, G_OPTION_ARG_NONE, &opt_headless, "Run without any window", NULL },
  { "gremium", 0, 0, G_OPTION_ARG_FILENAME, &opt_gremium, "The gremium client binary", "PATH" },
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "The gremium-server binary", "PATH" },
  { "verify", 0, 0, G_OPTION_ARG_FILENAME, &opt_verify, "The gremium-verify binary", "PATH" },
  { "pace", 0, 0, G_OPTION_ARG_INT, &opt_pace, "Pause between steps in milliseconds (default 150, 600 with a window)", "MS" },
  { NULL }
};

static char *data_dir;
static GSubprocess *server_process;
static char *server_url;
static char *meeting_id;
static Participant participants[G_N_ELEMENTS (council)];

static G_NORETURN void
die (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

/* The chair's desktop client, when the demo shows windows. */
static GSubprocess *gui_process;
static GDataInputStream *gui_output;
static guint gui_screenshots_done;
static char *screenshot_dir;
static gboolean gui_on_display;

static void
stop_gui (void)
{
  if (gui_process != NULL)
    {
      g_subprocess_send_signal (gui_process, SIGTERM);
      g_subprocess_wait (gui_process, NULL, NULL);
      g_clear_object (&gui_process);
    }
  g_clear_object (&gui_output);
}

static void
stop_server (void)
{
  stop_gui ();

  if (server_process != NULL)
    {
      g_subprocess_send_signal (server_process, SIGTERM);
      g_subprocess_wait (server_process, NULL, NULL);
      g_clear_object (&server_process);
    }
}

static G_NORETURN void
die (const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("\ngremium-demo: %s\n", message);
  stop_server ();
  exit (1);
}

static void
step (const char *text)
{
  g_print ("\n▶ %s\n", text);
}

static void
pause_a_little (void)
{
  gint64 until = g_get_monotonic_time () + (gint64) opt_pace * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
}

/* ---- Running the server's command line --------------------------------- */

static JsonObject *
run_server_command (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, opt_server);
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, data_dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error))
    die ("Cannot run %s: %s", opt_server, error->message);

  if (!g_subprocess_get_successful (process))
    die ("gremium-server %s failed: %s", args[0], err);

  if (out == NULL || out[0] == '\0')
    return NULL;

  if (!json_parser_load_from_data (parser, out, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    die ("Unexpected output from gremium-server %s: %s", args[0], out);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *url;

  server_process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                     opt_server, "--data", data_dir, "serve", "--port", "0", NULL);
  if (server_process == NULL)
    die ("Cannot start the server: %s", error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server_process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || (url = strstr (line, "ws://")) == NULL)
    die ("The server did not start: %s", error ? error->message : line ? line : "no output");

  server_url = g_strndup (url, strcspn (url, " "));
  g_print ("  %s\n", line);
}

/* ---- Waiting for asynchronous calls ------------------------------------ */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        die ("Timed out waiting for the server");
      g_main_context_iteration (NULL, TRUE);
    }

  return *slot;
}

static Participant *
person (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    if (g_str_equal (participants[i].person->id, id))
      return &participants[i];

  g_assert_not_reached ();
}

static void spin_for (guint ms);

/* Test pictures that tell the councillors apart on the chair's screen. */
static const char * const test_patterns[] = {
  "ball", "pinwheel", "spokes", "circular", "gamut", "zone-plate", "checkers-8", "bar",
  "colors", "smpte75",
};

/* The simulated participant joins the call of the meeting with a test
 * source, its microphone closed until it has the floor.
 */
static void
start_media (Participant *p,
             guint        index)
{
#ifdef HAVE_GREMIUM_MEDIA
  g_autoptr(GError) error = NULL;
  GremiumMediaKeyring *keyring;

  if (!media_on || p->call != NULL || p->media_keys == NULL ||
      !g_strv_contains (media_members, p->person->id))
    return;

  p->source = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                            "video-source", GREMIUM_MEDIA_SOURCE_TEST,
                            "audio-source", GREMIUM_MEDIA_SOURCE_TEST,
                            "test-pattern", test_patterns[index % G_N_ELEMENTS (test_patterns)],
                            "test-frequency", 330.0 + 55.0 * index,
                            "width", 320, "height", 180, "framerate", 15,
                            "muted", TRUE,
                            NULL);
  p->call = gremium_call_new (p->client, meeting_id, p->source);
  gremium_call_set_audio_sink (p->call, "fakesink sync=false async=false");
  keyring = gremium_media_key_agent_get_keyring (p->media_keys);
  gremium_call_set_sender (p->call, gremium_media_keyring_get_sender (keyring));
  if (!gremium_call_start (p->call, &error))
    {
      /* The meeting goes on without this participant's picture. */
      g_printerr ("  %s cannot join the call: %s\n", p->person->name, error->message);
      g_clear_object (&p->call);
      g_clear_object (&p->source);
    }
#endif
}

static void
stop_media (Participant *p)
{
#ifdef HAVE_GREMIUM_MEDIA
  if (p->call != NULL)
    gremium_call_stop (p->call);
  g_clear_object (&p->call);
  g_clear_object (&p->source);
#endif
  g_clear_object (&p->media_keys);
}

/* Councillors open their microphone when they get the floor and close it
 * when they finish, as the chair would expect.
 */
static void
set_speaking (const char *member_id,
              gboolean    speaking)
{
#ifdef HAVE_GREMIUM_MEDIA
  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    if (g_str_equal (participants[i].person->id, member_id) && participants[i].source != NULL)
      g_object_set (participants[i].source, "muted", !speaking, NULL);
#endif
}

static gboolean
try_submit (const char  *who,
            const char  *kind,
            JsonObject  *data,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GremiumClient *client = person (who)->client;
  gboolean ok;

  gremium_client_submit_async (client, meeting_id, kind, data, NULL, result_cb, &result);
  ok = gremium_client_submit_finish (client, wait_result (&result), NULL, error);
  pause_a_little ();

  return ok;
}

static void
submit (const char *who,
        const char *kind,
        JsonObject *data)
{
  g_autoptr(GError) error = NULL;

  if (!try_submit (who, kind, data, &error))
    die ("%s could not record “%s”: %s", who, kind, error->message);
}

static JsonObject *
data_member (const char *member)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "member", member);
  return data;
}

/* ---- Narrating the record ---------------------------------------------- */

static const char *
name_of (GremiumMeeting *meeting,
         const char     *id)
{
  GremiumMember *member = id ? gremium_meeting_lookup_member (meeting, id) : NULL;

  return member ? gremium_member_get_name (member) : id ? id : "the server";
}

static void
print_quorum (GremiumMeeting *meeting)
{
  g_autofree char *excluded = NULL;
  GremiumQuorum quorum;

  gremium_meeting_get_quorum (meeting, &quorum);
  if (quorum.excluded > 0)
    excluded = g_strdup_printf (" (%u excluded, § 38)", quorum.excluded);
  g_print ("      quorum: %u of %u voting members present and entitled%s, %u needed → %s\n",
           quorum.present, quorum.members, excluded ? excluded : "",
           quorum.required, quorum.reached ? "quorate" : "NOT quorate");
}

static void
entry_applied_cb (GremiumMeeting     *meeting,
                  GremiumRecordEntry *entry,
                  gpointer            user_data)
{
  GremiumStatement *statement = gremium_record_entry_get_statement (entry);
  JsonObject *data = gremium_statement_get_data (statement);
  const char *kind = gremium_statement_get_kind (statement);
  const char *author = name_of (meeting, gremium_statement_get_author (statement));
  const char *target = json_object_has_member (data, "member")
    ? name_of (meeting, json_object_get_string_member (data, "member")) : NULL;
  g_autofree char *time = gremium_time_format (gremium_record_entry_get_time (entry));
  g_autofree char *what = NULL;

  if (g_str_equal (kind, GREMIUM_KIND_MEETING_CREATE))
    what = g_strdup_printf ("the server opened the record of “%s”", gremium_meeting_get_title (meeting));
  else if (g_str_equal (kind, GREMIUM_KIND_ROSTER_KEY_ADD))
    what = g_strdup_printf ("the server added a new device key of %s to the roster", target);
  else if (g_str_equal (kind, GREMIUM_KIND_ATTENDANCE_JOIN))
    {
      GremiumMember *member = gremium_meeting_lookup_member (meeting, gremium_statement_get_author (statement));

      what = g_strdup_printf ("%s joins — %s", author,
                              gremium_member_get_presence (member) == GREMIUM_PRESENCE_LOBBY
                                ? "waits in the lobby" : "present");
    }
  else if (g_str_equal (kind, GREMIUM_KIND_ATTENDANCE_LEAVE))
    what = g_str_equal (json_object_get_string_member (data, "reason"), "connection-lost")
      ? g_strdup_printf ("the server saw the connection of %s drop", target)
      : g_strdup_printf ("%s leaves the meeting", target);
  else if (g_str_equal (kind, GREMIUM_KIND_LOBBY_ADMIT))
    what = g_strdup_printf ("%s admits %s from the lobby", author, target);
  else if (g_str_equal (kind, GREMIUM_KIND_LOBBY_DENY))
    what = g_strdup_printf ("%s turns %s away", author, target);
  else if (g_str_equal (kind, GREMIUM_KIND_MEETING_OPEN))
    what = g_strdup_printf ("%s opens the meeting", author);
  else if (g_str_equal (kind, GREMIUM_KIND_MEETING_CLOSE))
    what = g_strdup_printf ("%s closes the meeting", author);
  else if (g_str_equal (kind, GREMIUM_KIND_QUORUM_CONFIRM))
    what = g_strdup_printf ("%s records the quorum: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                            " present, %s", author,
                            json_object_get_int_member (data, "present"),
                            json_object_get_int_member (data, "members"),
                            json_object_get_boolean_member (data, "reached") ? "quorate" : "not quorate");
  else if (g_str_equal (kind, GREMIUM_KIND_AGENDA_SELECT))
    {
      GremiumAgendaItem *item = gremium_meeting_get_current_item (meeting);

      what = g_strdup_printf ("%s calls item %u: %s [%s]", author, gremium_agenda_item_get_id (item),
                              gremium_agenda_item_get_title (item),
                              gremium_agenda_item_get_public (item) ? "public" : "NON-PUBLIC");
    }
  else if (g_str_equal (kind, GREMIUM_KIND_AGENDA_VISIBILITY))
    what = g_strdup_printf ("%s makes item %" G_GINT64_FORMAT " %s", author,
                            json_object_get_int_member (data, "item"),
                            json_object_get_boolean_member (data, "public") ? "public" : "non-public");
  else if (g_str_equal (kind, GREMIUM_KIND_CONFLICT_DECLARE))
    what = g_strcmp0 (gremium_statement_get_author (statement), json_object_get_string_member (data, "member")) == 0
      ? g_strdup_printf ("%s declares a personal interest (§ 38) in item %" G_GINT64_FORMAT ": %s",
                         author, json_object_get_int_member (data, "item"),
                         json_object_get_string_member (data, "reason"))
      : g_strdup_printf ("%s excludes %s from item %" G_GINT64_FORMAT " (§ 38): %s", author, target,
                         json_object_get_int_member (data, "item"),
                         json_object_get_string_member (data, "reason"));
  else if (g_str_equal (kind, GREMIUM_KIND_SPEAKERS_REQUEST))
    what = g_strdup_printf ("%s asks to speak%s", author,
                            g_str_equal (json_object_get_string_member (data, "type"), "point-of-order")
                              ? " — POINT OF ORDER, goes first" : "");
  else if (g_str_equal (kind, GREMIUM_KIND_SPEAKERS_GRANT))
    {
      what = g_strdup_printf ("%s gives the floor to %s (%" G_GINT64_FORMAT " s)", author, target,
                              json_object_get_int_member (data, "limit"));
      set_speaking (json_object_get_string_member (data, "member"), TRUE);
    }
  else if (g_str_equal (kind, GREMIUM_KIND_SPEAKERS_FINISH))
    {
      what = g_strdup_printf ("%s ends the speech", author);
      set_speaking (gremium_statement_get_author (statement), FALSE);
    }
  else if (g_str_equal (kind, GREMIUM_KIND_MUTE_REQUEST))
    what = g_strdup_printf ("%s asks %s to mute", author, target ? target : "everyone");
  else if (g_str_equal (kind, GREMIUM_KIND_CHAT_MESSAGE))
    what = g_strdup_printf ("%s writes: %s", author, json_object_get_string_member (data, "text"));
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_OPEN))
    {
      GremiumVote *vote = gremium_meeting_lookup_vote (meeting, json_object_get_string_member (data, "vote"));

      what = g_strdup_printf ("%s opens %s vote %s: „%s“ (%u eligible%s)", author,
                              gremium_vote_type_to_string (gremium_vote_get_vote_type (vote)),
                              gremium_vote_get_id (vote), gremium_vote_get_question (vote),
                              g_strv_length ((char **) gremium_vote_get_eligible (vote)),
                              gremium_vote_is_secret (vote) ? ", tellers announced" : "");
    }
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_TELLER_KEY))
    what = g_strdup_printf ("teller %s publishes a key share with a proof of knowledge", author);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_BALLOT))
    {
      GremiumVote *vote = gremium_meeting_lookup_vote (meeting, json_object_get_string_member (data, "vote"));
      const char *voter = gremium_statement_get_author (statement);

      if (gremium_vote_is_secret (vote))
        {
          g_autofree char *tracker = gremium_vote_dup_tracker (vote, voter);

          what = g_strdup_printf ("%s casts an encrypted ballot, proofs verified (tracker %.12s…)",
                                  author, tracker);
        }
      else
        what = g_strdup_printf ("%s votes „%s“", author,
                                gremium_vote_get_option (vote, gremium_vote_get_choice (vote, voter)));
    }
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_CLOSE))
    what = g_strdup_printf ("%s closes the vote", author);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_DECRYPTION))
    what = g_strdup_printf ("teller %s publishes a decryption share with a proof", author);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_LOT))
    what = g_strdup_printf ("teller %s reveals the committed lot value", author);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_RECORD_OWN))
    what = g_strdup_printf ("%s asks to have their vote recorded in the minutes", author);
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_RESULT))
    what = g_strdup_printf ("%s records the result:\n        %s", author,
                            json_object_get_string_member (json_object_get_object_member (data, "text"), "de"));
  else if (g_str_equal (kind, GREMIUM_KIND_VOTE_CANCEL))
    what = g_strdup_printf ("%s cancels the vote: %s", author, json_object_get_string_member (data, "reason"));
  else
    what = g_strdup_printf ("%s: %s", author, kind);

  g_print ("  #%-3" G_GUINT64_FORMAT " %s  %s\n", gremium_record_entry_get_index (entry), time + 11, what);

  if (g_str_equal (kind, GREMIUM_KIND_SPEAKERS_REQUEST) || g_str_equal (kind, GREMIUM_KIND_SPEAKERS_GRANT))
    {
      GListModel *speakers = gremium_meeting_get_speakers (meeting);
      GString *list = g_string_new (NULL);

      for (guint i = 0; i < g_list_model_get_n_items (speakers); i++)
        {
          g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);

          g_string_append_printf (list, "%s%s%s", i ? ", " : "",
                                  name_of (meeting, gremium_speaker_request_get_member_id (request)),
                                  gremium_speaker_request_get_kind (request) == GREMIUM_SPEECH_KIND_POINT_OF_ORDER
                                    ? " (GO)" : "");
        }
      g_print ("      speakers list: %s\n", list->len ? list->str : "(empty)");
      g_string_free (list, TRUE);
    }

  if (g_str_equal (kind, GREMIUM_KIND_CONFLICT_DECLARE) || g_str_equal (kind, GREMIUM_KIND_AGENDA_SELECT) ||
      g_str_equal (kind, GREMIUM_KIND_LOBBY_ADMIT) || g_str_equal (kind, GREMIUM_KIND_ATTENDANCE_LEAVE))
    print_quorum (meeting);
}

static void
record_alarm_cb (GremiumClient *client,
                 const char    *meeting,
                 const char    *message,
                 gpointer       user_data)
{
  die ("The record failed verification on %s's client: %s",
       gremium_client_get_member_id (client), message);
}

/* ---- The meeting -------------------------------------------------------- */

static void
enrol_everyone (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    {
      g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      Participant *p = &participants[i];

      p->client = gremium_client_new (server_url, identity, p->person->id);
      g_signal_connect (p->client, "record-alarm", G_CALLBACK (record_alarm_cb), NULL);
      gremium_client_enrol_async (p->client, p->code, NULL, result_cb, &result);
      if (!gremium_client_enrol_finish (p->client, wait_result (&result), &error))
        die ("%s could not enrol: %s", p->person->name, error->message);
    }

  g_print ("  all %u devices enrolled with their one-time codes; each pinned the server key\n",
           (guint) G_N_ELEMENTS (participants));
}

static void
attend (const char *who)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GremiumMeeting) meeting = NULL;
  g_autoptr(GError) error = NULL;
  GremiumClient *client = person (who)->client;

  gremium_client_join_meeting_async (client, meeting_id, NULL, result_cb, &result);
  meeting = gremium_client_join_meeting_finish (client, wait_result (&result), &error);
  if (meeting == NULL)
    die ("%s could not join: %s", who, error->message);

  /* The media keys before the seat, as the desktop client does: the others
   * send their keys the moment the record shows this member present. The
   * chair's keys come from the desktop client, the chair's device in the
   * call.
   */
  if (media_on && person (who)->media_keys == NULL && !g_str_equal (who, "mayer"))
    person (who)->media_keys = gremium_media_key_agent_new (client, meeting_id);

  submit (who, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  /* Every participant's client does its teller duties by itself. */
  if (person (who)->teller == NULL)
    person (who)->teller = gremium_teller_agent_new (client, meeting_id);
}

static gboolean
caught_up (GremiumClient *client,
           guint64        n_entries)
{
  GremiumMeeting *meeting = gremium_client_get_meeting (client, meeting_id);

  return meeting != NULL && gremium_meeting_get_n_entries (meeting) >= n_entries;
}

static void
wait_everyone_caught_up (void)
{
  guint64 n = gremium_meeting_get_n_entries (gremium_client_get_meeting (person ("mayer")->client,
                                                                         meeting_id));
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    {
      while (gremium_client_get_meeting (participants[i].client, meeting_id) != NULL &&
             !caught_up (participants[i].client, n))
        {
          if (g_get_monotonic_time () > deadline)
            die ("%s's client did not catch up", participants[i].person->name);
          g_main_context_iteration (NULL, TRUE);
        }
    }
}

static gboolean
vote_reached (const char       *vote_id,
              GremiumVoteState  state)
{
  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    {
      GremiumMeeting *view = gremium_client_get_meeting (participants[i].client, meeting_id);
      GremiumVote *vote = view ? gremium_meeting_lookup_vote (view, vote_id) : NULL;

      if (view != NULL && gremium_member_get_presence (gremium_meeting_lookup_member (view, participants[i].person->id)) == GREMIUM_PRESENCE_PRESENT &&
          (vote == NULL || gremium_vote_get_state (vote) != state))
        return FALSE;
    }

  return TRUE;
}

static void
wait_vote (const char       *vote_id,
           GremiumVoteState  state)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!vote_reached (vote_id, state))
    {
      if (g_get_monotonic_time () > deadline)
        die ("Vote %s did not reach the expected state", vote_id);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Opens a vote, lets every eligible participant vote as @choose says
 * (-1: abstain in an election), waits until every client has decided it
 * from the record, and publishes the result.
 */
static GremiumVote *
hold_vote (const char          *vote_id,
           const char          *type,
           const char          *majority,
           const char          *question,
           const char * const  *options,
           const char * const  *tellers,
           const char          *runoff_of,
           int                (*choose) (const char *member))
{
  GremiumMeeting *chair_view = gremium_client_get_meeting (person ("mayer")->client, meeting_id);
  g_auto(GStrv) eligible = gremium_meeting_dup_eligible (chair_view);
  JsonObject *data = json_object_new ();
  JsonArray *array;
  GremiumVote *vote;
  guint n_options = g_strv_length ((char **) options);

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, "type", type);
  json_object_set_string_member (data, "question", question);
  array = json_array_new ();
  for (guint i = 0; options[i] != NULL; i++)
    json_array_add_string_element (array, options[i]);
  json_object_set_array_member (data, "options", array);
  array = json_array_new ();
  for (guint i = 0; eligible[i] != NULL; i++)
    json_array_add_string_element (array, eligible[i]);
  json_object_set_array_member (data, "eligible", array);
  json_object_set_string_member (data, "majority", majority);
  array = json_array_new ();
  for (guint i = 0; tellers != NULL && tellers[i] != NULL; i++)
    json_array_add_string_element (array, tellers[i]);
  json_object_set_array_member (data, "tellers", array);
  json_object_set_int_member (data, "limit", 300);
  if (runoff_of != NULL)
    json_object_set_string_member (data, "runoff_of", runoff_of);
  submit ("mayer", GREMIUM_KIND_VOTE_OPEN, data);

  /* Secret votes wait for the tellers' key shares; their agents deliver. */
  wait_vote (vote_id, GREMIUM_VOTE_STATE_OPEN);

  for (guint i = 0; eligible[i] != NULL; i++)
    {
      GremiumVote *own = gremium_meeting_lookup_vote (gremium_client_get_meeting (person (eligible[i])->client,
                                                                                   meeting_id), vote_id);
      g_autofree guint8 *choices = g_new0 (guint8, n_options);
      g_autoptr(GError) error = NULL;
      int choice = choose (eligible[i]);
      JsonObject *ballot;

      if (choice >= 0)
        choices[choice] = 1;

      ballot = gremium_vote_build_ballot (own, eligible[i], choices, n_options, NULL, &error);
      if (ballot == NULL)
        die ("%s cannot vote: %s", eligible[i], error->message);
      submit (eligible[i], GREMIUM_KIND_VOTE_BALLOT, ballot);
    }

  wait_vote (vote_id, GREMIUM_VOTE_STATE_DECIDED);
  vote = gremium_meeting_lookup_vote (chair_view, vote_id);
  submit ("mayer", GREMIUM_KIND_VOTE_RESULT, gremium_vote_build_result (vote));
  wait_vote (vote_id, GREMIUM_VOTE_STATE_PUBLISHED);

  return vote;
}

static int
choose_development_plan (const char *member)
{
  /* Ja 0, Nein 1, Enthaltung 2 */
  return g_str_equal (member, "krause") || g_str_equal (member, "weber") ? 1
         : g_str_equal (member, "fischer") ? 2 : 0;
}

static int
choose_amendment (const char *member)
{
  return g_str_equal (member, "becker") || g_str_equal (member, "yilmaz") ||
         g_str_equal (member, "nowak") ? 0 : 1;
}

static int
choose_land_sale (const char *member)
{
  return g_str_equal (member, "weber") ? 1 : g_str_equal (member, "krause") ? 2 : 0;
}

static int
choose_first_round (const char *member)
{
  /* Becker 0, Hoffmann 1, Yılmaz 2: nobody reaches more than half. */
  if (g_str_equal (member, "mayer") || g_str_equal (member, "wagner") || g_str_equal (member, "fischer") ||
      g_str_equal (member, "becker"))
    return 0;
  if (g_str_equal (member, "hoffmann") || g_str_equal (member, "krause") || g_str_equal (member, "weber"))
    return 1;
  return 2;
}

static int
choose_runoff (const char *member)
{
  return g_str_equal (member, "hoffmann") || g_str_equal (member, "krause") ||
         g_str_equal (member, "weber") || g_str_equal (member, "nowak") ? 1 : 0;
}

/* ---- The chair's desktop client ----------------------------------------- */

static void
gui_line_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                      result, NULL, NULL);

  if (line == NULL)
    return;

  if (strstr (line, "screenshots written") != NULL)
    gui_screenshots_done++;

  if (gui_output != NULL)
    g_data_input_stream_read_line_async (gui_output, G_PRIORITY_DEFAULT, NULL, gui_line_cb, NULL);
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (5000), TRUE);
}

static char *
build_tree_dir (const char *binary,
                const char *name)
{
  g_autofree char *dir = g_path_get_dirname (binary);
  g_autofree char *candidate = g_build_filename (dir, "..", "..", name, NULL);

  return g_file_test (candidate, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&candidate) : NULL;
}

/* Starts the desktop client as a second device of the chair: it shows the
 * meeting window, the meeting-control window and the public-room display
 * while the scripted participants hold the meeting.
 */
static void
start_gui (void)
{
  g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
  g_autoptr(GremiumClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(JsonObject) issued = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_build_filename (data_dir, "gui-chair.key", NULL);
  g_autofree char *home = g_build_filename (data_dir, "gui-home", NULL);
  g_autofree char *schemas = build_tree_dir (opt_gremium, "data");
  g_autofree char *locales = build_tree_dir (opt_gremium, "po");
  const char *code_args[] = { "member", "code", "mayer", NULL };

  issued = run_server_command (code_args);
  if (!gremium_identity_save (identity, key_path, &error))
    die ("Cannot write the client's key: %s", error->message);

  client = gremium_client_new (server_url, identity, "mayer");
  gremium_client_enrol_async (client, json_object_get_string_member (issued, "code"), NULL,
                              result_cb, &result);
  if (!gremium_client_enrol_finish (client, wait_result (&result), &error))
    die ("Cannot enrol the desktop client: %s", error->message);
  gremium_client_disconnect (client);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GREMIUM_SECRET_STORE", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  /* Never hand the demo over to a Gremium the user already runs. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "GREMIUM_VIDEO_SOURCE", "test", FALSE);
  g_subprocess_launcher_setenv (launcher, "GREMIUM_AUDIO_SOURCE", "test", FALSE);
  if (!gui_on_display)
    g_subprocess_launcher_setenv (launcher, "GREMIUM_AUDIO_SINK", "fakesink", FALSE);
  if (schemas != NULL)
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  if (locales != NULL)
    g_subprocess_launcher_setenv (launcher, "GREMIUM_LOCALEDIR", locales, FALSE);

  gui_process = g_subprocess_launcher_spawn (launcher, &error, opt_gremium,
                                             "--server", server_url, "--member", "mayer",
                                             "--identity", key_path, "--meeting", meeting_id,
                                             "--control", "--public-display", "--windowed",
                                             "--screenshots", screenshot_dir, NULL);
  if (gui_process == NULL)
    die ("Cannot start the desktop client: %s", error->message);

  gui_output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (gui_process));
  g_data_input_stream_read_line_async (gui_output, G_PRIORITY_DEFAULT, NULL, gui_line_cb, NULL);

  g_print ("  the chair's desktop client opens its meeting window, the meeting-control window\n"
           "  and the public-room display (a second device of Dr. Eva Mayer)\n");
  spin_for (3000);
}

static void
gui_screenshots (const char *suffix)
{
  static const char * const windows[] = {
    "meeting-window", "meeting-control", "voting-panel", "public-display", NULL
  };
  guint target;
  gint64 deadline;
  gint64 started;

  if (gui_process == NULL)
    return;

  /* Let the client apply what just happened before the picture. */
  spin_for (1500);

  started = g_get_monotonic_time ();
  target = gui_screenshots_done + 1;
  g_subprocess_send_signal (gui_process, SIGUSR1);
  /* Generous: on a small machine the client paints four videos meanwhile. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (gui_screenshots_done < target)
    {
      if (g_get_monotonic_time () > deadline)
        die ("The desktop client did not write its screenshots");
      g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; suffix != NULL && windows[i] != NULL; i++)
    {
      g_autofree char *from_name = g_strconcat (windows[i], ".png", NULL);
      g_autofree char *to_name = g_strconcat (windows[i], "-", suffix, ".png", NULL);
      g_autofree char *from = g_build_filename (screenshot_dir, from_name, NULL);
      g_autofree char *to = g_build_filename (screenshot_dir, to_name, NULL);

      g_rename (from, to);
    }

  g_print ("  screenshots of every window written to %s%s%s (%.1f s)\n", screenshot_dir,
           suffix ? " with the suffix -" : "", suffix ? suffix : "",
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

static void
run_meeting (void)
{
  GremiumMeeting *chair_view;
  g_autoptr(GError) error = NULL;
  GremiumQuorum quorum;

  step ("The chair joins and opens the meeting");
  attend ("mayer");
  chair_view = gremium_client_get_meeting (person ("mayer")->client, meeting_id);
  g_signal_connect (chair_view, "entry-applied", G_CALLBACK (entry_applied_cb), NULL);
  submit ("mayer", GREMIUM_KIND_MEETING_OPEN, NULL);
  if (opt_gremium != NULL)
    start_gui ();

  step ("Councillors and the minute-taker join; they wait in the lobby until admitted");
  for (guint i = 1; i < G_N_ELEMENTS (participants) - 1; i++)
    attend (participants[i].person->id);

  step ("A councillor tries to admit someone — the server refuses (only the chair may)");
  if (try_submit ("becker", GREMIUM_KIND_LOBBY_ADMIT, data_member ("yilmaz"), &error))
    die ("A member could admit someone from the lobby");
  g_print ("  refused: %s\n", error->message);
  g_clear_error (&error);

  step ("The chair admits everyone from the lobby");
  for (guint i = 1; i < G_N_ELEMENTS (participants) - 1; i++)
    submit ("mayer", GREMIUM_KIND_LOBBY_ADMIT, data_member (participants[i].person->id));
  if (media_on)
    {
      for (guint i = 1; i < G_N_ELEMENTS (participants) - 1; i++)
        start_media (&participants[i], i);
      g_print ("  four councillors join the call with test pictures and tones, end-to-end\n"
               "  encrypted with each one's own media keys; microphones open only with the floor\n");
    }

  step ("The chair records the quorum (Feststellung der Beschlussfähigkeit)");
  gremium_meeting_get_quorum (chair_view, &quorum);
  {
    JsonObject *data = json_object_new ();

    json_object_set_int_member (data, "members", quorum.members);
    json_object_set_int_member (data, "present", quorum.present);
    json_object_set_int_member (data, "required", quorum.required);
    json_object_set_boolean_member (data, "reached", quorum.reached);
    submit ("mayer", GREMIUM_KIND_QUORUM_CONFIRM, data);
  }

  step ("Item 1 and 2 (public); a guest from the public joins and is admitted");
  {
    JsonObject *data = json_object_new ();

    json_object_set_int_member (data, "item", 1);
    submit ("mayer", GREMIUM_KIND_AGENDA_SELECT, data);
    data = json_object_new ();
    json_object_set_int_member (data, "item", 2);
    submit ("mayer", GREMIUM_KIND_AGENDA_SELECT, data);
  }
  attend ("richter");
  submit ("mayer", GREMIUM_KIND_LOBBY_ADMIT, data_member ("richter"));

  step ("Speakers list: two requests, then a point of order that goes first");
  {
    JsonObject *data;

    data = json_object_new ();
    json_object_set_string_member (data, "type", "speech");
    submit ("becker", GREMIUM_KIND_SPEAKERS_REQUEST, data);
    data = json_object_new ();
    json_object_set_string_member (data, "type", "speech");
    submit ("hoffmann", GREMIUM_KIND_SPEAKERS_REQUEST, data);
    data = json_object_new ();
    json_object_set_string_member (data, "type", "point-of-order");
    submit ("krause", GREMIUM_KIND_SPEAKERS_REQUEST, data);

    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(GremiumSpeakerRequest) next =
          g_list_model_get_item (gremium_meeting_get_speakers (chair_view), 0);

        data = data_member (gremium_speaker_request_get_member_id (next));
        json_object_set_int_member (data, "limit", 180);
        submit ("mayer", GREMIUM_KIND_SPEAKERS_GRANT, data);
        /* A few words, heard in the chair's client. */
        if (media_on)
          spin_for (2500);
        submit (gremium_speaker_request_get_member_id (next), GREMIUM_KIND_SPEAKERS_FINISH, NULL);
      }
  }

  step ("Chat");
  {
    JsonObject *data = json_object_new ();

    json_object_set_string_member (data, "text", "Die Unterlagen zum Bebauungsplan liegen im Ratsinformationssystem.");
    submit ("schulz", GREMIUM_KIND_CHAT_MESSAGE, data);
  }

  step ("Open vote on the development plan; a member asks for their vote in the minutes (§ 42)");
  {
    static const char * const options[] = { "Ja", "Nein", "Enthaltung", NULL };
    JsonObject *data = json_object_new ();

    hold_vote ("v1", "open", "simple",
               "Der Bebauungsplan Nr. 12 „Am Mühlbach“ wird als Satzung beschlossen.",
               options, NULL, NULL, choose_development_plan);
    json_object_set_string_member (data, "vote", "v1");
    submit ("weber", GREMIUM_KIND_VOTE_RECORD_OWN, data);
  }

  step ("Named (roll-call) vote on an amendment");
  {
    static const char * const options[] = { "Ja", "Nein", "Enthaltung", NULL };

    hold_vote ("v2", "named", "simple",
               "Änderungsantrag: Die Grünfläche im Norden wird um 20 % vergrößert.",
               options, NULL, NULL, choose_amendment);
  }

  step ("Item 3 is non-public; the guest leaves; two members are excluded for a personal interest (§ 38)");
  {
    JsonObject *data = data_member ("richter");

    json_object_set_string_member (data, "reason", "left");
    submit ("richter", GREMIUM_KIND_ATTENDANCE_LEAVE, data);

    data = json_object_new ();

    json_object_set_int_member (data, "item", 3);
    submit ("mayer", GREMIUM_KIND_AGENDA_SELECT, data);

    data = data_member ("wagner");
    json_object_set_int_member (data, "item", 3);
    json_object_set_string_member (data, "reason", "Eigentümerin eines angrenzenden Grundstücks");
    submit ("wagner", GREMIUM_KIND_CONFLICT_DECLARE, data);

    data = data_member ("nowak");
    json_object_set_int_member (data, "item", 3);
    json_object_set_string_member (data, "reason", "Ehemann ist Bieter");
    submit ("mayer", GREMIUM_KIND_CONFLICT_DECLARE, data);
  }

  step ("Secret vote on the land sale; the two excluded members are not eligible; three tellers");
  {
    static const char * const options[] = { "Ja", "Nein", "Enthaltung", NULL };
    static const char * const tellers[] = { "mayer", "becker", "krause", NULL };

    hold_vote ("v3", "secret", "absolute",
               "Das Flurstück 112/4 wird zum Preis von 185.000 € an die Stadtwerke verkauft.",
               options, tellers, NULL, choose_land_sale);
    gui_screenshots ("nonpublic");
  }

  step ("A member's network drops; the server records it; the client reconnects, catches up and takes the seat again");
  {
    GremiumClient *client = person ("fischer")->client;
    GremiumMember *fischer = gremium_meeting_lookup_member (chair_view, "fischer");
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    gremium_client_drop_connection (client);
    while (gremium_member_get_presence (fischer) != GREMIUM_PRESENCE_ABSENT)
      g_main_context_iteration (NULL, TRUE);

    /* Something happens while Fischer is away. */
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "text", "Frau Fischer ist kurz nicht verbunden.");
      submit ("schulz", GREMIUM_KIND_CHAT_MESSAGE, data);
    }

    while (gremium_member_get_presence (fischer) != GREMIUM_PRESENCE_PRESENT)
      {
        if (g_get_monotonic_time () > deadline)
          die ("The dropped client did not come back");
        g_main_context_iteration (NULL, TRUE);
      }
    wait_everyone_caught_up ();
    g_print ("  %s's client is back with all %" G_GUINT64_FORMAT " entries verified\n",
             gremium_member_get_name (fischer),
             gremium_meeting_get_n_entries (gremium_client_get_meeting (client, meeting_id)));
  }

  step ("Item 4: secret election; nobody reaches the majority, so a runoff between the two best follows");
  {
    static const char * const candidates[] = { "Anna Becker", "Peter Hoffmann", "Deniz Yılmaz", NULL };
    static const char * const runoff[] = { "Anna Becker", "Peter Hoffmann", NULL };
    static const char * const tellers[] = { "mayer", "yilmaz", "weber", NULL };
    JsonObject *data = json_object_new ();
    GremiumVote *first;
    guint a, b;

    json_object_set_int_member (data, "item", 4);
    submit ("mayer", GREMIUM_KIND_AGENDA_SELECT, data);

    first = hold_vote ("w1", "election", "election",
                       "Wahl der Vertretung der Gemeinde in der Verbandsversammlung des Zweckverbands Wasser",
                       candidates, tellers, NULL, choose_first_round);
    if (!gremium_vote_get_runoff (first, &a, &b))
      die ("The first round should end in a runoff");

    hold_vote ("w2", "election", "election",
               "Stichwahl: Vertretung in der Verbandsversammlung des Zweckverbands Wasser",
               runoff, tellers, "w1", choose_runoff);

    /* Someone has the floor for the pictures of the meeting window and the
     * public-room display.
     */
    {
      JsonObject *grant = data_member ("becker");

      json_object_set_int_member (grant, "limit", 120);
      submit ("mayer", GREMIUM_KIND_SPEAKERS_GRANT, grant);
    }
    gui_screenshots (NULL);
    submit ("becker", GREMIUM_KIND_SPEAKERS_FINISH, NULL);
  }

  step ("Item 5; the chair asks a member to mute; the meeting closes");
  {
    JsonObject *data = json_object_new ();

    json_object_set_int_member (data, "item", 5);
    submit ("mayer", GREMIUM_KIND_AGENDA_SELECT, data);
    submit ("mayer", GREMIUM_KIND_MUTE_REQUEST, data_member ("weber"));
    submit ("mayer", GREMIUM_KIND_MEETING_CLOSE, NULL);
  }

  wait_everyone_caught_up ();
  g_print ("\n  every client holds the same %" G_GUINT64_FORMAT " verified entries\n",
           gremium_meeting_get_n_entries (chair_view));
}

static void
export_and_verify (void)
{
  g_autofree char *out_dir = opt_out ? g_strdup (opt_out) : g_build_filename (data_dir, "export", NULL);
  g_autofree char *record = g_build_filename (out_dir, "record.jsonl", NULL);
  g_autoptr(GSubprocess) verify = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "export", "--meeting", meeting_id, "--out", record, NULL };

  step ("Export the record and verify it offline, trusting nothing but the server key");

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    die ("Cannot create %s", out_dir);

  exported = run_server_command (args);
  g_print ("  wrote %s\n", record);

  verify = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, opt_verify, record, NULL);
  if (verify == NULL || !g_subprocess_wait (verify, NULL, &error))
    die ("Cannot run gremium-verify: %s", error->message);

  if (!g_subprocess_get_successful (verify))
    die ("gremium-verify did not accept the record");
}

static char *
sibling_binary (const char *argv0,
                const char *subdir,
                const char *name)
{
  g_autofree char *self = g_find_program_in_path (argv0);
  g_autofree char *dir = self ? g_path_get_dirname (self) : g_get_current_dir ();
  g_autofree char *in_tree = g_build_filename (dir, "..", subdir, name, NULL);

  /* In the build tree the binaries sit in sibling folders; installed, on PATH. */
  if (g_file_test (in_tree, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&in_tree);

  return g_find_program_in_path (name);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) init = NULL;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- run a scripted council meeting on this machine");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gremium-demo: %s\n", error->message);
      return 2;
    }

  if (opt_server == NULL)
    opt_server = sibling_binary (argv[0], "gremium-server", "gremium-server");
  if (opt_verify == NULL)
    opt_verify = sibling_binary (argv[0], "gremium-verify", "gremium-verify");
  if (opt_server == NULL || opt_verify == NULL)
    {
      g_printerr ("gremium-demo: cannot find gremium-server and gremium-verify; pass --server and --verify\n");
      return 2;
    }

  data_dir = g_dir_make_tmp ("gremium-demo-XXXXXX", &error);
  if (data_dir == NULL)
    die ("%s", error->message);

  /* Windows are shown unless --headless: on the user's display, or on the
   * virtual display build-aux/dev provides when there is none.
   */
  if (!opt_headless && opt_gremium == NULL)
    opt_gremium = sibling_binary (argv[0], "gremium", "gremium");
  if (!opt_headless && opt_gremium != NULL &&
      (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL))
    {
      gui_on_display = g_getenv ("GREMIUM_DEMO_VIRTUAL_DISPLAY") == NULL;
      screenshot_dir = opt_out ? g_strdup (opt_out) : g_build_filename (data_dir, "export", NULL);
      if (g_mkdir_with_parents (screenshot_dir, 0755) != 0)
        die ("Cannot create %s", screenshot_dir);
    }
  else
    {
      if (!opt_headless)
        g_print ("(No display and no desktop client: running without windows.)\n");
      g_clear_pointer (&opt_gremium, g_free);
    }

  if (opt_pace < 0)
    opt_pace = gui_on_display ? 600 : 150;

#ifdef HAVE_GREMIUM_MEDIA
  if (opt_gremium != NULL)
    {
      if (gremium_media_init (&error))
        media_on = TRUE;
      else
        g_print ("(The councillors join without pictures and sound: %s)\n", error->message);
      g_clear_error (&error);
    }
#endif

  g_print ("Gremium demo: a meeting of the Gemeinderat Musterstadt on this machine\n");

  step ("The operator sets up the server and enrols the council");
  {
    const char *args[] = { "init", "--name", "localhost", NULL };

    init = run_server_command (args);
    g_print ("  server key fingerprint: %s\n", json_object_get_string_member (init, "fingerprint"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (council); i++)
    {
      const char *args[] = { "member", "add", council[i].id, "--name", council[i].name,
                             "--role", council[i].role, NULL };
      g_autoptr(JsonObject) added = run_server_command (args);

      participants[i].person = &council[i];
      participants[i].code = g_strdup (json_object_get_string_member (added, "code"));
      g_print ("  %-16s %-13s code %s\n", council[i].name, council[i].role, participants[i].code);
    }

  {
    const char *args[] = { "meeting", "create",
                           "--title", "5. Sitzung des Gemeinderates",
                           "--body", "Gemeinderat Musterstadt",
                           "--place", "Rathaus Musterstadt, Ratssaal",
                           "--item", "Eröffnung und Feststellung der Beschlussfähigkeit",
                           "--item", "Bebauungsplan Nr. 12 „Am Mühlbach“",
                           "--item-nonpublic", "Grundstücksangelegenheit Flurstück 112/4",
                           "--item", "Wahl der Vertretung im Zweckverband Wasser",
                           "--item", "Anfragen und Mitteilungen",
                           NULL };
    g_autoptr(JsonObject) created = run_server_command (args);

    meeting_id = g_strdup (json_object_get_string_member (created, "meeting"));
    g_print ("  meeting %s with 5 agenda items (item 3 non-public)\n", meeting_id);
  }

  step ("Start the server");
  start_server ();

  step ("Every participant's client enrols its device key");
  enrol_everyone ();

  run_meeting ();

  for (guint i = 0; i < G_N_ELEMENTS (participants); i++)
    {
      stop_media (&participants[i]);
      g_clear_object (&participants[i].teller);
      gremium_client_disconnect (participants[i].client);
      g_clear_object (&participants[i].client);
      g_free (participants[i].code);
    }

  export_and_verify ();

  if (gui_process != NULL && gui_on_display)
    {
      g_print ("\nThe meeting is over. Close the Gremium windows to end the demo.\n");
      g_subprocess_wait (gui_process, NULL, NULL);
    }

  stop_server ();

  g_print ("\nThe demo meeting ran to the end. Data folder: %s\n", data_dir);
  return 0;
}
