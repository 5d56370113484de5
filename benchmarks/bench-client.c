/* bench-client.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* bench-client: how long the desktop client takes from launch to its first
 * painted window, over several runs (the binary prints the time of its first
 * frame when GREMIUM_BENCH_FIRST_FRAME is set, then quits).
 *
 * It needs a display; without one it runs itself under "xvfb-run -a".
 * CPU and memory in a four-party call follow once the client plays media.
 */

#define RUNS 7

static int
compare (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
run_once (const char *client,
          gint64     *wall)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("gremium-bench-client-XXXXXX", NULL);
  const char *line;
  gint64 start = g_get_monotonic_time ();

  g_subprocess_launcher_setenv (launcher, "GREMIUM_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  /* The uninstalled client finds its schema in the build tree. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", GREMIUM_SCHEMA_DIR, FALSE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", tmp, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);

  process = g_subprocess_launcher_spawn (launcher, &error, client, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("Cannot run %s: %s", client, error->message);

  *wall = g_get_monotonic_time () - start;
  line = out ? strstr (out, "first-frame-us ") : NULL;
  if (line == NULL)
    g_error ("%s printed no first-frame time", client);

  return g_ascii_strtoll (line + strlen ("first-frame-us "), NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  const char *client = g_getenv ("GREMIUM_CLIENT") ? g_getenv ("GREMIUM_CLIENT") : GREMIUM_CLIENT_PATH;
  gint64 first[RUNS];
  gint64 wall[RUNS];

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_autofree char *xvfb = g_find_program_in_path ("xvfb-run");
      g_autofree char *self = g_canonicalize_filename (argv[0], NULL);

      if (xvfb == NULL)
        {
          g_print ("bench-client: no display and no xvfb-run; skipped\n");
          return 0;
        }
      execl (xvfb, xvfb, "-a", "-s", "-screen 0 1600x1000x24", self, NULL);
      g_error ("Cannot run xvfb-run");
    }

  /* One run to warm the file cache, as a user's second start would be. */
  run_once (client, &wall[0]);
  for (guint i = 0; i < RUNS; i++)
    first[i] = run_once (client, &wall[i]);

  qsort (first, RUNS, sizeof first[0], compare);
  qsort (wall, RUNS, sizeof wall[0], compare);
  g_print ("client start to first painted window: median %.1f ms (min %.1f, max %.1f) over %d runs\n",
           first[RUNS / 2] / 1000.0, first[0] / 1000.0, first[RUNS - 1] / 1000.0, RUNS);
  g_print ("process launch to exit after the first frame: median %.1f ms\n", wall[RUNS / 2] / 1000.0);
  g_print ("CPU and memory in a four-party call: needs the media library in the client (not yet)\n");

  return 0;
}
