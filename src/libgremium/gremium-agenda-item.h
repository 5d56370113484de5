/* gremium-agenda-item.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_AGENDA_ITEM (gremium_agenda_item_get_type ())

G_DECLARE_FINAL_TYPE (GremiumAgendaItem, gremium_agenda_item, GREMIUM, AGENDA_ITEM, GObject)

guint        gremium_agenda_item_get_id            (GremiumAgendaItem *self);
const char  *gremium_agenda_item_get_title         (GremiumAgendaItem *self);
gboolean     gremium_agenda_item_get_public        (GremiumAgendaItem *self);
gboolean     gremium_agenda_item_has_conflict      (GremiumAgendaItem *self,
                                                    const char        *member_id);
const char  *gremium_agenda_item_get_conflict_reason (GremiumAgendaItem *self,
                                                    const char        *member_id);
char       **gremium_agenda_item_dup_conflicts     (GremiumAgendaItem *self) G_GNUC_WARN_UNUSED_RESULT;
guint        gremium_agenda_item_get_n_conflicts   (GremiumAgendaItem *self);

G_END_DECLS
