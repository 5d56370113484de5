/* gremium-speaker-row.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-speaker-row"

#include "config.h"

#include "gremium-speaker-row.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumSpeakerRow:
 *
 * One waiting request in the speakers list: the place in the list, the
 * name, a badge for a point of order (which goes ahead of every ordinary
 * request) and since when the request waits. A screen reader hears the
 * whole line: "2. Anna Becker, point of order, waiting since 17:12".
 */
struct _GremiumSpeakerRow
{
  AdwActionRow           parent_instance;

  GremiumSpeakerRequest *request;
  char                  *accessible_label;
};

G_DEFINE_FINAL_TYPE (GremiumSpeakerRow, gremium_speaker_row, ADW_TYPE_ACTION_ROW)

static void
gremium_speaker_row_dispose (GObject *object)
{
  GremiumSpeakerRow *self = (GremiumSpeakerRow *) object;

  g_clear_object (&self->request);
  g_clear_pointer (&self->accessible_label, g_free);

  G_OBJECT_CLASS (gremium_speaker_row_parent_class)->dispose (object);
}

static void
gremium_speaker_row_class_init (GremiumSpeakerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_speaker_row_dispose;
}

static void
gremium_speaker_row_init (GremiumSpeakerRow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "speaker-row");
}

GtkWidget *
gremium_speaker_row_new (GremiumSpeakerRequest *request,
                         const char            *name,
                         guint                  position)
{
  GremiumSpeakerRow *self;
  g_autofree char *number = g_strdup_printf ("%u.", position);
  g_autofree char *since = gremium_format_time_of_day (gremium_speaker_request_get_time (request));
  g_autofree char *subtitle = NULL;
  gboolean point_of_order = gremium_speaker_request_get_kind (request) == GREMIUM_SPEECH_KIND_POINT_OF_ORDER;
  GtkWidget *prefix;

  g_return_val_if_fail (GREMIUM_IS_SPEAKER_REQUEST (request), NULL);

  self = g_object_new (GREMIUM_TYPE_SPEAKER_ROW, NULL);
  self->request = g_object_ref (request);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  /* Translators: %s is the time of day a request to speak was made */
  subtitle = g_strdup_printf (_("Waiting since %s"), since);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  prefix = gtk_label_new (number);
  gtk_widget_add_css_class (prefix, "numeric");
  gtk_widget_add_css_class (prefix, "title-4");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), prefix);

  if (point_of_order)
    {
      /* Translators: a request to speak on the procedure (Geschäftsordnungsantrag) */
      GtkWidget *badge = gtk_label_new (_("Point of Order"));

      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "warning");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), badge);
    }

  /* Translators: the spoken label of a row in the speakers list: place,
   * name, kind of request and waiting time */
  self->accessible_label = g_strdup_printf (_("%u. %s, %s, waiting since %s"), position, name,
                                            point_of_order ? _("point of order") : _("request to speak"),
                                            since);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                  -1);

  return GTK_WIDGET (self);
}

GremiumSpeakerRequest *
gremium_speaker_row_get_request (GremiumSpeakerRow *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKER_ROW (self), NULL);

  return self->request;
}

/**
 * gremium_speaker_row_add_button:
 * @self: a row
 * @label: the button's label
 * @accessible_label: what a screen reader says, naming the person
 *
 * Returns: (transfer none): a button at the end of the row, for the chair
 */
GtkWidget *
gremium_speaker_row_add_button (GremiumSpeakerRow *self,
                                const char        *label,
                                const char        *accessible_label)
{
  GtkWidget *button;

  g_return_val_if_fail (GREMIUM_IS_SPEAKER_ROW (self), NULL);

  button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);

  return button;
}
