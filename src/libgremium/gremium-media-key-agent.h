/* gremium-media-key-agent.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-client.h"
#include "gremium-media-keyring.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_MEDIA_KEY_AGENT (gremium_media_key_agent_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMediaKeyAgent, gremium_media_key_agent, GREMIUM, MEDIA_KEY_AGENT, GObject)

GremiumMediaKeyAgent *gremium_media_key_agent_new                   (GremiumClient        *client,
                                                                     const char           *meeting_id) G_GNUC_WARN_UNUSED_RESULT;
GremiumClient        *gremium_media_key_agent_get_client            (GremiumMediaKeyAgent *self);
GremiumMediaKeyring  *gremium_media_key_agent_get_keyring           (GremiumMediaKeyAgent *self);
guint                 gremium_media_key_agent_get_grace_period      (GremiumMediaKeyAgent *self);
void                  gremium_media_key_agent_set_grace_period      (GremiumMediaKeyAgent *self,
                                                                     guint                 milliseconds);
guint                 gremium_media_key_agent_get_rotation_interval (GremiumMediaKeyAgent *self);
void                  gremium_media_key_agent_set_rotation_interval (GremiumMediaKeyAgent *self,
                                                                     guint                 milliseconds);

G_END_DECLS
