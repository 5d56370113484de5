/* bench-util.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-util.h"

/* A benchmark that waits longer than this for one answer measures nothing. */
#define RESULT_TIMEOUT_MS 30000

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * bench_iterate:
 * @ms: how long
 *
 * Runs the default main context for @ms milliseconds.
 */
void
bench_iterate (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * bench_result_cb:
 *
 * A #GAsyncReadyCallback that stores a reference to the result in the
 * `GAsyncResult *` that @user_data points to.
 */
void
bench_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * bench_wait_result:
 * @slot: where bench_result_cb() stores the result
 *
 * Runs the default main context until the result arrived; gives up the
 * whole benchmark after 30 s.
 *
 * Returns: (transfer none): the result
 */
GAsyncResult *
bench_wait_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (RESULT_TIMEOUT_MS, timeout_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (*slot == NULL)
    g_error ("No answer within %d s", RESULT_TIMEOUT_MS / 1000);
  g_source_remove (id);

  return *slot;
}
