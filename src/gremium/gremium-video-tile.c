/* gremium-video-tile.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-video-tile"

#include "config.h"

#include "gremium-video-tile.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/**
 * GremiumVideoTile:
 *
 * One participant in the video grid: the picture when there is one,
 * otherwise an avatar with initials, the name, a muted microphone, a frame
 * while the participant speaks and a badge while they have the floor. The
 * featured tile (the speaker) is drawn larger with a stronger frame.
 *
 * The picture itself carries no meaning for a screen reader; the tile is a
 * group whose label says who it is and what state they are in ("Anna
 * Becker, has the floor, microphone off").
 */
struct _GremiumVideoTile
{
  GtkWidget   parent_instance;

  GtkWidget  *overlay;
  GtkPicture *picture;
  AdwAvatar  *avatar;
  GtkWidget  *muted_icon;
  GtkLabel   *name_label;
  GtkWidget  *floor_badge;

  char       *member_id;
  char       *name;
  char       *detail;
  gboolean    speaking;
  gboolean    has_floor;
  gboolean    muted;
};

G_DEFINE_FINAL_TYPE (GremiumVideoTile, gremium_video_tile, GTK_TYPE_WIDGET)

static void
update_accessible (GremiumVideoTile *self)
{
  g_autoptr(GString) label = g_string_new (self->name);

  if (self->detail != NULL)
    g_string_append_printf (label, ", %s", self->detail);
  if (self->has_floor)
    /* Translators: part of the spoken label of a video tile */
    g_string_append_printf (label, ", %s", _("has the floor"));
  else if (self->speaking)
    /* Translators: part of the spoken label of a video tile */
    g_string_append_printf (label, ", %s", _("speaking"));
  if (self->muted)
    /* Translators: part of the spoken label of a video tile */
    g_string_append_printf (label, ", %s", _("microphone off"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

static void
gremium_video_tile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GREMIUM_TYPE_VIDEO_TILE);

  G_OBJECT_CLASS (gremium_video_tile_parent_class)->dispose (object);
}

static void
gremium_video_tile_finalize (GObject *object)
{
  GremiumVideoTile *self = (GremiumVideoTile *) object;

  g_free (self->member_id);
  g_free (self->name);
  g_free (self->detail);

  G_OBJECT_CLASS (gremium_video_tile_parent_class)->finalize (object);
}

static void
gremium_video_tile_class_init (GremiumVideoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_video_tile_dispose;
  object_class->finalize = gremium_video_tile_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-video-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, overlay);
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, picture);
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, avatar);
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, muted_icon);
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVideoTile, floor_badge);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "videotile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gremium_video_tile_init (GremiumVideoTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gremium_video_tile_new (const char *member_id,
                        const char *name)
{
  GremiumVideoTile *self;

  g_return_val_if_fail (member_id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_VIDEO_TILE, NULL);
  self->member_id = g_strdup (member_id);
  self->name = g_strdup (name);
  gtk_label_set_label (self->name_label, name);
  adw_avatar_set_text (self->avatar, name);
  update_accessible (self);

  return GTK_WIDGET (self);
}

const char *
gremium_video_tile_get_member_id (GremiumVideoTile *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_TILE (self), NULL);

  return self->member_id;
}

/**
 * gremium_video_tile_set_paintable:
 * @self: a tile
 * @paintable: (nullable): the participant's picture, or %NULL for the avatar
 */
void
gremium_video_tile_set_paintable (GremiumVideoTile *self,
                                  GdkPaintable     *paintable)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  if (gtk_picture_get_paintable (self->picture) == paintable)
    return;

  gtk_picture_set_paintable (self->picture, paintable);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), paintable != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->avatar), paintable == NULL);
}

/**
 * gremium_video_tile_get_paintable:
 * @self: a tile
 *
 * Returns: (transfer none) (nullable): the picture shown, if any
 */
GdkPaintable *
gremium_video_tile_get_paintable (GremiumVideoTile *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_TILE (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}

gboolean
gremium_video_tile_get_speaking (GremiumVideoTile *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_TILE (self), FALSE);

  return self->speaking;
}

void
gremium_video_tile_set_speaking (GremiumVideoTile *self,
                                 gboolean          speaking)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  speaking = !!speaking;
  if (self->speaking == speaking)
    return;

  self->speaking = speaking;
  if (speaking)
    gtk_widget_add_css_class (GTK_WIDGET (self), "speaking");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "speaking");
  update_accessible (self);
}

void
gremium_video_tile_set_has_floor (GremiumVideoTile *self,
                                  gboolean          has_floor)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  has_floor = !!has_floor;
  if (self->has_floor == has_floor)
    return;

  self->has_floor = has_floor;
  gtk_widget_set_visible (self->floor_badge, has_floor);
  update_accessible (self);
}

void
gremium_video_tile_set_muted (GremiumVideoTile *self,
                              gboolean          muted)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;

  self->muted = muted;
  gtk_widget_set_visible (self->muted_icon, muted);
  update_accessible (self);
}

/**
 * gremium_video_tile_set_featured:
 * @self: a tile
 * @featured: whether the tile is the large one of the speaker
 */
void
gremium_video_tile_set_featured (GremiumVideoTile *self,
                                 gboolean          featured)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  adw_avatar_set_size (self->avatar, featured ? 128 : 64);
  if (featured)
    gtk_widget_add_css_class (GTK_WIDGET (self), "featured");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "featured");
}

/**
 * gremium_video_tile_set_detail:
 * @self: a tile
 * @detail: (nullable): a short note after the name, such as the role
 */
void
gremium_video_tile_set_detail (GremiumVideoTile *self,
                               const char       *detail)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_TILE (self));

  g_free (self->detail);
  self->detail = g_strdup (detail);
  update_accessible (self);
}
