/* bench-util.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Waiting on the default main context, so that clients, servers and calls
 * in the benchmark process keep working meanwhile.
 */
void          bench_iterate     (guint           ms);
void          bench_result_cb   (GObject        *object,
                                 GAsyncResult   *result,
                                 gpointer        user_data);
GAsyncResult *bench_wait_result (GAsyncResult  **slot);

G_END_DECLS
