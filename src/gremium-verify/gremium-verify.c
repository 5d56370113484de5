/* gremium-verify.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-verify"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include <gremium-checkpoint.h>
#include <gremium-error.h>
#include <gremium-meeting.h>
#include <gremium-merkle-tree.h>

#include "gremium-record-file.h"

/* gremium-verify: checks an exported meeting record completely and without
 * trusting the server that wrote it. Every entry is replayed through the same
 * meeting model the server and the clients use, which verifies each
 * signature against the roster and each action against the rules; the
 * Merkle tree is recomputed and compared with the server's signed
 * checkpoint. The exit status is 0 only if everything holds.
 */

static char *opt_server_key = NULL;
static gboolean opt_quiet = FALSE;

static GOptionEntry entries[] = {
  { "server-key", 0, 0, G_OPTION_ARG_STRING, &opt_server_key,
    N_("Require the record to be signed by this server key (base64)"), N_("KEY") },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
    N_("Print only the verdict"), NULL },
  { NULL }
};

static void
print_attendance (GremiumMeeting *meeting)
{
  GListModel *members = gremium_meeting_get_members (meeting);
  guint n = g_list_model_get_n_items (members);
  guint attended = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);

      if (gremium_member_get_attendance (member)->len > 0)
        attended++;
    }

  /* Translators: the first number counts people who attended, the second the roster */
  g_print (_("Attendance: %u of %u on the roster took part\n"), attended, n);
}

static const char *
result_language (void)
{
  const char * const *languages = g_get_language_names ();

  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (g_str_has_prefix (languages[i], "de"))
        return "de";
      if (g_str_has_prefix (languages[i], "en") || g_str_equal (languages[i], "C"))
        return "en";
    }

  return "en";
}

static void
print_votes (GremiumMeeting *meeting)
{
  GListModel *votes = gremium_meeting_get_votes (meeting);
  guint n = g_list_model_get_n_items (votes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumVote) vote = g_list_model_get_item (votes, i);
      g_autofree char *result = gremium_vote_format_result (vote, result_language ());

      /* Translators: vote id, agenda item number, the question put to the vote */
      g_print (_("Vote %s (item %u): %s\n"), gremium_vote_get_id (vote),
               gremium_vote_get_item (vote), gremium_vote_get_question (vote));

      /* A secret vote that was cancelled or lacks a teller's share was never
       * decrypted; the report must not claim it was.
       */
      if (gremium_vote_is_secret (vote) && gremium_vote_get_counts (vote) != NULL)
        /* Translators: %u is a number of ballots */
        g_print (_("  %u encrypted ballots, every proof checked; tally decrypted with verified shares\n"),
                 gremium_vote_get_n_ballots (vote));
      else if (gremium_vote_is_secret (vote))
        /* Translators: %u is a number of ballots; the tally of a cancelled or undecryptable vote */
        g_print (_("  %u encrypted ballots, every proof checked; the tally was not decrypted\n"),
                 gremium_vote_get_n_ballots (vote));
      else
        /* Translators: %u is a number of ballots */
        g_print (_("  %u signed ballots, recounted\n"), gremium_vote_get_n_ballots (vote));

      switch (gremium_vote_get_state (vote))
        {
        case GREMIUM_VOTE_STATE_PUBLISHED:
          g_print ("  %s\n", result);
          break;

        case GREMIUM_VOTE_STATE_DECIDED:
          g_print ("  %s\n", result);
          g_print (_("  (the chair has not recorded the result statement)\n"));
          break;

        case GREMIUM_VOTE_STATE_CANCELLED:
          g_print (_("  cancelled by the chair\n"));
          break;

        case GREMIUM_VOTE_STATE_COLLECTING_KEYS:
        case GREMIUM_VOTE_STATE_OPEN:
        case GREMIUM_VOTE_STATE_CLOSED:
        case GREMIUM_VOTE_STATE_AWAITING_LOT:
        default:
          g_print (_("  not finished in this record\n"));
          break;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GremiumRecordFile) record = NULL;
  g_autoptr(GHashTable) kinds = NULL;
  g_autofree char *fingerprint = NULL;
  const char *localedir;
  GremiumMeeting *meeting;

  setlocale (LC_ALL, "");

  /* GREMIUM_LOCALEDIR points an uninstalled build at its own translations
   * (the build tree's po/ directory, as the tests do); installed, the
   * translations live in LOCALEDIR. The verdict is the exit status either way.
   */
  localedir = g_getenv ("GREMIUM_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("RECORD — verify an exported meeting record"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gremium-verify: %s\n", error->message);
      return 2;
    }

  if (argc != 2)
    {
      g_printerr (_("Usage: gremium-verify [--server-key KEY] RECORD\n"));
      return 2;
    }

  if (!gremium_crypto_init (&error))
    {
      g_printerr ("gremium-verify: %s\n", error->message);
      return 2;
    }

  record = gremium_record_file_load (argv[1], opt_server_key, &error);
  if (record == NULL)
    {
      /* Translators: %s is the reason the record failed verification */
      g_print (_("NOT VERIFIED: %s\n"), error->message);
      return 1;
    }

  meeting = gremium_record_file_get_meeting (record);
  fingerprint = gremium_public_key_fingerprint (gremium_meeting_get_server_key (meeting));

  if (!opt_quiet)
    {
      g_autofree char *scheduled = gremium_time_format (gremium_meeting_get_scheduled (meeting));
      g_autofree char *n_entries = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                    gremium_meeting_get_n_entries (meeting));

      g_print (_("Meeting: %s\n"), gremium_meeting_get_title (meeting));
      g_print (_("Body: %s\n"), gremium_meeting_get_body_name (meeting));
      g_print (_("Place: %s\n"), gremium_meeting_get_place (meeting));
      g_print (_("Scheduled: %s\n"), scheduled);
      g_print (_("Server: %s, key fingerprint %s\n"), gremium_meeting_get_server_name (meeting),
               fingerprint);
      if (opt_server_key == NULL)
        g_print (_("Compare this fingerprint with the one the server operator published, "
                   "or pass --server-key.\n"));
      /* Translators: %s is the number of entries in the record */
      g_print (_("Entries: %s, every signature and rule checked\n"), n_entries);
      print_attendance (meeting);
      print_votes (meeting);
      g_print (_("Agenda items: %u\n"),
               g_list_model_get_n_items (gremium_meeting_get_agenda (meeting)));
      g_print (_("Meeting closed: %s\n"),
               gremium_meeting_get_closed (meeting) ? _("yes") : _("no"));
      g_print (_("Checkpoint: signed by the server, matches all entries\n"));
    }

  g_print (_("VERIFIED\n"));
  return 0;
}
