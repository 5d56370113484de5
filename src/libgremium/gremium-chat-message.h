/* gremium-chat-message.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_CHAT_MESSAGE (gremium_chat_message_get_type ())

G_DECLARE_FINAL_TYPE (GremiumChatMessage, gremium_chat_message, GREMIUM, CHAT_MESSAGE, GObject)

const char *gremium_chat_message_get_author_id   (GremiumChatMessage *self);
const char *gremium_chat_message_get_text        (GremiumChatMessage *self);
gint64      gremium_chat_message_get_time        (GremiumChatMessage *self);
guint64     gremium_chat_message_get_entry_index (GremiumChatMessage *self);

G_END_DECLS
