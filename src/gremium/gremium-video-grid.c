/* gremium-video-grid.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-video-grid"

#include "config.h"

#include "gremium-video-grid.h"
#include "gremium-ui-util.h"
#include "gremium-video-tile.h"

#include <glib/gi18n.h>

#define SPACING 8
#define ASPECT (16.0 / 9.0)
/* A level (0…1 over −60…0 dBFS) above this shows the speaking frame: about
 * −45 dBFS, quiet speech close to the microphone.
 */
#define SPEAKING_LEVEL 0.25

/**
 * GremiumVideoGrid:
 *
 * The participants' tiles, each with the picture of its participant while
 * it comes. The one who has the floor (or, while nobody has it, the active
 * speaker: the voice the call hears loudest) is featured large on top; the
 * others share a strip below it, laid out in as many columns as makes their
 * tiles largest. A frame marks everyone who speaks. The public-room display
 * shows the featured tile only.
 */
struct _GremiumVideoGrid
{
  GtkWidget               parent_instance;

  GremiumMeeting         *meeting;
  GremiumMediaController *media;
  char                   *own_member_id;
  GHashTable             *tiles;         /* member id → GremiumVideoTile (owned by the widget tree) */
  GremiumVideoTile       *featured;
  gboolean                featured_only;
  gulong                  entry_handler;
  gulong                  video_handler;
  gulong                  levels_handler;
  gulong                  microphone_handler;
  gulong                  speaker_handler;
  gulong                  camera_handler;
};

G_DEFINE_FINAL_TYPE (GremiumVideoGrid, gremium_video_grid, GTK_TYPE_WIDGET)

/* How many columns give the largest 16:9 tiles for @n tiles in @width × @height. */
static guint
best_columns (guint  n,
              int    width,
              int    height,
              int   *tile_width,
              int   *tile_height)
{
  guint best = 1;
  double best_w = 0;

  for (guint columns = 1; columns <= n; columns++)
    {
      guint rows = (n + columns - 1) / columns;
      double w = (width - SPACING * (double) (columns - 1)) / columns;
      double h = (height - SPACING * (double) (rows - 1)) / rows;

      w = MIN (w, h * ASPECT);
      if (w > best_w)
        {
          best_w = w;
          best = columns;
        }
    }

  *tile_width = MAX (1, (int) best_w);
  *tile_height = MAX (1, (int) (best_w / ASPECT));
  return best;
}

static void
allocate_grid (GPtrArray *tiles,
               int        x0,
               int        y0,
               int        width,
               int        height)
{
  int tile_width;
  int tile_height;
  guint columns;
  guint rows;
  int total_height;

  if (tiles->len == 0)
    return;

  columns = best_columns (tiles->len, width, height, &tile_width, &tile_height);
  rows = (tiles->len + columns - 1) / columns;
  total_height = rows * tile_height + (rows - 1) * SPACING;

  for (guint i = 0; i < tiles->len; i++)
    {
      guint row = i / columns;
      guint in_row = MIN (columns, tiles->len - row * columns);
      int row_width = in_row * tile_width + (in_row - 1) * SPACING;
      GtkAllocation allocation = {
        .x = x0 + (width - row_width) / 2 + (i % columns) * (tile_width + SPACING),
        .y = y0 + (height - total_height) / 2 + row * (tile_height + SPACING),
        .width = tile_width,
        .height = tile_height,
      };

      gtk_widget_size_allocate (g_ptr_array_index (tiles, i), &allocation, -1);
    }
}

static void
gremium_video_grid_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  GremiumVideoGrid *self = GREMIUM_VIDEO_GRID (widget);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  int strip;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (child != GTK_WIDGET (self->featured) && gtk_widget_get_child_visible (child))
      g_ptr_array_add (others, child);

  if (self->featured == NULL)
    {
      allocate_grid (others, 0, 0, width, height);
      return;
    }

  /* The featured speaker takes about two thirds of the height. */
  strip = others->len == 0 ? 0 : MAX (height / 3, 90);
  {
    int featured_height = height - strip - (strip ? SPACING : 0);
    int featured_width = MIN (width, (int) (featured_height * ASPECT));
    GtkAllocation allocation = {
      .x = (width - featured_width) / 2,
      .y = 0,
      .width = featured_width,
      .height = MIN (featured_height, (int) (featured_width / ASPECT)),
    };

    allocation.y = (featured_height - allocation.height) / 2;
    gtk_widget_size_allocate (GTK_WIDGET (self->featured), &allocation, -1);
  }

  allocate_grid (others, 0, height - strip, width, strip);
}

static void
gremium_video_grid_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  /* The grid takes what it gets and fits the tiles into it. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    gtk_widget_measure (child, orientation, -1, NULL, NULL, NULL, NULL);

  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 90;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 450;
}

static const char *
choose_featured (GremiumVideoGrid *self)
{
  const char *speaker = gremium_meeting_get_current_speaker (self->meeting);
  const char *active = gremium_media_controller_get_active_speaker (self->media);

  if (speaker != NULL && g_hash_table_contains (self->tiles, speaker))
    return speaker;

  /* Nobody has the floor: feature whoever the call hears, if anyone; but
   * never show members their own picture large just for talking.
   */
  if (active != NULL && g_strcmp0 (active, self->own_member_id) != 0 &&
      g_hash_table_contains (self->tiles, active))
    return active;

  return NULL;
}

static void
update_states (GremiumVideoGrid *self)
{
  const char *speaker = gremium_meeting_get_current_speaker (self->meeting);
  const char *active = gremium_media_controller_get_active_speaker (self->media);
  const char *featured_id = choose_featured (self);
  GremiumVideoTile *featured = featured_id ? g_hash_table_lookup (self->tiles, featured_id) : NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GremiumVideoTile *tile = value;
      gboolean own = g_strcmp0 (key, self->own_member_id) == 0;
      double level = gremium_media_controller_get_level (self->media, own ? NULL : key);

      gremium_video_tile_set_has_floor (tile, g_strcmp0 (key, speaker) == 0);
      gremium_video_tile_set_speaking (tile, level > SPEAKING_LEVEL || g_strcmp0 (key, active) == 0);
      gremium_video_tile_set_featured (tile, tile == featured);
      gremium_video_tile_set_paintable (tile, gremium_media_controller_get_video (self->media, own ? NULL : key));
      if (own)
        gremium_video_tile_set_muted (tile, !gremium_media_controller_get_microphone_on (self->media));
      gtk_widget_set_child_visible (GTK_WIDGET (tile), !self->featured_only || tile == featured);
    }

  /* Levels change ten times a second; the layout only with the speaker. */
  if (featured != self->featured)
    {
      self->featured = featured;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

static void
sync_tiles (GremiumVideoGrid *self)
{
  GListModel *members;
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  if (self->meeting == NULL)
    return;

  members = gremium_meeting_get_members (self->meeting);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      const char *id = gremium_member_get_id (member);
      GtkWidget *tile;

      if (gremium_member_get_presence (member) != GREMIUM_PRESENCE_PRESENT)
        continue;

      g_hash_table_add (present, (gpointer) id);
      if (g_hash_table_contains (self->tiles, id))
        continue;

      tile = gremium_video_tile_new (id, gremium_member_get_name (member));
      if (g_strcmp0 (id, self->own_member_id) == 0)
        /* Translators: shown after your own name on your video tile */
        gremium_video_tile_set_detail (GREMIUM_VIDEO_TILE (tile), _("you"));
      gtk_widget_set_parent (tile, GTK_WIDGET (self));
      g_hash_table_insert (self->tiles, g_strdup (id), tile);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (present, key))
        {
          if (value == self->featured)
            self->featured = NULL;
          gtk_widget_unparent (value);
          g_hash_table_iter_remove (&iter);
          gtk_widget_queue_allocate (GTK_WIDGET (self));
        }
    }

  update_states (self);
}

static void
disconnect (GremiumVideoGrid *self)
{
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  if (self->media != NULL)
    {
      g_clear_signal_handler (&self->video_handler, self->media);
      g_clear_signal_handler (&self->levels_handler, self->media);
      g_clear_signal_handler (&self->microphone_handler, self->media);
      g_clear_signal_handler (&self->speaker_handler, self->media);
      g_clear_signal_handler (&self->camera_handler, self->media);
    }
  g_clear_object (&self->meeting);
  g_clear_object (&self->media);
}

static void
remove_tiles (GremiumVideoGrid *self)
{
  GtkWidget *child;

  self->featured = NULL;
  g_hash_table_remove_all (self->tiles);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}

static void
gremium_video_grid_dispose (GObject *object)
{
  GremiumVideoGrid *self = (GremiumVideoGrid *) object;

  disconnect (self);
  remove_tiles (self);

  G_OBJECT_CLASS (gremium_video_grid_parent_class)->dispose (object);
}

static void
gremium_video_grid_finalize (GObject *object)
{
  GremiumVideoGrid *self = (GremiumVideoGrid *) object;

  g_hash_table_unref (self->tiles);
  g_free (self->own_member_id);

  G_OBJECT_CLASS (gremium_video_grid_parent_class)->finalize (object);
}

static void
gremium_video_grid_class_init (GremiumVideoGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_video_grid_dispose;
  object_class->finalize = gremium_video_grid_finalize;
  widget_class->size_allocate = gremium_video_grid_size_allocate;
  widget_class->measure = gremium_video_grid_measure;

  gtk_widget_class_set_css_name (widget_class, "videogrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gremium_video_grid_init (GremiumVideoGrid *self)
{
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Participants’ video"),
                                  -1);
}

/**
 * gremium_video_grid_set_meeting:
 * @self: a grid
 * @meeting: (nullable): the meeting whose present participants to show
 * @media: the media with the pictures and levels
 * @own_member_id: (nullable): this device's member
 */
void
gremium_video_grid_set_meeting (GremiumVideoGrid       *self,
                                GremiumMeeting         *meeting,
                                GremiumMediaController *media,
                                const char             *own_member_id)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_GRID (self));
  g_return_if_fail (meeting == NULL || GREMIUM_IS_MEETING (meeting));
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (media));

  disconnect (self);
  remove_tiles (self);
  g_free (self->own_member_id);
  self->own_member_id = g_strdup (own_member_id);

  if (meeting == NULL)
    return;

  self->meeting = g_object_ref (meeting);
  self->media = g_object_ref (media);
  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (sync_tiles), self);
  self->video_handler = g_signal_connect_swapped (media, "video-changed", G_CALLBACK (update_states), self);
  self->levels_handler = g_signal_connect_swapped (media, "levels-changed", G_CALLBACK (update_states), self);
  self->microphone_handler = g_signal_connect_swapped (media, "notify::microphone-on",
                                                       G_CALLBACK (update_states), self);
  self->speaker_handler = g_signal_connect_swapped (media, "notify::active-speaker",
                                                    G_CALLBACK (update_states), self);
  self->camera_handler = g_signal_connect_swapped (media, "notify::camera-on",
                                                   G_CALLBACK (update_states), self);
  sync_tiles (self);
}

/**
 * gremium_video_grid_set_featured_only:
 * @self: a grid
 * @featured_only: whether to show only the featured speaker
 */
void
gremium_video_grid_set_featured_only (GremiumVideoGrid *self,
                                      gboolean          featured_only)
{
  g_return_if_fail (GREMIUM_IS_VIDEO_GRID (self));

  self->featured_only = !!featured_only;
  if (self->meeting != NULL)
    update_states (self);
}

guint
gremium_video_grid_get_n_tiles (GremiumVideoGrid *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_GRID (self), 0);

  return g_hash_table_size (self->tiles);
}

/**
 * gremium_video_grid_get_featured:
 * @self: a grid
 *
 * Returns: (nullable): the member whose tile is featured
 */
const char *
gremium_video_grid_get_featured (GremiumVideoGrid *self)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_GRID (self), NULL);

  return self->featured ? gremium_video_tile_get_member_id (self->featured) : NULL;
}

/**
 * gremium_video_grid_lookup_tile:
 * @self: a grid
 * @member_id: a participant
 *
 * Returns: (transfer none) (nullable): the participant's tile
 */
GremiumVideoTile *
gremium_video_grid_lookup_tile (GremiumVideoGrid *self,
                                const char       *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_VIDEO_GRID (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  return g_hash_table_lookup (self->tiles, member_id);
}
