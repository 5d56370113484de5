/* gremium-security-popover.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gremium-media-controller.h"
#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_SECURITY_POPOVER (gremium_security_popover_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSecurityPopover, gremium_security_popover, GREMIUM, SECURITY_POPOVER, GtkPopover)

void  gremium_security_popover_set_session  (GremiumSecurityPopover *self,
                                             GremiumSession         *session,
                                             GremiumMediaController *media);
char *gremium_security_popover_dup_code     (GremiumSecurityPopover *self) G_GNUC_WARN_UNUSED_RESULT;
char *gremium_security_popover_dup_keys_text (GremiumSecurityPopover *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
