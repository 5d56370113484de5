/* test-ui-de.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The ui suite in German (LANGUAGE=de): the windows a councillor sees,
 * rendered into PNGs named *-de.png, and the messages in German. It shares
 * the fixture and helpers of test-ui.c.
 */
#define GREMIUM_TEST_UI_NO_MAIN 1
/* The flows of test-ui.c are not run here. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "test-ui.c"

#include <glib/gi18n.h>
#include <locale.h>

static void
test_german (Fixture       *f,
             gconstpointer  data)
{
  GremiumControlWindow *control;
  GtkWindow *display;
  const char *message;

  g_assert_cmpstr (gremium_ui_language (), ==, "de");

  check_window (GTK_WIDGET (f->window), "join-de.png");
  message = sign_in (f, "kein Server", "m01", "x");
  g_assert_nonnull (message);
  g_assert_true (strstr (message, "keine Serveradresse") != NULL);

  sign_in_and_join (f, "chair", "meeting", "chair-de");
  lib_attend (f, "m01");
  lib_attend (f, "m02");
  app_submit (f, GREMIUM_KIND_MEETING_OPEN, NULL);
  app_submit (f, GREMIUM_KIND_LOBBY_ADMIT, member_data ("m01"));
  app_submit (f, GREMIUM_KIND_AGENDA_SELECT, item_data (1));
  {
    JsonObject *request = json_object_new ();

    json_object_set_string_member (request, "type", "point-of-order");
    lib_submit (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, request);
  }

  gremium_meeting_view_show_panel (meeting_view (f), "speakers");
  check_window (GTK_WIDGET (f->window), "meeting-window-de.png");

  control = GREMIUM_CONTROL_WINDOW (gremium_application_show_control_window (f->app));
  gtk_window_set_default_size (GTK_WINDOW (control), 900, 760);
  check_window (GTK_WIDGET (control), "meeting-control-de.png");

  app_submit (f, GREMIUM_KIND_LOBBY_ADMIT, member_data ("m02"));
  lib_attend (f, "m03");
  app_submit (f, GREMIUM_KIND_LOBBY_ADMIT, member_data ("m03"));
  app_submit (f, GREMIUM_KIND_VOTE_OPEN, open_data (app_view (f), "v1", "open", "simple", NULL));
  gremium_meeting_view_show_panel (meeting_view (f), "votes");
  cast_through_panel (f, 0);
  lib_vote (f, "m01", "v1", 0);
  lib_vote (f, "m02", "v1", 1);
  lib_vote (f, "m03", "v1", 0);
  wait_for (f, panel_at_step, GINT_TO_POINTER (GREMIUM_VOTE_PANEL_STEP_VERIFIED), "the result was verified");
  g_assert_true (g_str_has_prefix (gremium_vote_panel_get_result (vote_panel (f)), "Stimmabgabe: offen"));
  check_window (GTK_WIDGET (f->window), "voting-panel-de.png");

  app_submit (f, GREMIUM_KIND_VOTE_RESULT, gremium_vote_build_result (gremium_vote_panel_get_vote (vote_panel (f))));

  display = gremium_application_show_public_display (f->app, FALSE);
  gtk_window_set_default_size (display, 1280, 720);
  check_window (GTK_WIDGET (display), "public-display-de.png");
  app_submit (f, GREMIUM_KIND_AGENDA_SELECT, item_data (3));
  gremium_test_iterate (300);
  check_window (GTK_WIDGET (display), "public-display-nonpublic-de.png");
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("GREMIUM_LOCALEDIR");

  isolate_user_dirs ();
  use_test_media ();
  g_test_init (&argc, &argv, NULL);

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display; run the ui suite under xvfb-run -a");
      return 77;
    }
  adw_init ();
  g_test_log_set_fatal_handler (ignore_gtk_bugs_cb, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/Gremium/UI/german", Fixture, NULL, setup, test_german, teardown);

  return g_test_run ();
}
