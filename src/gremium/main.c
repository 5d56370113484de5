/* main.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium"

#include "config.h"

#include "gremium-application.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GremiumApplication) app = NULL;

  /* For benchmarks/bench-client: the time from here to the first frame. */
  g_setenv ("GREMIUM_START_TIME", "", FALSE);
  if (g_getenv ("GREMIUM_BENCH_FIRST_FRAME") != NULL)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());

      g_setenv ("GREMIUM_START_TIME", now, TRUE);
    }

  setlocale (LC_ALL, "");
  /* GREMIUM_LOCALEDIR points an uninstalled build at its own translations. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GREMIUM_LOCALEDIR") ? g_getenv ("GREMIUM_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gremium_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
