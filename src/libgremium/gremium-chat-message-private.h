/* gremium-chat-message-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-chat-message.h"

G_BEGIN_DECLS

GremiumChatMessage *_gremium_chat_message_new (const char *author_id,
                                               const char *text,
                                               gint64      time,
                                               guint64     entry_index);

G_END_DECLS
