/* gremium-agenda-item-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-agenda-item.h"

G_BEGIN_DECLS

GremiumAgendaItem *_gremium_agenda_item_new             (guint              id,
                                                         const char        *title,
                                                         gboolean           is_public);
void               _gremium_agenda_item_set_public      (GremiumAgendaItem *self,
                                                         gboolean           is_public);
void               _gremium_agenda_item_add_conflict    (GremiumAgendaItem *self,
                                                         const char        *member_id,
                                                         const char        *reason);
gboolean           _gremium_agenda_item_remove_conflict (GremiumAgendaItem *self,
                                                         const char        *member_id);

G_END_DECLS
