/* gremium-speaker-request.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-speaker-request-private.h"

/**
 * GremiumSpeakerRequest:
 *
 * A waiting request to speak on the speakers list (Redeliste).
 */
struct _GremiumSpeakerRequest
{
  GObject            parent_instance;

  char              *member_id;
  GremiumSpeechKind  kind;
  guint64            entry_index;
  gint64             time;
};

G_DEFINE_FINAL_TYPE (GremiumSpeakerRequest, gremium_speaker_request, G_TYPE_OBJECT)

static void
gremium_speaker_request_finalize (GObject *object)
{
  GremiumSpeakerRequest *self = (GremiumSpeakerRequest *) object;

  g_clear_pointer (&self->member_id, g_free);

  G_OBJECT_CLASS (gremium_speaker_request_parent_class)->finalize (object);
}

static void
gremium_speaker_request_class_init (GremiumSpeakerRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_speaker_request_finalize;
}

static void
gremium_speaker_request_init (GremiumSpeakerRequest *self)
{
}

GremiumSpeakerRequest *
_gremium_speaker_request_new (const char        *member_id,
                              GremiumSpeechKind  kind,
                              guint64            entry_index,
                              gint64             time)
{
  GremiumSpeakerRequest *self = g_object_new (GREMIUM_TYPE_SPEAKER_REQUEST, NULL);

  self->member_id = g_strdup (member_id);
  self->kind = kind;
  self->entry_index = entry_index;
  self->time = time;

  return self;
}

/**
 * gremium_speaker_request_get_member_id:
 * @self: a request
 *
 * Returns: (transfer none): who asked to speak
 */
const char *
gremium_speaker_request_get_member_id (GremiumSpeakerRequest *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (self), NULL);

  return self->member_id;
}

/**
 * gremium_speaker_request_get_kind:
 * @self: a request
 *
 * Returns: an ordinary request or a point of order
 */
GremiumSpeechKind
gremium_speaker_request_get_kind (GremiumSpeakerRequest *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (self), GREMIUM_SPEECH_KIND_SPEECH);

  return self->kind;
}

/**
 * gremium_speaker_request_get_entry_index:
 * @self: a request
 *
 * Returns: the record entry that made the request
 */
guint64
gremium_speaker_request_get_entry_index (GremiumSpeakerRequest *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (self), 0);

  return self->entry_index;
}

/**
 * gremium_speaker_request_get_time:
 * @self: a request
 *
 * Returns: when the server accepted the request
 */
gint64
gremium_speaker_request_get_time (GremiumSpeakerRequest *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (self), 0);

  return self->time;
}

/**
 * gremium_speaker_request_compare:
 * @a: a request
 * @b: another request
 *
 * Orders the speakers list: points of order first, then ordinary requests,
 * each in the order they reached the record.
 *
 * Returns: negative if @a comes first, positive if @b does
 */
int
gremium_speaker_request_compare (GremiumSpeakerRequest *a,
                                 GremiumSpeakerRequest *b)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (a), 0);
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (b), 0);

  if (a->kind != b->kind)
    return a->kind == GREMIUM_SPEECH_KIND_POINT_OF_ORDER ? -1 : 1;

  return (a->entry_index > b->entry_index) - (a->entry_index < b->entry_index);
}
