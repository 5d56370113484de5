/* gremium-participant-row.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-participant-row"

#include "config.h"

#include "gremium-participant-row.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumParticipantRow:
 *
 * A participant: avatar, name, role, where they are (present, in the
 * lobby, absent) and whether they are excluded from the current item.
 * Expanded, it lists the fingerprints of the member's device keys, to be
 * compared with what the member reads out from their own preferences.
 */
struct _GremiumParticipantRow
{
  AdwExpanderRow  parent_instance;

  GremiumMember  *member;
};

G_DEFINE_FINAL_TYPE (GremiumParticipantRow, gremium_participant_row, ADW_TYPE_EXPANDER_ROW)

static const char *
presence_label (GremiumPresence presence)
{
  switch (presence)
    {
    case GREMIUM_PRESENCE_PRESENT:
      return _("present");
    case GREMIUM_PRESENCE_LOBBY:
      return _("in the lobby");
    case GREMIUM_PRESENCE_ABSENT:
    default:
      return _("absent");
    }
}

static void
gremium_participant_row_dispose (GObject *object)
{
  GremiumParticipantRow *self = (GremiumParticipantRow *) object;

  g_clear_object (&self->member);

  G_OBJECT_CLASS (gremium_participant_row_parent_class)->dispose (object);
}

static void
gremium_participant_row_class_init (GremiumParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_participant_row_dispose;
}

static void
gremium_participant_row_init (GremiumParticipantRow *self)
{
}

GtkWidget *
gremium_participant_row_new (GremiumMeeting *meeting,
                             GremiumMember  *member)
{
  GremiumParticipantRow *self;
  GremiumAgendaItem *item = gremium_meeting_get_current_item (meeting);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *accessible = NULL;
  GtkWidget *avatar;

  g_return_val_if_fail (GREMIUM_IS_MEMBER (member), NULL);

  self = g_object_new (GREMIUM_TYPE_PARTICIPANT_ROW, NULL);
  self->member = g_object_ref (member);

  g_string_append_printf (subtitle, "%s · %s", gremium_role_label (gremium_member_get_role (member)),
                          presence_label (gremium_member_get_presence (member)));
  if (item != NULL && gremium_agenda_item_has_conflict (item, gremium_member_get_id (member)))
    /* Translators: the member is excluded from the current item (Befangenheit) */
    g_string_append_printf (subtitle, " · %s", _("excluded (§ 38)"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), gremium_member_get_name (member));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle->str);

  avatar = adw_avatar_new (32, gremium_member_get_name (member), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (avatar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gremium_member_get_name (member),
                                  -1);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), avatar);

  for (guint i = 0; i < gremium_member_get_n_keys (member); i++)
    {
      g_autofree char *fingerprint = gremium_public_key_fingerprint (gremium_member_get_key (member, i));
      g_autofree char *title = g_strdup_printf (_("Device key %u"), i + 1);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fingerprint);
      gtk_widget_add_css_class (row, "fingerprint");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }

  if (gremium_member_get_n_keys (member) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No device enrolled yet"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }

  accessible = g_strdup_printf ("%s, %s", gremium_member_get_name (member), subtitle->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible,
                                  -1);

  return GTK_WIDGET (self);
}

GremiumMember *
gremium_participant_row_get_member (GremiumParticipantRow *self)
{
  g_return_val_if_fail (GREMIUM_IS_PARTICIPANT_ROW (self), NULL);

  return self->member;
}

/**
 * gremium_participant_row_add_button:
 * @self: a row
 * @label: the button's label
 * @accessible_label: what a screen reader says, naming the person
 *
 * Returns: (transfer none): a button beside the name, for the chair
 */
GtkWidget *
gremium_participant_row_add_button (GremiumParticipantRow *self,
                                    const char            *label,
                                    const char            *accessible_label)
{
  GtkWidget *button;

  g_return_val_if_fail (GREMIUM_IS_PARTICIPANT_ROW (self), NULL);

  button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), button);

  return button;
}
