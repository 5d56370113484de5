/* gremium-chat-message.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-chat-message-private.h"

/**
 * GremiumChatMessage:
 *
 * A message in the meeting's chat. Chat messages are signed statements in the
 * record like everything else, so nobody can put words in another
 * participant's mouth.
 */
struct _GremiumChatMessage
{
  GObject  parent_instance;

  char    *author_id;
  char    *text;
  gint64   time;
  guint64  entry_index;
};

G_DEFINE_FINAL_TYPE (GremiumChatMessage, gremium_chat_message, G_TYPE_OBJECT)

static void
gremium_chat_message_finalize (GObject *object)
{
  GremiumChatMessage *self = (GremiumChatMessage *) object;

  g_clear_pointer (&self->author_id, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (gremium_chat_message_parent_class)->finalize (object);
}

static void
gremium_chat_message_class_init (GremiumChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_chat_message_finalize;
}

static void
gremium_chat_message_init (GremiumChatMessage *self)
{
}

GremiumChatMessage *
_gremium_chat_message_new (const char *author_id,
                           const char *text,
                           gint64      time,
                           guint64     entry_index)
{
  GremiumChatMessage *self = g_object_new (GREMIUM_TYPE_CHAT_MESSAGE, NULL);

  self->author_id = g_strdup (author_id);
  self->text = g_strdup (text);
  self->time = time;
  self->entry_index = entry_index;

  return self;
}

/**
 * gremium_chat_message_get_author_id:
 * @self: a chat message
 *
 * Returns: (transfer none): the member who wrote it
 */
const char *
gremium_chat_message_get_author_id (GremiumChatMessage *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHAT_MESSAGE (self), NULL);

  return self->author_id;
}

/**
 * gremium_chat_message_get_text:
 * @self: a chat message
 *
 * Returns: (transfer none): the text
 */
const char *
gremium_chat_message_get_text (GremiumChatMessage *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHAT_MESSAGE (self), NULL);

  return self->text;
}

/**
 * gremium_chat_message_get_time:
 * @self: a chat message
 *
 * Returns: when the server accepted it
 */
gint64
gremium_chat_message_get_time (GremiumChatMessage *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHAT_MESSAGE (self), 0);

  return self->time;
}

/**
 * gremium_chat_message_get_entry_index:
 * @self: a chat message
 *
 * Returns: its position in the record
 */
guint64
gremium_chat_message_get_entry_index (GremiumChatMessage *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHAT_MESSAGE (self), 0);

  return self->entry_index;
}
